//! The `filter:` inputs of the lists, one per list, typed with the vocabularies of
//! `govgraph_shared::vocab` (a word outside them is a validation error before anything runs).

use async_graphql::{Context, InputObject};
use chrono::{DateTime, NaiveDate, Utc};
use govgraph_shared::models::{self, graph, nodes::NodeFilter};
use govgraph_shared::vocab::{
    ActorKind, AgreementKind, Predicate, ProjectKind, RunStatus, ServiceKind, SourceKind, StateCode, Status,
};

use crate::error::ApiResult;
use crate::types::edges::EdgeDirection;

/// Which actors.
#[derive(InputObject, Default, Clone)]
pub struct ActorFilter {
    pub state: Option<StateCode>,
    pub kind: Option<ActorKind>,
    pub status: Option<Status>,
    /// A part of the name.
    pub text: Option<String>,
    /// Changed at or after this instant; merged and deleted actors then come as tombstones.
    pub modified_since: Option<DateTime<Utc>>,
}

impl ActorFilter {
    pub fn into_model(self) -> graph::ActorFilter {
        graph::ActorFilter {
            state: self.state,
            kind: self.kind,
            status: self.status,
            text: self.text.filter(|t| !t.trim().is_empty()),
            modified_since: self.modified_since,
        }
    }
}

/// Which announcements.
#[derive(InputObject, Default, Clone)]
pub struct AnnouncementFilter {
    /// About this state.
    pub state: Option<StateCode>,
    /// German full text (words, "phrases", -excluded, or).
    pub text: Option<String>,
    /// Published on or after this day.
    pub from: Option<NaiveDate>,
    /// Published on or before this day.
    pub to: Option<NaiveDate>,
    /// Naming this actor (a global id or a slug).
    pub actor: Option<String>,
    /// Naming this body (a global id or a slug).
    pub body: Option<String>,
    /// Naming this project (a global id or a slug).
    pub project: Option<String>,
    /// Naming this service (a global id or a slug).
    pub service: Option<String>,
    /// Stored or changed at or after this instant.
    pub modified_since: Option<DateTime<Utc>>,
}

impl AnnouncementFilter {
    pub async fn into_model(self, ctx: &Context<'_>) -> ApiResult<models::DocumentFilter> {
        let mentions = crate::roots::resolve_nodes(ctx, [self.actor, self.body, self.project, self.service]).await?;
        Ok(models::DocumentFilter {
            state: self.state.map(|s| s.as_str().to_owned()),
            mentions,
            text: self.text.filter(|t| !t.trim().is_empty()),
            from: self.from,
            to: self.to,
            modified_since: self.modified_since,
            ..Default::default()
        })
    }
}

/// Which announcements a subscription announces (each given, all must hold).
#[derive(InputObject, Default, Clone)]
pub struct AnnouncementAddedFilter {
    /// About this state.
    pub state: Option<StateCode>,
    /// German full text (words, "phrases", -excluded, or).
    pub text: Option<String>,
    /// Naming this actor (a global id or a slug).
    pub actor: Option<String>,
    /// Naming this body (a global id or a slug).
    pub body: Option<String>,
    /// Naming this project (a global id or a slug).
    pub project: Option<String>,
    /// Naming this service (a global id or a slug).
    pub service: Option<String>,
}

/// Which edges a subscription announces.
#[derive(InputObject, Default, Clone)]
pub struct RelationAddedFilter {
    /// Of this predicate.
    pub predicate: Option<Predicate>,
    /// From or to this node (a global id or a slug).
    pub node: Option<String>,
}

/// Which edges of a node.
#[derive(InputObject, Default, Clone)]
pub struct RelationFilter {
    /// Only these predicates (all when not given).
    pub predicates: Option<Vec<Predicate>>,
    /// Where the node is the subject (OUTGOING), the object (INCOMING), or either (the default).
    pub direction: Option<EdgeDirection>,
}

/// Which edges of the whole graph (`relations`).
#[derive(InputObject, Default, Clone)]
pub struct RelationListFilter {
    /// Of this status (CANDIDATE: the review queue); all but the rejected when not given.
    pub status: Option<Status>,
    /// Only these predicates (all when not given).
    pub predicates: Option<Vec<Predicate>>,
}

impl RelationListFilter {
    pub fn into_model(self) -> graph::EdgeFilter {
        graph::EdgeFilter { status: self.status, predicates: self.predicates.unwrap_or_default() }
    }
}

/// The fields of the filters of projects, agreements and services: a macro writes each with its
/// own kind vocabulary.
macro_rules! node_filter {
    ($(#[$meta:meta])* $name:ident, $kind:ty, { $($(#[$fmeta:meta])* $field:ident : $fty:ty,)* }) => {
        $(#[$meta])*
        #[derive(InputObject, Default, Clone)]
        pub struct $name {
            /// Of this state (a service's: the Land that leads it).
            pub state: Option<StateCode>,
            pub kind: Option<$kind>,
            pub status: Option<Status>,
            /// A part of the name or of an alias.
            pub text: Option<String>,
            /// Changed at or after this instant; deleted and merged nodes are then listed as
            /// tombstones.
            pub modified_since: Option<DateTime<Utc>>,
            /// Linked by an edge to this node (a global id or a slug).
            pub actor: Option<String>,
            $($(#[$fmeta])* pub $field: $fty,)*
        }

        impl $name {
            /// The filter of the model, with `actor` resolved.
            pub async fn into_model(self, ctx: &Context<'_>) -> ApiResult<NodeFilter> {
                let linked_to = match &self.actor {
                    Some(a) => Some(crate::roots::resolve_node(ctx, a).await?),
                    None => None,
                };
                #[allow(unused_mut)]
                let mut f = NodeFilter {
                    state: self.state,
                    kind: self.kind.map(|k| k.as_str()),
                    status: self.status,
                    text: self.text.filter(|t| !t.trim().is_empty()),
                    modified_since: self.modified_since,
                    linked_to,
                    ..Default::default()
                };
                node_filter!(@extra f, self, $($field)*);
                Ok(f)
            }
        }
    };
    (@extra $f:ident, $s:ident, from to) => {
        $f.from = $s.from;
        $f.to = $s.to;
    };
    (@extra $f:ident, $s:ident,) => {};
}

node_filter!(
    /// Which projects.
    ProjectFilter, ProjectKind, {}
);
node_filter!(
    /// Which agreements.
    AgreementFilter, AgreementKind, {
        /// Dated on or after this day.
        from: Option<NaiveDate>,
        /// Dated on or before this day.
        to: Option<NaiveDate>,
    }
);
node_filter!(
    /// Which services.
    ServiceFilter, ServiceKind, {}
);

/// Which sources.
#[derive(InputObject, Default, Clone)]
pub struct SourceFilter {
    /// Whose documents default to this state.
    pub state: Option<StateCode>,
    pub kind: Option<SourceKind>,
    /// Only enabled (true) or disabled (false) sources.
    pub enabled: Option<bool>,
    /// Changed at or after this instant.
    pub modified_since: Option<DateTime<Utc>>,
}

/// Which harvest runs.
#[derive(InputObject, Default, Clone)]
pub struct HarvestRunFilter {
    /// Of the source with this name.
    pub source: Option<String>,
    pub status: Option<RunStatus>,
    /// Started at or after this instant.
    pub from: Option<DateTime<Utc>>,
}
