use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use govgraph_shared::models::graph::Edge;

use crate::error::{ApiError, ApiResult, internal};
use crate::loaders::EvidenceByRelation;

/// One end of an edge.
#[derive(SimpleObject)]
pub struct NodeRef {
    pub id: ID,
    /// actor, state, project, agreement or service.
    pub entity_type: String,
    pub name: Option<String>,
}

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
pub struct Relation(pub Edge);

pub fn node(type_name: &str, id: i64, name: Option<String>) -> NodeRef {
    let gql_type = match type_name {
        "actor" => "Actor",
        "state" => "State",
        "project" => "Project",
        "agreement" => "Agreement",
        _ => "Service",
    };
    NodeRef { id: super::global_id(gql_type, id), entity_type: type_name.to_owned(), name }
}

#[Object]
impl Relation {
    pub async fn id(&self) -> ID {
        super::global_id("Relation", self.0.id)
    }
    /// party_to, signed, renews, member_of, holds_position, leads, operates, participates_in,
    /// founded, serves, offers, located_in.
    async fn predicate(&self) -> &str {
        &self.0.predicate
    }
    /// chair, deputy_chair, member or guest (member_of).
    async fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }
    /// The position title (holds_position).
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn status(&self) -> &str {
        &self.0.status
    }
    async fn confidence(&self) -> f32 {
        self.0.confidence
    }
    async fn subject(&self) -> NodeRef {
        node(&self.0.subject_type, self.0.subject_id, self.0.subject_name.clone())
    }
    async fn object(&self) -> NodeRef {
        node(&self.0.object_type, self.0.object_id, self.0.object_name.clone())
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
