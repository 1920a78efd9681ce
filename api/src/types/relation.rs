use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use govgraph_shared::models::graph::Edge;
use govgraph_shared::vocab::{NodeType, Predicate, Role, Status};

use crate::error::{ApiError, ApiResult, internal};
use crate::loaders::{EvidenceByRelation, NodeKey};
use crate::roots::Node;

/// Where an edge was read: the document and sentence, or the catalogue source, and the method.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Evidence {
    /// How it was found: `catalogue:gemeindeverzeichnis`, `reference:...`, an extraction rule, ...
    pub method: String,
    pub confidence: f32,
    /// The sentence, when the edge comes from a document.
    pub sentence: Option<String>,
    pub announcement_id: Option<ID>,
    pub announcement_title: Option<String>,
    /// The source, when the edge comes from a catalogue.
    pub source: Option<String>,
    /// Where the sentence stands in the announcement's text (characters; 0 to 0: in its title).
    pub start_offset: Option<i32>,
    pub end_offset: Option<i32>,
    /// The announcement's original URL.
    pub announcement_url: Option<String>,
    #[graphql(skip)]
    pub document_id: Option<i64>,
}

#[async_graphql::ComplexObject]
impl Evidence {
    /// The announcement the sentence stands in, whole (its date, source, states, ...).
    async fn announcement(&self, ctx: &Context<'_>) -> ApiResult<Option<super::Announcement>> {
        let Some(id) = self.document_id else {
            return Ok(None);
        };
        let loader = ctx.data_unchecked::<DataLoader<crate::loaders::AnnouncementById>>();
        let doc = loader.load_one(id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(doc.map(super::Announcement))
    }
}

/// An edge of the graph: subject, predicate, object, with its evidence.
#[derive(Clone)]
pub struct Relation(pub Edge);

/// The node at an end of an edge (or of a mention), through the [`NodeById`] loader.
pub(crate) async fn end(ctx: &Context<'_>, ty: NodeType, id: i64) -> ApiResult<Node> {
    crate::loaders::node(ctx, NodeKey::of_entity(ty, id))
        .await?
        .ok_or_else(|| internal(ApiError::Internal(format!("the {ty} {id} at the end of an edge is missing"))))
}

#[Object]
impl Relation {
    pub async fn id(&self) -> ID {
        super::global_id("Relation", self.0.id)
    }
    /// What the edge says: the subject ... the object.
    async fn predicate(&self) -> Predicate {
        self.0.predicate
    }
    /// The role in a body (`member_of`).
    async fn role(&self) -> Option<Role> {
        self.0.role
    }
    /// The position title (holds_position).
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn status(&self) -> Status {
        self.0.status
    }
    async fn confidence(&self) -> f32 {
        self.0.confidence
    }
    /// The node the edge starts from (an actor, a project, ...: ask with `... on Actor { }`).
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<Node> {
        end(ctx, self.0.subject_type, self.0.subject_id).await
    }
    /// The node the edge leads to.
    async fn object(&self, ctx: &Context<'_>) -> ApiResult<Node> {
        end(ctx, self.0.object_type, self.0.object_id).await
    }
    /// From when it holds (an agreement's date, a start date), when known.
    async fn valid_from(&self) -> Option<chrono::NaiveDate> {
        self.0.valid_from
    }
    /// Until when it held, when known.
    async fn valid_until(&self) -> Option<chrono::NaiveDate> {
        self.0.valid_until
    }
    /// Every place this edge was read.
    async fn evidence(&self, ctx: &Context<'_>) -> ApiResult<Vec<Evidence>> {
        let loader = ctx.data_unchecked::<DataLoader<EvidenceByRelation>>();
        let rows = loader.load_one(self.0.id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(rows.unwrap_or_default())
    }
}
