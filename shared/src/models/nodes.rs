//! Projects, agreements and services as one row shape ([`NodeRow`]), listed with filters and
//! keyset pages, found by slug or official key; and what portals need to mirror them: changes
//! since an instant, with deletions and merges as tombstones.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::OptionalExtension;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, BigInt, Bool, Date, Jsonb, Nullable, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::Page;
use crate::Result;
use crate::vocab::{NodeType, StateCode, Status};

/// The table a node lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeTable {
    Projects,
    Agreements,
    Services,
}

impl NodeTable {
    fn select(self) -> &'static str {
        match self {
            NodeTable::Projects => {
                "SELECT t.id, 'project'::text AS entity_type, t.kind, t.name, t.slug, t.aliases, t.state_code, \
                 t.status, NULL::date AS date, NULL::text AS ozg_id, NULL::text AS leika_key, NULL::text AS themenfeld, \
                 t.description, t.homepage, t.attributes, t.updated_at, e.deleted_at, e.merged_into \
                 FROM projects t JOIN entities e ON e.id = t.id"
            }
            NodeTable::Agreements => {
                "SELECT t.id, 'agreement'::text AS entity_type, t.kind, t.title AS name, t.slug, t.aliases, \
                 t.state_code, t.status, t.date_signed AS date, NULL::text AS ozg_id, NULL::text AS leika_key, \
                 NULL::text AS themenfeld, t.description, NULL::text AS homepage, t.attributes, t.updated_at, e.deleted_at, \
                 e.merged_into FROM agreements t JOIN entities e ON e.id = t.id"
            }
            NodeTable::Services => {
                "SELECT t.id, 'service'::text AS entity_type, t.kind, t.name, t.slug, t.aliases, \
                 t.lead_state_code AS state_code, t.status, NULL::date AS date, t.ozg_id, t.leika_key, t.themenfeld, \
                 NULL::text AS description, NULL::text AS homepage, t.attributes, t.updated_at, e.deleted_at, \
                 e.merged_into FROM services t JOIN entities e ON e.id = t.id"
            }
        }
    }
}

/// A project, agreement or service.
#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct NodeRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub entity_type: NodeType,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Array<Text>)]
    pub aliases: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub state_code: Option<StateCode>,
    #[diesel(sql_type = Text)]
    pub status: Status,
    #[diesel(sql_type = Nullable<Date>)]
    pub date: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ozg_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub leika_key: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub themenfeld: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub description: Option<String>,
    /// A project's homepage.
    #[diesel(sql_type = Nullable<Text>)]
    pub homepage: Option<String>,
    #[diesel(sql_type = Jsonb)]
    pub attributes: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub deleted_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub merged_into: Option<i64>,
}

/// Filters of node lists; every value is a bound parameter.
#[derive(Debug, Clone, Default)]
pub struct NodeFilter {
    pub state: Option<StateCode>,
    /// The word of a kind of the table's vocabulary ([`crate::vocab::ProjectKind`], ...).
    pub kind: Option<&'static str>,
    pub status: Option<Status>,
    /// A part of the name or of an alias (case-insensitive).
    pub text: Option<String>,
    /// Agreements dated on or after / on or before.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Changed at or after this instant; the list then includes tombstones.
    pub modified_since: Option<DateTime<Utc>>,
    /// Nodes linked by an edge (either way) to this node.
    pub linked_to: Option<i64>,
}

const WHERE: &str = " WHERE ($1::text IS NULL OR STATE_COL = $1) AND ($2::text IS NULL OR t.kind = $2) \
    AND ($3::text IS NULL OR t.status = $3) \
    AND ($4::text IS NULL OR t.SEARCH_COL ILIKE '%' || $4 || '%' OR array_to_string(t.aliases, ' ') ILIKE '%' || $4 || '%') \
    AND ($5::date IS NULL OR DATE_COL >= $5) AND ($6::date IS NULL OR DATE_COL <= $6) \
    AND (($7::timestamptz IS NULL AND e.deleted_at IS NULL AND e.merged_into IS NULL) OR greatest(t.updated_at, e.updated_at) >= $7) \
    AND ($8::bigint IS NULL OR EXISTS (SELECT 1 FROM relations r WHERE r.deleted_at IS NULL AND \
         ((r.subject_id = t.id AND r.object_id = $8) OR (r.object_id = t.id AND r.subject_id = $8))))";

fn where_clause(table: NodeTable) -> String {
    let (search, date, state) = match table {
        NodeTable::Agreements => ("title", "t.date_signed", "t.state_code"),
        NodeTable::Projects => ("name", "NULL::date", "t.state_code"),
        // a service's state is the Land that leads it
        NodeTable::Services => ("name", "NULL::date", "t.lead_state_code"),
    };
    WHERE.replace("SEARCH_COL", search).replace("DATE_COL", date).replace("STATE_COL", state)
}

/// A query with the filter's values bound as $1 to $8 (the placeholders of [`WHERE`]).
fn with_filter(sql: String, f: &NodeFilter) -> BoxedSqlQuery<'_, Pg, SqlQuery> {
    diesel::sql_query(sql)
        .into_boxed()
        .bind::<Nullable<Text>, _>(f.state)
        .bind::<Nullable<Text>, _>(f.kind)
        .bind::<Nullable<Text>, _>(f.status)
        .bind::<Nullable<Text>, _>(f.text.as_deref())
        .bind::<Nullable<Date>, _>(f.from)
        .bind::<Nullable<Date>, _>(f.to)
        .bind::<Nullable<Timestamptz>, _>(f.modified_since)
        .bind::<Nullable<BigInt>, _>(f.linked_to)
}

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl NodeRow {
    /// A page of nodes by name (then id); `after` is the (name, id) of the last row seen.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        table: NodeTable,
        f: &NodeFilter,
        page: Page<(String, i64)>,
    ) -> Result<Vec<NodeRow>> {
        let (after_name, after_id) = page.after.map_or((None, None), |(n, i)| (Some(n), Some(i)));
        let (before_name, before_id) = page.before.map_or((None, None), |(n, i)| (Some(n), Some(i)));
        let name_col = if table == NodeTable::Agreements { "t.title" } else { "t.name" };
        let order = if page.from_end { "DESC" } else { "ASC" };
        let sql = format!(
            "{}{} AND ($9::text IS NULL OR ({name_col}, t.id) > ($9, $10)) \
             AND ($11::text IS NULL OR ({name_col}, t.id) < ($11, $12)) ORDER BY {name_col} {order}, t.id {order} LIMIT $13",
            table.select(),
            where_clause(table)
        );
        let rows = with_filter(sql, f)
            .bind::<Nullable<Text>, _>(after_name)
            .bind::<Nullable<BigInt>, _>(after_id)
            .bind::<Nullable<Text>, _>(before_name)
            .bind::<Nullable<BigInt>, _>(before_id)
            .bind::<BigInt, _>(page.limit)
            .load(conn)
            .await?;
        Ok(super::in_list_order(rows, page.from_end))
    }

    pub async fn count(conn: &mut AsyncPgConnection, table: NodeTable, f: &NodeFilter) -> Result<i64> {
        let from = table.select().split(" FROM ").nth(1).unwrap_or_default();
        let sql = format!("SELECT count(*) AS n FROM {from}{}", where_clause(table));
        let n: N = with_filter(sql, f).get_result(conn).await?;
        Ok(n.n)
    }

    /// One node by id, slug, OZG id or LeiKa key (services); a merged id resolves to the
    /// surviving node.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        table: NodeTable,
        id: Option<crate::ids::EntityId>,
        slug: Option<&str>,
        key: Option<&str>,
    ) -> Result<Option<NodeRow>> {
        let id = match id {
            Some(id) => Some(super::graph::survivor(conn, id).await?),
            None => None,
        };
        let key_clause = if table == NodeTable::Services { "t.ozg_id = $3 OR t.leika_key = $3" } else { "false" };
        let sql = format!(
            "{} WHERE ($1::bigint IS NOT NULL AND t.id = $1) OR ($2::text IS NOT NULL AND t.slug = $2) \
             OR ($3::text IS NOT NULL AND ({key_clause})) ORDER BY t.id LIMIT 1",
            table.select()
        );
        Ok(diesel::sql_query(sql)
            .bind::<Nullable<BigInt>, _>(id)
            .bind::<Nullable<Text>, _>(slug)
            .bind::<Nullable<Text>, _>(key)
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Nodes by id (for a DataLoader or `nodes(ids)`).
    pub async fn by_ids(conn: &mut AsyncPgConnection, table: NodeTable, ids: &[i64]) -> Result<Vec<NodeRow>> {
        Ok(diesel::sql_query(format!("{} WHERE t.id = ANY($1)", table.select()))
            .bind::<Array<BigInt>, _>(ids)
            .load(conn)
            .await?)
    }
}

/// Whether a node of any type exists (for checking ids given by clients).
pub async fn exists(conn: &mut AsyncPgConnection, id: i64) -> Result<bool> {
    #[derive(diesel::QueryableByName)]
    struct E {
        #[diesel(sql_type = Bool)]
        e: bool,
    }
    let e: E = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM entities WHERE id = $1) AS e")
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .await?;
    Ok(e.e)
}
