//! The GraphQL types, one module each.

pub mod actor;
pub mod announcement;
pub mod edges;
pub mod harvest_run;
pub mod node_types;
pub mod relation;
pub mod source;
pub mod state;

pub use actor::Actor;
pub use announcement::Announcement;
pub use harvest_run::HarvestRun;
pub use relation::Relation;
pub use source::Source;
pub use state::State;

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use govgraph_shared::ids::{
    ActorId, AgreementId, DocumentId, HarvestRunId, KindId, ProjectId, RelationId, ServiceId, SourceId,
};

/// An opaque global id: the type name and the row id.
pub fn global_id(type_name: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// A decoded global id: its type, and the typed row id (a state's is its code).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GlobalId {
    State(String),
    Actor(ActorId),
    Project(ProjectId),
    Agreement(AgreementId),
    Service(ServiceId),
    Announcement(DocumentId),
    Relation(RelationId),
    Source(SourceId),
    HarvestRun(HarvestRunId),
}

impl GlobalId {
    /// The global id the API gave out, or None for anything else.
    pub fn parse(id: &str) -> Option<GlobalId> {
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id.trim()).ok()?).ok()?;
        let (t, key) = text.split_once(':')?;
        if t == "State" {
            return Some(GlobalId::State(key.to_owned()));
        }
        let n: i64 = key.parse().ok()?;
        Some(match t {
            "Actor" => GlobalId::Actor(ActorId::new(n)),
            "Project" => GlobalId::Project(ProjectId::new(n)),
            "Agreement" => GlobalId::Agreement(AgreementId::new(n)),
            "Service" => GlobalId::Service(ServiceId::new(n)),
            "Announcement" => GlobalId::Announcement(DocumentId::new(n)),
            "Relation" => GlobalId::Relation(RelationId::new(n)),
            "Source" => GlobalId::Source(SourceId::new(n)),
            "HarvestRun" => GlobalId::HarvestRun(HarvestRunId::new(n)),
            _ => return None,
        })
    }

    /// The GraphQL type it names.
    pub fn type_name(&self) -> &'static str {
        match self {
            GlobalId::State(_) => "State",
            GlobalId::Actor(_) => "Actor",
            GlobalId::Project(_) => "Project",
            GlobalId::Agreement(_) => "Agreement",
            GlobalId::Service(_) => "Service",
            GlobalId::Announcement(_) => "Announcement",
            GlobalId::Relation(_) => "Relation",
            GlobalId::Source(_) => "Source",
            GlobalId::HarvestRun(_) => "HarvestRun",
        }
    }

    /// The id of an actor, project, agreement or service.
    pub fn kind(&self) -> Option<KindId> {
        match *self {
            GlobalId::Actor(id) => Some(id.into()),
            GlobalId::Project(id) => Some(id.into()),
            GlobalId::Agreement(id) => Some(id.into()),
            GlobalId::Service(id) => Some(id.into()),
            _ => None,
        }
    }
}

/// The global id `id` decoded, or a `BAD_USER_INPUT` error naming what was `expected`.
pub fn decode_id(id: &str, expected: &str) -> crate::error::ApiResult<GlobalId> {
    GlobalId::parse(id).ok_or_else(|| crate::error::bad_input(format!("`{id}` is not {expected}")))
}

/// The `BAD_USER_INPUT` error for an id of the wrong type.
pub fn wrong_type(id: &str, found: &GlobalId, expected: &str) -> async_graphql::Error {
    crate::error::bad_input(format!("`{id}` is the id of a {}, not {expected}", found.type_name()))
}
