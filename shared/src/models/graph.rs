//! Reading the graph: actors with their filters, and edges with their ends and evidence.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Float4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::Page;
use crate::Result;
use crate::ids::{ActorId, EntityId, RelationId};
use crate::schema::actors;
use crate::vocab::{ActorKind, NodeType, Predicate, Role, StateCode, Status};

/// An actor: an organisation, a body, a person, a municipality, ...
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actors)]
pub struct Actor {
    pub id: i64,
    pub kind: ActorKind,
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    pub state_code: Option<StateCode>,
    pub ags: Option<String>,
    pub ars: Option<String>,
    pub status: Status,
    pub homepage: Option<String>,
    pub attributes: serde_json::Value,
}

/// Filters of actor lists.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter {
    pub state: Option<StateCode>,
    pub kind: Option<ActorKind>,
    pub status: Option<Status>,
    /// A case-insensitive part of the name.
    pub text: Option<String>,
    /// Changed at or after this instant; merged and deleted actors are then listed as tombstones.
    pub modified_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Actor {
    fn filtered(f: &ActorFilter) -> actors::BoxedQuery<'_, diesel::pg::Pg> {
        let mut q = actors::table.into_boxed();
        if let Some(s) = &f.state {
            q = q.filter(actors::state_code.eq(*s));
        }
        if let Some(k) = &f.kind {
            q = q.filter(actors::kind.eq(*k));
        }
        if let Some(s) = &f.status {
            q = q.filter(actors::status.eq(*s));
        }
        if let Some(t) = &f.text {
            let pattern = format!("%{}%", t.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            q = q.filter(actors::name.ilike(pattern));
        }
        let gone = crate::schema::entities::table
            .filter(
                crate::schema::entities::merged_into
                    .is_not_null()
                    .or(crate::schema::entities::deleted_at.is_not_null()),
            )
            .select(crate::schema::entities::id);
        match f.modified_since {
            // a merged or deleted actor is left out of lists, except as a tombstone for syncing
            None => q = q.filter(actors::id.ne_all(gone)),
            Some(since) => {
                let touched = crate::schema::entities::table
                    .filter(crate::schema::entities::updated_at.ge(since))
                    .select(crate::schema::entities::id);
                q = q.filter(actors::updated_at.ge(since).or(actors::id.eq_any(touched)));
            }
        }
        q
    }

    /// Whether actors are tombstones: (id, deleted, merged into).
    pub async fn tombstones(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<(i64, bool, Option<i64>)>> {
        use crate::schema::entities;
        let rows: Vec<(i64, Option<chrono::DateTime<chrono::Utc>>, Option<i64>)> = entities::table
            .filter(entities::id.eq_any(ids))
            .select((entities::id, entities::deleted_at, entities::merged_into))
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(|(id, d, m)| (id, d.is_some(), m)).collect())
    }

    /// A page of actors by name (then id); the cursor is the id of the last actor of the previous page
    /// together with its name.
    pub async fn list(conn: &mut AsyncPgConnection, f: &ActorFilter, page: Page<(String, i64)>) -> Result<Vec<Actor>> {
        let mut q = Self::filtered(f);
        if let Some((name, id)) = page.after {
            q = q.filter(actors::name.gt(name.clone()).or(actors::name.eq(name).and(actors::id.gt(id))));
        }
        if let Some((name, id)) = page.before {
            q = q.filter(actors::name.lt(name.clone()).or(actors::name.eq(name).and(actors::id.lt(id))));
        }
        let q = if page.from_end {
            q.order((actors::name.desc(), actors::id.desc()))
        } else {
            q.order((actors::name.asc(), actors::id.asc()))
        };
        let rows = q.limit(page.limit).select(Actor::as_select()).load(conn).await?;
        Ok(super::in_list_order(rows, page.from_end))
    }

    /// Actors by id (for a DataLoader), in no particular order; tombstones included.
    pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<Actor>> {
        Ok(actors::table.filter(actors::id.eq_any(ids)).select(Actor::as_select()).load(conn).await?)
    }

    pub async fn count(conn: &mut AsyncPgConnection, f: &ActorFilter) -> Result<i64> {
        Ok(Self::filtered(f).count().get_result(conn).await?)
    }

    /// By id, slug or official key (an AGS, or the ARS of a municipal federation).
    pub async fn find(
        conn: &mut AsyncPgConnection,
        id: Option<ActorId>,
        slug: Option<&str>,
        ags: Option<&str>,
    ) -> Result<Option<Actor>> {
        let mut q = actors::table.select(Actor::as_select()).into_boxed();
        if let Some(id) = id {
            q = q.filter(actors::id.eq(id));
        }
        if let Some(slug) = slug {
            q = q.filter(actors::slug.eq(slug));
        }
        if let Some(ags) = ags {
            q = q.filter(actors::ags.eq(ags).or(actors::ars.eq(ags)));
        }
        // a kreisfreie Stadt shares its key with its district: the municipality comes first
        Ok(q.order((actors::kind.ne(ActorKind::Municipality), actors::id)).first(conn).await.optional()?)
    }
}

/// An edge of the graph with the names of its ends.
#[derive(Debug, Clone, QueryableByName)]
pub struct Edge {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub predicate: Predicate,
    #[diesel(sql_type = Nullable<Text>)]
    pub role: Option<Role>,
    #[diesel(sql_type = Nullable<Text>)]
    pub title: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = Float4)]
    pub confidence: f32,
    #[diesel(sql_type = BigInt)]
    pub subject_id: i64,
    #[diesel(sql_type = Text)]
    pub subject_type: NodeType,
    #[diesel(sql_type = Nullable<Text>)]
    pub subject_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub object_id: i64,
    #[diesel(sql_type = Text)]
    pub object_type: NodeType,
    #[diesel(sql_type = Nullable<Text>)]
    pub object_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub valid_from: Option<chrono::NaiveDate>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub valid_until: Option<chrono::NaiveDate>,
}

/// Where an edge was read.
#[derive(Debug, Clone, QueryableByName)]
pub struct EvidenceRow {
    #[diesel(sql_type = BigInt)]
    pub relation_id: i64,
    #[diesel(sql_type = Text)]
    pub method: String,
    #[diesel(sql_type = Float4)]
    pub confidence: f32,
    #[diesel(sql_type = Nullable<Text>)]
    pub sentence: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub document_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub document_title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub source_name: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub start_offset: Option<i32>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub end_offset: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub document_url: Option<String>,
}

/// The columns of an [`Edge`] from `relations r` and its ends `sn` and `o` ([`EDGE_ENDS`]).
macro_rules! edge_columns {
    () => {
        "r.id, r.predicate, r.role, r.title, r.status, r.confidence, \
         r.subject_id, sn.entity_type AS subject_type, sn.name AS subject_name, \
         r.object_id, o.entity_type AS object_type, o.name AS object_name, r.valid_from, r.valid_until"
    };
}

/// The type and name of both ends of `relations r`, looked up per edge (`OFFSET 0` keeps each
/// lookup a subquery of its own). Joined as a whole, the view `entity_names` was hashed over every
/// node for a handful of edges: 9.5 ms against 0.9 ms for the first 10 parties of an agreement.
macro_rules! edge_ends {
    () => {
        "CROSS JOIN LATERAL (SELECT x.entity_type, x.name FROM entity_names x WHERE x.id = r.subject_id OFFSET 0) sn \
         CROSS JOIN LATERAL (SELECT x.entity_type, x.name FROM entity_names x WHERE x.id = r.object_id OFFSET 0) o"
    };
}

const EDGE_SELECT: &str =
    concat!("SELECT ", edge_columns!(), " FROM relations r ", edge_ends!(), " WHERE r.deleted_at IS NULL");

impl Edge {
    /// The edges of a node, as subject or object, of one predicate or all, at most `limit`.
    pub async fn of_node(
        conn: &mut AsyncPgConnection,
        node: i64,
        predicate: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Edge>> {
        Ok(diesel::sql_query(format!(
            "{EDGE_SELECT} AND (r.subject_id = $1 OR r.object_id = $1) AND ($2::text IS NULL OR r.predicate = $2) \
             ORDER BY r.predicate, r.id LIMIT $3"
        ))
        .bind::<BigInt, _>(node)
        .bind::<Nullable<Text>, _>(predicate)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?)
    }
}

impl EvidenceRow {
    /// The evidence of many edges at once (for a DataLoader).
    pub async fn for_relations(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<EvidenceRow>> {
        Ok(diesel::sql_query(
            "SELECT ev.relation_id, ev.method, ev.confidence, ev.sentence, ev.document_id, d.title AS document_title, \
             s.name AS source_name, ev.start_offset, ev.end_offset, d.url AS document_url FROM evidence ev LEFT JOIN documents d ON d.id = ev.document_id \
             LEFT JOIN sources s ON s.id = ev.source_id WHERE ev.relation_id = ANY($1) ORDER BY ev.relation_id, ev.id",
        )
        .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
        .load(conn)
        .await?)
    }
}

/// A node of any type with its one name, as the view `entity_names` gives it.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct NamedNode {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity_type: NodeType,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub slug: Option<String>,
}

impl NamedNode {
    /// A node by its slug (actors, projects, agreements, services) or state code.
    pub async fn find_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> Result<Option<NamedNode>> {
        Ok(diesel::sql_query("SELECT id, entity_type, name, slug FROM entity_names WHERE slug = $1 LIMIT 1")
            .bind::<diesel::sql_types::Text, _>(slug)
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Nodes by slug (one statement for many).
    pub async fn find_by_slugs(conn: &mut AsyncPgConnection, slugs: &[String]) -> Result<Vec<NamedNode>> {
        Ok(diesel::sql_query("SELECT id, entity_type, name, slug FROM entity_names WHERE slug = ANY($1)")
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(slugs)
            .load(conn)
            .await?)
    }

    /// Nodes by id.
    pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<NamedNode>> {
        Ok(diesel::sql_query("SELECT id, entity_type, name, slug FROM entity_names WHERE id = ANY($1)")
            .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
            .load(conn)
            .await?)
    }
}

/// The node an id stands for now: itself, or the node it was merged into (followed to the end).
pub async fn survivor(conn: &mut AsyncPgConnection, id: EntityId) -> Result<EntityId> {
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = BigInt)]
        id: EntityId,
    }
    let s: Option<S> = diesel::sql_query(
        "WITH RECURSIVE chain(id, merged_into, depth) AS ( \
           SELECT id, merged_into, 0 FROM entities WHERE id = $1 \
           UNION ALL SELECT e.id, e.merged_into, c.depth + 1 FROM entities e JOIN chain c ON e.id = c.merged_into \
           WHERE c.depth < 20) \
         SELECT id FROM chain WHERE merged_into IS NULL LIMIT 1",
    )
    .bind::<BigInt, _>(id)
    .get_result(conn)
    .await
    .optional()?;
    Ok(s.map_or(id, |s| s.id))
}

/// The nodes many ids stand for now (see [`survivor`]), in one statement: (id, survivor) for each
/// id that exists.
pub async fn survivors(conn: &mut AsyncPgConnection, ids: &[EntityId]) -> Result<Vec<(EntityId, EntityId)>> {
    #[derive(QueryableByName)]
    struct S {
        #[diesel(sql_type = BigInt)]
        start: EntityId,
        #[diesel(sql_type = BigInt)]
        id: EntityId,
    }
    let rows: Vec<S> = diesel::sql_query(
        "WITH RECURSIVE chain(start, id, merged_into, depth) AS ( \
           SELECT id, id, merged_into, 0 FROM entities WHERE id = ANY($1) \
           UNION ALL SELECT c.start, e.id, e.merged_into, c.depth + 1 FROM entities e \
           JOIN chain c ON e.id = c.merged_into WHERE c.depth < 20) \
         SELECT DISTINCT ON (start) start, id FROM chain WHERE merged_into IS NULL ORDER BY start, depth",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|s| (s.start, s.id)).collect())
}

/// Which way an edge points from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// the node is the subject
    Outgoing,
    /// the node is the object
    Incoming,
    Both,
}

impl Direction {
    /// How a relation `r` meets the node `n.node` in this direction.
    fn join_condition(self) -> &'static str {
        match self {
            Direction::Outgoing => "r.subject_id = n.node",
            Direction::Incoming => "r.object_id = n.node",
            Direction::Both => "(r.subject_id = n.node OR r.object_id = n.node)",
        }
    }
}

/// An edge of a node, with the node it was asked for.
#[derive(Debug, Clone, QueryableByName)]
pub struct NodeEdge {
    #[diesel(sql_type = BigInt)]
    pub node: i64,
    #[diesel(embed)]
    pub edge: Edge,
}

/// Which edges count for a node's lists, after `r.deleted_at IS NULL`: those of the predicates
/// `$2` (all when empty) that are not rejected. Shared by a node's pages and their counts.
const OF_NODE: &str = "AND (cardinality($2::text[]) = 0 OR r.predicate = ANY($2)) AND r.status <> 'rejected'";

/// The cursor of a node's edge list, which is ordered by (predicate, id).
pub type EdgeCursor = (String, i64);

impl Edge {
    /// The edges of many nodes at once, at most `limit` per node, in a stable order (predicate,
    /// id): one statement for a whole page of nodes.
    pub async fn of_nodes(
        conn: &mut AsyncPgConnection,
        nodes: &[i64],
        predicates: &[Predicate],
        direction: Direction,
        limit: i64,
    ) -> Result<Vec<NodeEdge>> {
        Self::pages_of_nodes(conn, nodes, predicates, direction, &Page::first(limit)).await
    }

    /// How many edges each of many nodes has under `predicates` and `direction` (the nodes
    /// without any are left out): one statement.
    pub async fn count_of_nodes(
        conn: &mut AsyncPgConnection,
        nodes: &[i64],
        predicates: &[Predicate],
        direction: Direction,
    ) -> Result<Vec<(i64, i64)>> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            node: i64,
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let side = direction.join_condition();
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT n.node, count(*) AS n FROM unnest($1::bigint[]) AS n(node) JOIN relations r ON {side} \
             WHERE r.deleted_at IS NULL {OF_NODE} \
             GROUP BY n.node"
        ))
        .bind::<diesel::sql_types::Array<BigInt>, _>(nodes)
        .bind::<diesel::sql_types::Array<Text>, _>(predicates)
        .load(conn)
        .await?;
        Ok(rows.into_iter().map(|r| (r.node, r.n)).collect())
    }

    /// One page of edges for each of many nodes, in one statement: the edges between the page's
    /// cursors, the first or (`from_end`) the last `page.limit` of them, in list order (predicate,
    /// id).
    pub async fn pages_of_nodes(
        conn: &mut AsyncPgConnection,
        nodes: &[i64],
        predicates: &[Predicate],
        direction: Direction,
        page: &Page<EdgeCursor>,
    ) -> Result<Vec<NodeEdge>> {
        let side = direction.join_condition();
        let order = if page.from_end { "DESC" } else { "ASC" };
        let window = "($3::text IS NULL OR (r.predicate, r.id) > ($3, $4)) AND ($5::text IS NULL OR (r.predicate, r.id) < ($5, $6))";
        let (after_p, after_id) = page.after.clone().map_or((None, None), |(p, i)| (Some(p), Some(i)));
        let (before_p, before_id) = page.before.clone().map_or((None, None), |(p, i)| (Some(p), Some(i)));
        // per node, its first (last) edges of the window by the index on its side, then the
        // names of their ends: an agreement's 80 parties are not all named to show 10
        Ok(diesel::sql_query(format!(
            "SELECT n.node, {columns} FROM unnest($1::bigint[]) AS n(node) \
             CROSS JOIN LATERAL (SELECT r.* FROM relations r WHERE {side} AND r.deleted_at IS NULL {OF_NODE} \
               AND {window} ORDER BY r.predicate {order}, r.id {order} LIMIT $7) r \
             {ends} ORDER BY n.node, r.predicate, r.id",
            columns = edge_columns!(),
            ends = edge_ends!(),
        ))
        .bind::<diesel::sql_types::Array<BigInt>, _>(nodes)
        .bind::<diesel::sql_types::Array<Text>, _>(predicates)
        .bind::<Nullable<Text>, _>(after_p)
        .bind::<Nullable<BigInt>, _>(after_id)
        .bind::<Nullable<Text>, _>(before_p)
        .bind::<Nullable<BigInt>, _>(before_id)
        .bind::<BigInt, _>(page.limit)
        .load(conn)
        .await?)
    }
}

impl Edge {
    /// The edges that documents are evidence for, each with its document as `node`, by predicate
    /// and id: one statement for many documents.
    pub async fn read_in_documents(conn: &mut AsyncPgConnection, documents: &[i64]) -> Result<Vec<NodeEdge>> {
        let select = EDGE_SELECT.replacen("SELECT ", "SELECT DISTINCT ev.document_id AS node, ", 1).replacen(
            "FROM relations r",
            "FROM evidence ev JOIN relations r ON r.id = ev.relation_id",
            1,
        );
        Ok(diesel::sql_query(format!(
            "{select} AND ev.document_id = ANY($1) AND r.status <> 'rejected' ORDER BY node, r.predicate, r.id"
        ))
        .bind::<diesel::sql_types::Array<BigInt>, _>(documents)
        .load(conn)
        .await?)
    }

    /// Edges by id.
    pub async fn by_ids(conn: &mut AsyncPgConnection, ids: &[RelationId]) -> Result<Vec<Edge>> {
        Ok(diesel::sql_query(format!("{EDGE_SELECT} AND r.id = ANY($1) ORDER BY r.id"))
            .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
            .load(conn)
            .await?)
    }
}

/// Which edges the list of all edges holds: of a status (all but the rejected when none), of
/// some predicates (all when empty).
#[derive(Debug, Clone, Default)]
pub struct EdgeFilter {
    pub status: Option<Status>,
    pub predicates: Vec<Predicate>,
}

impl Edge {
    const LIST_WHERE: &'static str = "AND (($1::text IS NULL AND r.status <> 'rejected') OR r.status = $1) \
         AND (cardinality($2::text[]) = 0 OR r.predicate = ANY($2))";

    /// All edges, newest first (by id): the review queue's candidates, or a portal's sync.
    pub async fn list(conn: &mut AsyncPgConnection, f: &EdgeFilter, page: Page<i64>) -> Result<Vec<Edge>> {
        let order = if page.from_end { "ASC" } else { "DESC" };
        let rows = diesel::sql_query(format!(
            "{EDGE_SELECT} {} AND ($3::bigint IS NULL OR r.id < $3) AND ($4::bigint IS NULL OR r.id > $4) \
             ORDER BY r.id {order} LIMIT $5",
            Self::LIST_WHERE
        ))
        .bind::<Nullable<Text>, _>(f.status)
        .bind::<diesel::sql_types::Array<Text>, _>(&f.predicates)
        .bind::<Nullable<BigInt>, _>(page.after)
        .bind::<Nullable<BigInt>, _>(page.before)
        .bind::<BigInt, _>(page.limit)
        .load(conn)
        .await?;
        Ok(super::in_list_order(rows, page.from_end))
    }

    /// How many edges [`Edge::list`] holds under `f`.
    pub async fn count(conn: &mut AsyncPgConnection, f: &EdgeFilter) -> Result<i64> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let row: Row = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM relations r WHERE r.deleted_at IS NULL {}",
            Self::LIST_WHERE
        ))
        .bind::<Nullable<Text>, _>(f.status)
        .bind::<diesel::sql_types::Array<Text>, _>(&f.predicates)
        .get_result(conn)
        .await?;
        Ok(row.n)
    }
}
