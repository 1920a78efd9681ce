//! The root fields of the graph beyond announcements and actors: `node`/`nodes` (the `Node`
//! interface over global ids), projects, agreements and services (lists with filters, lookups),
//! `announcement`, `search`, `neighbourhood`, `paths` and `stats`.

use std::collections::{HashMap, HashSet, VecDeque};

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Interface, Object, SimpleObject};
use govgraph_shared::models::graph::{self, Direction, Edge};
use govgraph_shared::models::nodes::{NodeFilter, NodeRow, NodeTable};
use govgraph_shared::models::{Document, stats};
use govgraph_shared::vocab::Predicate;

use crate::error::{ApiResult, bad_input, internal};
use crate::loaders::{NodeById, NodeKey};
use crate::pagination::{self, Page, PageArgs, connection};
use crate::schema::conn;
use crate::types::node_types::{Agreement, Project, Service};
use crate::types::{Actor, Announcement, GlobalId, Relation, State, decode_id, wrong_type};
use govgraph_shared::ids::{ActorId, AgreementId, EntityId, ProjectId, ServiceId};

/// Anything with a global id.
#[derive(Interface, Clone)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    State(State),
    Actor(Actor),
    Announcement(Announcement),
    Project(Project),
    Agreement(Agreement),
    Service(Service),
    Relation(Relation),
    Source(crate::types::Source),
    HarvestRun(crate::types::HarvestRun),
}

/// The nodes of global ids, in the order given (none for an unknown id): the ids of actors,
/// projects, agreements and services merged away resolve to the surviving node (one statement
/// for all), then every node comes through the [`NodeById`](crate::loaders::NodeById) loader
/// (one statement per type).
async fn load_nodes(ctx: &Context<'_>, ids: &[ID]) -> ApiResult<Vec<Option<Node>>> {
    let globals: Vec<GlobalId> = ids.iter().map(|id| decode_id(id, "a govgraph id")).collect::<ApiResult<_>>()?;
    let kinds: Vec<EntityId> = globals.iter().filter_map(|g| g.kind().map(|k| k.entity())).collect();
    let survivors: HashMap<i64, i64> = if kinds.is_empty() {
        HashMap::new()
    } else {
        let mut conn = conn(ctx).await?;
        graph::survivors(&mut conn, &kinds)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(a, b)| (a.get(), b.get()))
            .collect()
    };
    let keys: Vec<NodeKey> = globals
        .into_iter()
        .map(|g| {
            let survivor = |id: i64| survivors.get(&id).copied().unwrap_or(id);
            NodeKey::Global(match g {
                GlobalId::Actor(id) => GlobalId::Actor(ActorId::new(survivor(id.get()))),
                GlobalId::Project(id) => GlobalId::Project(ProjectId::new(survivor(id.get()))),
                GlobalId::Agreement(id) => GlobalId::Agreement(AgreementId::new(survivor(id.get()))),
                GlobalId::Service(id) => GlobalId::Service(ServiceId::new(survivor(id.get()))),
                GlobalId::State(code) => GlobalId::State(code.trim().to_uppercase()),
                other => other,
            })
        })
        .collect();
    let loader = ctx.data_unchecked::<DataLoader<NodeById>>();
    let found = loader
        .load_many(keys.iter().cloned())
        .await
        .map_err(|e| internal(crate::error::ApiError::Internal(e.to_string())))?;
    Ok(keys.iter().map(|k| found.get(k).cloned()).collect())
}

pub(crate) fn wrap(table: NodeTable, r: NodeRow) -> Node {
    match table {
        NodeTable::Projects => Node::Project(Project(r)),
        NodeTable::Agreements => Node::Agreement(Agreement(r)),
        NodeTable::Services => Node::Service(Service(r)),
    }
}

/// The entity id of the node of a global id (an actor, project, agreement or service, followed
/// to the node it was merged into), or of a slug when `slug` is given instead. Exactly one of them.
pub(crate) async fn resolve_id_or_slug(
    ctx: &Context<'_>,
    id: Option<&ID>,
    slug: Option<&str>,
    what: &str,
) -> ApiResult<i64> {
    match (id, slug) {
        (Some(id), None) => {
            let global = decode_id(id, "a govgraph id")?;
            if global.kind().is_none() {
                return Err(wrong_type(id, &global, "an actor, project, agreement or service"));
            }
            resolve_node(ctx, id).await
        }
        (None, Some(slug)) => {
            let mut conn = conn(ctx).await?;
            graph::NamedNode::find_by_slug(&mut conn, slug.trim())
                .await
                .map_err(internal)?
                .map(|n| n.id)
                .ok_or_else(|| bad_input(format!("no node with the slug `{slug}`")))
        }
        _ => Err(bad_input(format!("give `{what}` as an id or as a slug, one of them"))),
    }
}

/// The row id of the node of a global id (an actor, project, agreement or service) or of a slug.
/// The id of another type (an announcement, an edge, ...) is a `BAD_USER_INPUT` error, not the
/// node that shares its number.
pub(crate) async fn resolve_node(ctx: &Context<'_>, id_or_slug: &str) -> ApiResult<i64> {
    if let Some(global) = GlobalId::parse(id_or_slug) {
        let kind =
            global.kind().ok_or_else(|| wrong_type(id_or_slug, &global, "an actor, project, agreement or service"))?;
        let mut conn = conn(ctx).await?;
        return graph::survivor(&mut conn, kind.entity()).await.map(EntityId::get).map_err(internal);
    }
    let mut conn = conn(ctx).await?;
    graph::NamedNode::find_by_slug(&mut conn, id_or_slug.trim())
        .await
        .map_err(internal)?
        .map(|n| n.id)
        .ok_or_else(|| bad_input(format!("no node with the id or slug `{id_or_slug}`")))
}

/// The row ids of the nodes given (global ids or slugs), leaving out those not given: the global
/// ids followed to their survivors in one statement, the slugs found in one more.
pub(crate) async fn resolve_nodes<const N: usize>(
    ctx: &Context<'_>,
    given: [Option<String>; N],
) -> ApiResult<Vec<i64>> {
    let (mut kinds, mut slugs) = (Vec::new(), Vec::new());
    for node in given.into_iter().flatten() {
        match GlobalId::parse(&node) {
            Some(global) => kinds.push(
                global
                    .kind()
                    .ok_or_else(|| wrong_type(&node, &global, "an actor, project, agreement or service"))?
                    .entity(),
            ),
            None => slugs.push(node.trim().to_owned()),
        }
    }
    if kinds.is_empty() && slugs.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = conn(ctx).await?;
    let mut ids = Vec::new();
    if !kinds.is_empty() {
        let survivors: HashMap<EntityId, EntityId> =
            graph::survivors(&mut conn, &kinds).await.map_err(internal)?.into_iter().collect();
        ids.extend(kinds.iter().map(|k| survivors.get(k).unwrap_or(k).get()));
    }
    if !slugs.is_empty() {
        let found: HashMap<String, i64> = graph::NamedNode::find_by_slugs(&mut conn, &slugs)
            .await
            .map_err(internal)?
            .into_iter()
            .filter_map(|n| Some((n.slug?, n.id)))
            .collect();
        for slug in &slugs {
            ids.push(*found.get(slug).ok_or_else(|| bad_input(format!("no node with the id or slug `{slug}`")))?);
        }
    }
    Ok(ids)
}

/// The kind named in the cursors of a node list.
fn cursor_kind(table: NodeTable) -> &'static str {
    match table {
        NodeTable::Projects => "project",
        NodeTable::Agreements => "agreement",
        NodeTable::Services => "service",
    }
}

async fn list<N: async_graphql::OutputType>(
    ctx: &Context<'_>,
    table: NodeTable,
    args: PageArgs,
    filter: NodeFilter,
    wrap: fn(NodeRow) -> N,
) -> ApiResult<Page<N>> {
    let kind = cursor_kind(table);
    let window = args.window(pagination::DEFAULT_PAGE, |c| pagination::decode_named(kind, c))?;
    node_page(ctx, table, &filter, &window, wrap).await
}

/// A page of projects, agreements or services.
pub(crate) async fn node_page<N: async_graphql::OutputType>(
    ctx: &Context<'_>,
    table: NodeTable,
    filter: &NodeFilter,
    window: &pagination::Window<(String, i64)>,
    wrap: fn(NodeRow) -> N,
) -> ApiResult<Page<N>> {
    let kind = cursor_kind(table);
    let mut conn = conn(ctx).await?;
    let rows = NodeRow::list(&mut conn, table, filter, window.page.clone()).await.map_err(internal)?;
    let total = pagination::total_if_asked(ctx, || NodeRow::count(&mut conn, table, filter)).await?;
    Ok(connection(rows, window, total, |r| pagination::encode_named(kind, &r.name, r.id), wrap))
}

/// A part of the graph around a node: its nodes and the edges between them.
/// One line of the audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// The name of the editor's token.
    pub who: String,
    /// What was done: `set_status:confirmed`, `merge_actors`, `add_alias`, ...
    pub action: String,
    /// The node, edge or source it was done to.
    pub target: Option<String>,
    pub details: async_graphql::Json<serde_json::Value>,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(SimpleObject)]
pub struct Subgraph {
    /// The nodes (actors, agreements, ...: ask with `... on Actor { }`).
    pub nodes: Vec<Node>,
    pub edges: Vec<Relation>,
}

/// One way from a node to another: its hops, each an edge with its evidence.
#[derive(SimpleObject)]
pub struct Path {
    pub hops: Vec<Relation>,
}

/// One count of `stats`.
#[derive(SimpleObject)]
pub struct Count {
    pub key: Option<String>,
    pub count: i64,
}

/// Counts for charts; each list is counted only when a query asks for it.
pub struct Stats;

/// Runs one of the counts of `shared::models::stats`.
macro_rules! count_with {
    ($ctx:expr, $f:path) => {{
        let mut conn = conn($ctx).await?;
        Ok($f(&mut conn).await.map_err(internal)?.into_iter().map(|c| Count { key: c.key, count: c.n }).collect())
    }};
}

/// Counts for charts; each list is counted only when a query asks for it.
#[Object]
impl Stats {
    async fn announcements_by_state(&self, ctx: &Context<'_>) -> ApiResult<Vec<Count>> {
        count_with!(ctx, stats::documents_by_state)
    }
    async fn announcements_by_year(&self, ctx: &Context<'_>) -> ApiResult<Vec<Count>> {
        count_with!(ctx, stats::documents_by_year)
    }
    async fn actors_by_kind(&self, ctx: &Context<'_>) -> ApiResult<Vec<Count>> {
        count_with!(ctx, stats::actors_by_kind)
    }
    async fn relations_by_predicate(&self, ctx: &Context<'_>) -> ApiResult<Vec<Count>> {
        count_with!(ctx, stats::relations_by_predicate)
    }
    async fn nodes_by_type(&self, ctx: &Context<'_>) -> ApiResult<Vec<Count>> {
        count_with!(ctx, stats::nodes_by_type)
    }
}

#[derive(Default)]
pub struct GraphRoot;

#[Object]
impl GraphRoot {
    /// Any node by its global id; an id merged away resolves to the surviving node.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        Ok(load_nodes(ctx, std::slice::from_ref(&id)).await?.pop().flatten())
    }

    /// Nodes by global id, in the order asked (at most 100).
    #[graphql(complexity = "ids.len().max(1) * child_complexity")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(bad_input("at most 100 ids"));
        }
        load_nodes(ctx, &ids).await
    }

    /// Projects, platforms, portals, programmes and OZG Themenfelder, by name.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<crate::filters::ProjectFilter>,
    ) -> ApiResult<Page<Project>> {
        let filter = filter.unwrap_or_default().into_model(ctx).await?;
        list(ctx, NodeTable::Projects, PageArgs::new(first, after, last, before), filter, Project).await
    }

    /// One project by global id or slug.
    async fn project(&self, ctx: &Context<'_>, id: Option<ID>, slug: Option<String>) -> ApiResult<Option<Project>> {
        find(ctx, NodeTable::Projects, id, slug, None).await.map(|r| r.map(Project))
    }

    /// Agreements, frameworks, position papers, strategies and foundings, by title.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<crate::filters::AgreementFilter>,
    ) -> ApiResult<Page<Agreement>> {
        let filter = filter.unwrap_or_default().into_model(ctx).await?;
        list(ctx, NodeTable::Agreements, PageArgs::new(first, after, last, before), filter, Agreement).await
    }

    /// One agreement by global id or slug.
    async fn agreement(&self, ctx: &Context<'_>, id: Option<ID>, slug: Option<String>) -> ApiResult<Option<Agreement>> {
        find(ctx, NodeTable::Agreements, id, slug, None).await.map(|r| r.map(Agreement))
    }

    /// The services of the OZG catalogue and the LeiKa, by name.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn services(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<crate::filters::ServiceFilter>,
    ) -> ApiResult<Page<Service>> {
        let filter = filter.unwrap_or_default().into_model(ctx).await?;
        list(ctx, NodeTable::Services, PageArgs::new(first, after, last, before), filter, Service).await
    }

    /// One service by global id, slug, OZG id or LeiKa key.
    async fn service(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
        ozg_id: Option<String>,
        leika_key: Option<String>,
    ) -> ApiResult<Option<Service>> {
        let key = ozg_id.or(leika_key);
        find(ctx, NodeTable::Services, id, slug, key).await.map(|r| r.map(Service))
    }

    /// Every edge of the graph, newest first: of one status (`CANDIDATE` is the review queue;
    /// rejected edges only when asked for) and of some predicates.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<crate::filters::RelationListFilter>,
    ) -> ApiResult<Page<Relation>> {
        let window = PageArgs::new(first, after, last, before)
            .window(pagination::DEFAULT_PAGE, |c| pagination::decode_id("relation", c))?;
        let filter = filter.unwrap_or_default().into_model();
        let mut conn = conn(ctx).await?;
        let rows = Edge::list(&mut conn, &filter, window.page.clone()).await.map_err(internal)?;
        let total = pagination::total_if_asked(ctx, || Edge::count(&mut conn, &filter)).await?;
        Ok(connection(rows, &window, total, |r| pagination::encode("relation", &[r.id.to_string()]), Relation))
    }

    /// The newest lines of the audit log (editors only: send the token): who changed what, when.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many lines, 1 to 100.", default = 20)] first: i32,
    ) -> ApiResult<Vec<AuditEntry>> {
        crate::mutations::editor(ctx)?;
        if !(1..=100).contains(&first) {
            return Err(bad_input(format!("`first` must be between 1 and 100, not {first}")));
        }
        let mut conn = conn(ctx).await?;
        let rows = govgraph_shared::models::curation::audit_log(&mut conn, first.into()).await.map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                who: r.who,
                action: r.action,
                target: r.target,
                details: async_graphql::Json(r.details),
                at: r.at,
            })
            .collect())
    }

    /// One announcement by global id.
    async fn announcement(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Announcement>> {
        let row = match decode_id(&id, "an Announcement id")? {
            GlobalId::Announcement(row) => row,
            other => return Err(wrong_type(&id, &other, "an Announcement")),
        };
        let mut conn = conn(ctx).await?;
        Ok(Document::find(&mut conn, row).await.map_err(internal)?.map(Announcement))
    }

    /// The nodes and edges within `depth` hops (at most 3) of a node; at most 50 edges per node
    /// and 500 nodes.
    async fn neighbourhood(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The node's global id (or give `slug`).")] id: Option<ID>,
        #[graphql(desc = "The node's slug (or give `id`).")] slug: Option<String>,
        #[graphql(default = 1)] depth: i32,
        #[graphql(desc = "Only edges of these predicates (all when not given).")] predicates: Option<Vec<Predicate>>,
    ) -> ApiResult<Subgraph> {
        if !(1..=3).contains(&depth) {
            return Err(bad_input("`depth` must be between 1 and 3"));
        }
        let start = resolve_id_or_slug(ctx, id.as_ref(), slug.as_deref(), "id").await?;
        let predicates = crate::types::edges::predicates(predicates);
        let mut conn = conn(ctx).await?;
        let mut seen: HashSet<i64> = HashSet::from([start]);
        let mut frontier = vec![start];
        let mut edges: HashMap<i64, Edge> = HashMap::new();
        for _ in 0..depth {
            if frontier.is_empty() || seen.len() >= 500 {
                break;
            }
            let rows =
                Edge::of_nodes(&mut conn, &frontier, &predicates, Direction::Both, 50).await.map_err(internal)?;
            let mut next = Vec::new();
            for r in rows {
                for n in [r.edge.subject_id, r.edge.object_id] {
                    if seen.len() < 500 && seen.insert(n) {
                        next.push(n);
                    }
                }
                if seen.contains(&r.edge.subject_id) && seen.contains(&r.edge.object_id) {
                    edges.insert(r.edge.id, r.edge);
                }
            }
            frontier = next;
        }
        let mut ids: Vec<i64> = seen.into_iter().collect();
        ids.sort_unstable();
        let named = graph::NamedNode::find_many(&mut conn, &ids).await.map_err(internal)?;
        drop(conn);
        let keys: Vec<NodeKey> = named.iter().map(|n| NodeKey::of_entity(n.entity_type, n.id)).collect();
        let loader = ctx.data_unchecked::<DataLoader<NodeById>>();
        let found = loader
            .load_many(keys.iter().cloned())
            .await
            .map_err(|e| internal(crate::error::ApiError::Internal(e.to_string())))?;
        let mut edges: Vec<Edge> = edges.into_values().collect();
        edges.sort_by_key(|e| e.id);
        Ok(Subgraph {
            nodes: keys.iter().filter_map(|k| found.get(k).cloned()).collect(),
            edges: edges.into_iter().map(Relation).collect(),
        })
    }

    /// The shortest connections between two nodes (at most `maxHops`, up to 4; at most 10 paths),
    /// each hop an edge with its evidence.
    async fn paths(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of the first node (or give `fromSlug`).")] from: Option<ID>,
        #[graphql(desc = "The global id of the last node (or give `toSlug`).")] to: Option<ID>,
        #[graphql(desc = "The slug of the first node.")] from_slug: Option<String>,
        #[graphql(desc = "The slug of the last node.")] to_slug: Option<String>,
        #[graphql(default = 3)] max_hops: i32,
    ) -> ApiResult<Vec<Path>> {
        if !(1..=4).contains(&max_hops) {
            return Err(bad_input("`maxHops` must be between 1 and 4"));
        }
        let a = resolve_id_or_slug(ctx, from.as_ref(), from_slug.as_deref(), "from").await?;
        let b = resolve_id_or_slug(ctx, to.as_ref(), to_slug.as_deref(), "to").await?;
        let mut conn = conn(ctx).await?;
        // breadth first from `a`, remembering every edge that reaches a node first at its level
        let mut level: HashMap<i64, usize> = HashMap::from([(a, 0)]);
        let mut parents: HashMap<i64, Vec<Edge>> = HashMap::new();
        let mut frontier = vec![a];
        let mut depth = 0;
        while !frontier.is_empty() && depth < max_hops as usize && !level.contains_key(&b) {
            depth += 1;
            let rows = Edge::of_nodes(&mut conn, &frontier, &[], Direction::Both, 100).await.map_err(internal)?;
            let mut next = Vec::new();
            for r in rows {
                let other = if r.edge.subject_id == r.node { r.edge.object_id } else { r.edge.subject_id };
                match level.get(&other) {
                    None => {
                        level.insert(other, depth);
                        parents.entry(other).or_default().push(r.edge);
                        next.push(other);
                    }
                    Some(l) if *l == depth => parents.entry(other).or_default().push(r.edge),
                    _ => {}
                }
            }
            frontier = next;
            if level.len() > 20_000 {
                break;
            }
        }
        if !level.contains_key(&b) || a == b {
            return Ok(Vec::new());
        }
        // walk back from `b`
        let mut paths: Vec<Vec<Edge>> = Vec::new();
        let mut stack: VecDeque<(i64, Vec<Edge>)> = VecDeque::from([(b, Vec::new())]);
        while let Some((node, hops)) = stack.pop_front() {
            if paths.len() >= 10 {
                break;
            }
            if node == a {
                let mut hops = hops;
                hops.reverse();
                paths.push(hops);
                continue;
            }
            for e in parents.get(&node).map(Vec::as_slice).unwrap_or_default() {
                let prev = if e.subject_id == node { e.object_id } else { e.subject_id };
                let mut h = hops.clone();
                h.push(e.clone());
                stack.push_back((prev, h));
            }
        }
        Ok(paths.into_iter().map(|hops| Path { hops: hops.into_iter().map(Relation).collect() }).collect())
    }

    /// Counts for charts: announcements by state and year, actors by kind, relations by
    /// predicate, nodes by type.
    async fn stats(&self) -> Stats {
        Stats
    }
}

async fn find(
    ctx: &Context<'_>,
    table: NodeTable,
    id: Option<ID>,
    slug: Option<String>,
    key: Option<String>,
) -> ApiResult<Option<NodeRow>> {
    let type_name = match table {
        NodeTable::Projects => "Project",
        NodeTable::Agreements => "Agreement",
        NodeTable::Services => "Service",
    };
    let row_id = match &id {
        Some(id) => {
            let global = decode_id(id, &format!("a {type_name} id"))?;
            match (table, &global) {
                (NodeTable::Projects, GlobalId::Project(row)) => Some(EntityId::from(*row)),
                (NodeTable::Agreements, GlobalId::Agreement(row)) => Some(EntityId::from(*row)),
                (NodeTable::Services, GlobalId::Service(row)) => Some(EntityId::from(*row)),
                _ => return Err(wrong_type(id, &global, &format!("a {type_name}"))),
            }
        }
        None => None,
    };
    if row_id.is_none() && slug.is_none() && key.is_none() {
        return Err(bad_input("give an id, a slug or a key"));
    }
    let mut conn = conn(ctx).await?;
    NodeRow::find(&mut conn, table, row_id, slug.as_deref(), key.as_deref()).await.map_err(internal)
}
