//! DataLoaders: one per lookup key, each answering a batch of keys with one query.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use govgraph_shared::db::Pool;
use govgraph_shared::ids::SourceId;
use govgraph_shared::models::graph::{Direction, Edge, EdgeCursor};
use govgraph_shared::models::{DocumentState, Page, Source, State};

/// Rows grouped by a key, in their order.
fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for r in rows {
        out.entry(key(&r)).or_default().push(r);
    }
    out
}

/// Errors of loaders must be cloneable: a shared message.
pub type LoadError = Arc<String>;

fn load_error(e: impl std::fmt::Display) -> LoadError {
    Arc::new(e.to_string())
}

/// The states of documents, primary first (the tags read, the states from the process's copy).
pub struct StatesByDocument(pub Pool, pub crate::reference_cache::StatesCache);

impl Loader<i64> for StatesByDocument {
    type Value = Vec<State>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<State>>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let tags = DocumentState::for_documents(&mut conn, keys).await.map_err(load_error)?;
        let all = self.1.all_with(&mut conn).await.map_err(load_error)?;
        let states: HashMap<&str, &State> = all.iter().map(|s| (s.code.as_str(), s)).collect();
        let mut out: HashMap<i64, Vec<State>> = HashMap::new();
        for tag in tags {
            if let Some(&state) = states.get(tag.state_code.as_str()) {
                out.entry(tag.document_id).or_default().push(state.clone());
            }
        }
        Ok(out)
    }
}

/// Sources by id.
pub struct SourceById(pub Pool);

impl Loader<i64> for SourceById {
    type Value = Source;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Source>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let ids: Vec<SourceId> = keys.iter().copied().map(SourceId::new).collect();
        let sources = Source::find_by_ids(&mut conn, &ids).await.map_err(load_error)?;
        Ok(sources.into_iter().map(|s| (s.id, s)).collect())
    }
}

/// The evidence of edges.
pub struct EvidenceByRelation(pub Pool);

impl Loader<i64> for EvidenceByRelation {
    type Value = Vec<crate::types::relation::Evidence>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let rows =
            govgraph_shared::models::graph::EvidenceRow::for_relations(&mut conn, keys).await.map_err(load_error)?;
        let mut out: HashMap<i64, Self::Value> = HashMap::new();
        for r in rows {
            out.entry(r.relation_id).or_default().push(crate::types::relation::Evidence {
                method: r.method,
                confidence: r.confidence,
                sentence: r.sentence,
                announcement_id: r.document_id.map(|id| crate::types::global_id("Announcement", id)),
                announcement_title: r.document_title,
                source: r.source_name,
                start_offset: r.start_offset,
                end_offset: r.end_offset,
                announcement_url: r.document_url,
                document_id: r.document_id,
            });
        }
        Ok(out)
    }
}

/// What an edge list asks for: a node, its predicates, a direction, a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeKey {
    pub node: i64,
    pub predicates: Vec<govgraph_shared::vocab::Predicate>,
    pub direction: Direction,
    pub page: Page<EdgeCursor>,
    /// Whether the total is asked for (a second statement).
    pub total: bool,
}

/// One node's page of edges and how many it has on all pages.
#[derive(Debug, Clone, Default)]
pub struct EdgePage {
    pub edges: Vec<Edge>,
    pub total: i64,
}

/// The edges of nodes: the keys that ask the same (predicates, direction, page) are answered by one
/// statement, however many nodes a page holds.
pub struct EdgesOf(pub Pool);

impl Loader<EdgeKey> for EdgesOf {
    type Value = EdgePage;
    type Error = LoadError;

    async fn load(&self, keys: &[EdgeKey]) -> Result<HashMap<EdgeKey, EdgePage>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        type Group = (Vec<govgraph_shared::vocab::Predicate>, Direction, Page<EdgeCursor>, bool);
        let mut groups: HashMap<Group, Vec<i64>> = HashMap::new();
        for k in keys {
            groups.entry((k.predicates.clone(), k.direction, k.page.clone(), k.total)).or_default().push(k.node);
        }
        let mut out: HashMap<EdgeKey, EdgePage> = HashMap::new();
        for ((predicates, direction, page, total), nodes) in groups {
            let rows =
                Edge::pages_of_nodes(&mut conn, &nodes, &predicates, direction, &page).await.map_err(load_error)?;
            let totals: HashMap<i64, i64> = if total {
                Edge::count_of_nodes(&mut conn, &nodes, &predicates, direction)
                    .await
                    .map_err(load_error)?
                    .into_iter()
                    .collect()
            } else {
                HashMap::new()
            };
            let key = |node| EdgeKey { node, predicates: predicates.clone(), direction, page: page.clone(), total };
            for node in &nodes {
                let total = totals.get(node).copied().unwrap_or(0);
                out.insert(key(*node), EdgePage { edges: Vec::new(), total });
            }
            for r in rows {
                out.entry(key(r.node)).or_default().edges.push(r.edge);
            }
        }
        Ok(out)
    }
}

/// The tags of announcements: the nodes they mention, with offsets.
pub struct MentionsByDocument(pub Pool);

impl Loader<i64> for MentionsByDocument {
    type Value = Vec<govgraph_shared::models::mention::MentionRow>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let rows =
            govgraph_shared::models::mention::MentionRow::for_documents(&mut conn, keys).await.map_err(load_error)?;
        Ok(grouped(rows, |r| r.document_id))
    }
}

/// The earlier versions of announcements.
pub struct VersionsByDocument(pub Pool);

impl Loader<i64> for VersionsByDocument {
    type Value = Vec<govgraph_shared::models::mention::VersionRow>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let rows =
            govgraph_shared::models::mention::VersionRow::for_documents(&mut conn, keys).await.map_err(load_error)?;
        Ok(grouped(rows, |r| r.document_id))
    }
}

/// Whether actors are tombstones: deleted, or merged into another.
pub struct TombstoneOf(pub Pool);

impl Loader<i64> for TombstoneOf {
    type Value = (bool, Option<i64>);
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let rows = govgraph_shared::models::graph::Actor::tombstones(&mut conn, keys).await.map_err(load_error)?;
        Ok(rows.into_iter().map(|(id, deleted, merged)| (id, (deleted, merged))).collect())
    }
}

/// The first page of the announcements naming nodes, and with `total` their numbers: one statement
/// (two with totals) for a page of nodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnnouncementsKey {
    pub node: i64,
    pub limit: i64,
    pub total: bool,
}

pub struct AnnouncementsNaming(pub Pool);

impl Loader<AnnouncementsKey> for AnnouncementsNaming {
    type Value = (Vec<govgraph_shared::models::Document>, i64);
    type Error = LoadError;

    async fn load(&self, keys: &[AnnouncementsKey]) -> Result<HashMap<AnnouncementsKey, Self::Value>, LoadError> {
        use govgraph_shared::models::Document;
        let mut conn = self.0.get().await.map_err(load_error)?;
        let mut groups: HashMap<(i64, bool), Vec<i64>> = HashMap::new();
        for k in keys {
            groups.entry((k.limit, k.total)).or_default().push(k.node);
        }
        let mut out = HashMap::new();
        for ((limit, total), nodes) in groups {
            let mut docs =
                grouped(Document::naming_each(&mut conn, &nodes, limit).await.map_err(load_error)?, |r| r.node);
            let totals: HashMap<i64, i64> = if total {
                Document::count_naming_each(&mut conn, &nodes).await.map_err(load_error)?.into_iter().collect()
            } else {
                HashMap::new()
            };
            for node in nodes {
                let rows = docs.remove(&node).map(|v| v.into_iter().map(|r| r.document).collect()).unwrap_or_default();
                out.insert(AnnouncementsKey { node, limit, total }, (rows, totals.get(&node).copied().unwrap_or(0)));
            }
        }
        Ok(out)
    }
}

/// The edges that announcements are evidence for.
pub struct EdgesReadIn(pub Pool);

impl Loader<i64> for EdgesReadIn {
    type Value = Vec<Edge>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let rows = Edge::read_in_documents(&mut conn, keys).await.map_err(load_error)?;
        Ok(grouped(rows, |r| r.node)
            .into_iter()
            .map(|(doc, rows)| (doc, rows.into_iter().map(|r| r.edge).collect()))
            .collect())
    }
}

/// Announcements by id (the announcement of a piece of evidence).
pub struct AnnouncementById(pub Pool);

impl Loader<i64> for AnnouncementById {
    type Value = govgraph_shared::models::Document;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, LoadError> {
        let mut conn = self.0.get().await.map_err(load_error)?;
        let docs = govgraph_shared::models::Document::find_many(&mut conn, keys).await.map_err(load_error)?;
        Ok(docs.into_iter().map(|d| (d.id, d)).collect())
    }
}

/// What a node is looked up by: its global id, or (a state at the end of an edge) its entity id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeKey {
    Global(crate::types::GlobalId),
    StateEntity(i64),
}

impl NodeKey {
    /// The key of the node with entity id `id` of type `ty` (an end of an edge, a mention).
    pub fn of_entity(ty: govgraph_shared::vocab::NodeType, id: i64) -> NodeKey {
        use crate::types::GlobalId;
        use govgraph_shared::ids::{ActorId, AgreementId, ProjectId, ServiceId};
        use govgraph_shared::vocab::NodeType;
        match ty {
            NodeType::State => NodeKey::StateEntity(id),
            NodeType::Actor => NodeKey::Global(GlobalId::Actor(ActorId::new(id))),
            NodeType::Project => NodeKey::Global(GlobalId::Project(ProjectId::new(id))),
            NodeType::Agreement => NodeKey::Global(GlobalId::Agreement(AgreementId::new(id))),
            NodeType::Service => NodeKey::Global(GlobalId::Service(ServiceId::new(id))),
        }
    }
}

/// Nodes of every type by key: the keys of one batch cost one statement per type asked for
/// (the states come from the process's copy). The ends of edges, mentions, `node` and
/// `nodes(ids:)` all come through here, so a page of edges is one statement per type of their ends.
pub struct NodeById(pub Pool, pub crate::reference_cache::StatesCache);

impl Loader<NodeKey> for NodeById {
    type Value = crate::roots::Node;
    type Error = LoadError;

    async fn load(&self, keys: &[NodeKey]) -> Result<HashMap<NodeKey, Self::Value>, LoadError> {
        use crate::roots::Node;
        use crate::types::{self, GlobalId};
        use govgraph_shared::ids::{ActorId, DocumentId, HarvestRunId, RelationId};
        use govgraph_shared::models::{Document, HarvestRun, graph, nodes};

        let mut states = false;
        let (mut actors, mut projects, mut agreements, mut services) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut documents, mut relations, mut sources, mut runs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for k in keys {
            match k {
                NodeKey::StateEntity(_) | NodeKey::Global(GlobalId::State(_)) => states = true,
                NodeKey::Global(GlobalId::Actor(id)) => actors.push(id.get()),
                NodeKey::Global(GlobalId::Project(id)) => projects.push(id.get()),
                NodeKey::Global(GlobalId::Agreement(id)) => agreements.push(id.get()),
                NodeKey::Global(GlobalId::Service(id)) => services.push(id.get()),
                NodeKey::Global(GlobalId::Announcement(id)) => documents.push(id.get()),
                NodeKey::Global(GlobalId::Relation(id)) => relations.push(*id),
                NodeKey::Global(GlobalId::Source(id)) => sources.push(*id),
                NodeKey::Global(GlobalId::HarvestRun(id)) => runs.push(*id),
            }
        }
        let mut out: HashMap<NodeKey, Node> = HashMap::new();
        let global = |g: GlobalId| NodeKey::Global(g);
        if states {
            for s in self.1.all().await.map_err(load_error)?.iter().cloned() {
                let (entity, code) = (s.entity_id, s.code.clone());
                if let Some(state) = types::State::from_row(s) {
                    out.insert(NodeKey::StateEntity(entity), Node::State(state.clone()));
                    out.insert(global(GlobalId::State(code)), Node::State(state));
                }
            }
        }
        let ends = [&actors, &projects, &agreements, &services, &documents].iter().any(|ids| !ids.is_empty());
        if !ends && relations.is_empty() && sources.is_empty() && runs.is_empty() {
            return Ok(out); // states only: no connection
        }
        let mut conn = self.0.get().await.map_err(load_error)?;
        if !actors.is_empty() {
            for a in graph::Actor::by_ids(&mut conn, &actors).await.map_err(load_error)? {
                out.insert(global(GlobalId::Actor(ActorId::new(a.id))), Node::Actor(types::Actor(a)));
            }
        }
        for (table, ids) in [
            (nodes::NodeTable::Projects, &projects),
            (nodes::NodeTable::Agreements, &agreements),
            (nodes::NodeTable::Services, &services),
        ] {
            if ids.is_empty() {
                continue;
            }
            for row in nodes::NodeRow::by_ids(&mut conn, table, ids).await.map_err(load_error)? {
                let key = NodeKey::of_entity(row.entity_type, row.id);
                out.insert(key, crate::roots::wrap(table, row));
            }
        }
        if !documents.is_empty() {
            for d in Document::find_many(&mut conn, &documents).await.map_err(load_error)? {
                out.insert(
                    global(GlobalId::Announcement(DocumentId::new(d.id))),
                    Node::Announcement(types::Announcement(d)),
                );
            }
        }
        if !relations.is_empty() {
            for e in Edge::by_ids(&mut conn, &relations).await.map_err(load_error)? {
                out.insert(global(GlobalId::Relation(RelationId::new(e.id))), Node::Relation(types::Relation(e)));
            }
        }
        if !sources.is_empty() {
            for s in Source::find_by_ids(&mut conn, &sources).await.map_err(load_error)? {
                out.insert(global(GlobalId::Source(SourceId::new(s.id))), Node::Source(types::Source(s)));
            }
        }
        if !runs.is_empty() {
            for r in HarvestRun::find_many(&mut conn, &runs).await.map_err(load_error)? {
                out.insert(
                    global(GlobalId::HarvestRun(HarvestRunId::new(r.id))),
                    Node::HarvestRun(types::HarvestRun(r)),
                );
            }
        }
        Ok(out)
    }
}

/// One node through the [`NodeById`] loader.
pub async fn node(
    ctx: &async_graphql::Context<'_>,
    key: NodeKey,
) -> crate::error::ApiResult<Option<crate::roots::Node>> {
    let loader = ctx.data_unchecked::<async_graphql::dataloader::DataLoader<NodeById>>();
    loader.load_one(key).await.map_err(|e| crate::error::internal(crate::error::ApiError::Internal(e.to_string())))
}

/// The state with a code, as a node (through [`NodeById`]; the states are read once a batch).
pub async fn state(
    ctx: &async_graphql::Context<'_>,
    code: Option<govgraph_shared::vocab::StateCode>,
) -> crate::error::ApiResult<Option<crate::types::State>> {
    let Some(code) = code else {
        return Ok(None);
    };
    let key = NodeKey::Global(crate::types::GlobalId::State(code.as_str().to_owned()));
    Ok(match node(ctx, key).await? {
        Some(crate::roots::Node::State(s)) => Some(s),
        _ => None,
    })
}
