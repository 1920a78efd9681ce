//! Projects, agreements and services: the fields they share (a macro writes them once) and their
//! own (an agreement's date, parties and signatories; a service's catalogue keys).

use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, NaiveDate, Utc};
use govgraph_shared::models::nodes::NodeRow;

use super::Relation;
use super::edges::{EdgeDirection, named_relations, relations};
use crate::error::ApiResult;
use crate::filters::RelationFilter;
use crate::pagination::{Page, PageArgs};
use govgraph_shared::vocab::{AgreementKind, Predicate, ProjectKind, ServiceKind, Status};

/// Writes a type's fields: the shared ones (its `kind` of its own vocabulary), its own edge lists
/// (`name: "doc" => [predicates], direction;`, each a connection of relations priced by its page size), and the `extra` fields.
macro_rules! node_type {
    ($ty:ident, $type_name:literal, $kind:ty,
     edges { $($edge:ident : $doc:literal => [$($pred:ident),*], $dir:ident;)* },
     { $($extra:tt)* }) => {
        #[Object]
        #[allow(clippy::too_many_arguments)]
        impl $ty {
        pub async fn id(&self) -> ID {
            super::global_id($type_name, self.0.id)
        }
        async fn name(&self) -> &str {
            &self.0.name
        }
        async fn slug(&self) -> &str {
            &self.0.slug
        }
        async fn kind(&self) -> ApiResult<$kind> {
            self.0.kind.parse::<$kind>().map_err(crate::error::internal)
        }
        async fn aliases(&self) -> &[String] {
            &self.0.aliases
        }
        /// Its Land, or the federal level.
        async fn state(&self, ctx: &Context<'_>) -> ApiResult<Option<super::State>> {
            crate::loaders::state(ctx, self.0.state_code).await
        }
        async fn status(&self) -> Status {
            self.0.status
        }
        /// Where the reference data has it from (reference nodes).
        async fn reference_source(&self) -> Option<&str> {
            self.0.attributes.get("source").and_then(|v| v.as_str())
        }
        /// Whatever else a catalogue or the reference data holds.
        async fn attributes(&self) -> Json<serde_json::Value> {
            Json(self.0.attributes.clone())
        }
        /// When this node last changed (for incremental sync).
        async fn updated_at(&self) -> DateTime<Utc> {
            self.0.updated_at
        }
        /// A tombstone: the node was deleted (lists show it only with `modifiedSince`).
        async fn deleted(&self) -> bool {
            self.0.deleted_at.is_some()
        }
        /// The node this one was merged into.
        async fn merged_into(&self) -> Option<ID> {
            self.0.merged_into.map(|id| super::global_id($type_name, id))
        }
        /// The edges of this node (by predicate, then id; 20 a page unless `first` or `last`
        /// says), each with its evidence.
        #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
        async fn relations(
            &self,
            ctx: &Context<'_>,
            filter: Option<RelationFilter>,
            first: Option<i32>,
            after: Option<String>,
            last: Option<i32>,
            before: Option<String>,
        ) -> ApiResult<Page<Relation>> {
            relations(ctx, self.0.id, filter, PageArgs::new(first, after, last, before)).await
        }
        $(
        #[doc = $doc]
        #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
        async fn $edge(
            &self,
            ctx: &Context<'_>,
            first: Option<i32>,
            after: Option<String>,
            last: Option<i32>,
            before: Option<String>,
        ) -> ApiResult<Page<Relation>> {
            let args = PageArgs::new(first, after, last, before);
            named_relations(ctx, self.0.id, &[$(Predicate::$pred),*], EdgeDirection::$dir, args).await
        }
        )*
        $($extra)*
        }
    };
}

/// A named initiative, platform, portal, network, programme or OZG Themenfeld.
#[derive(Clone)]
pub struct Project(pub NodeRow);

node_type!(Project, "Project", ProjectKind, edges {
    actors: "Who leads, operates or takes part in it (`leads`, `operates`, `participates_in` edges)." => [Leads, Operates, ParticipatesIn], Incoming;
    services: "The services it offers (`offers` edges)." => [Offers], Outgoing;
}, {
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn homepage(&self) -> Option<&str> {
        self.0.homepage.as_deref()
    }
});

/// An agreement, framework, position paper, strategy or founding decision binding several actors.
#[derive(Clone)]
pub struct Agreement(pub NodeRow);

node_type!(Agreement, "Agreement", AgreementKind, edges {
    parties: "Who is party to it (`party_to` edges), with the evidence." => [PartyTo], Incoming;
    signatories: "Who signed it (`signed` edges), with the evidence." => [Signed], Incoming;
    renews: "The earlier agreements this one renews (`renews` edges)." => [Renews], Outgoing;
    renewed_by: "The later agreements that renew this one." => [Renews], Incoming;
}, {
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The day it was signed or decided, when the text gives it.
    async fn date(&self) -> Option<NaiveDate> {
        self.0.date
    }
    /// The year alone, when only that is known ("2009 beschlossene Strategie").
    async fn year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.0
            .date
            .map(|d| d.year())
            .or_else(|| self.0.attributes.get("date").and_then(|d| d.as_str()).and_then(|d| d.get(..4)?.parse().ok()))
    }
});

/// A public administrative service of the OZG catalogue or the LeiKa.
#[derive(Clone)]
pub struct Service(pub NodeRow);

node_type!(Service, "Service", ServiceKind, edges {
    projects: "Projects that offer it (`offers` edges)." => [Offers], Incoming;
    responsible_actors: "Actors responsible for it (`leads`, `operates`, `serves` edges)." => [Leads, Operates, Serves], Incoming;
}, {
    /// The OZG id.
    async fn ozg_id(&self) -> Option<&str> {
        self.0.ozg_id.as_deref()
    }
    /// The 14-digit LeiKa key.
    async fn leika_key(&self) -> Option<&str> {
        self.0.leika_key.as_deref()
    }
    /// The OZG Themenfeld.
    async fn themenfeld(&self) -> Option<&str> {
        self.0.themenfeld.as_deref()
    }
});
