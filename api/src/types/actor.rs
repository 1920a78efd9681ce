use async_graphql::{Context, ID, Json, Object};
use govgraph_shared::models::graph::{self, Edge};

use super::Relation;
use crate::error::{ApiResult, bad_input, internal};

/// An organisation, body, person, municipality or district.
pub struct Actor(pub graph::Actor);

#[Object]
impl Actor {
    async fn id(&self) -> ID {
        super::global_id("Actor", self.0.id)
    }
    /// government, ministry, municipality, district, municipal_federation, it_service_provider, ...
    async fn kind(&self) -> String {
        self.0.kind.to_uppercase()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }
    /// The state code ("ST", "DE").
    async fn state(&self) -> Option<&str> {
        self.0.state_code.as_deref()
    }
    /// The Amtlicher Gemeindeschlüssel (8 digits for a municipality, 5 for a district).
    async fn ags(&self) -> Option<&str> {
        self.0.ags.as_deref()
    }
    /// The Regionalschlüssel (12 digits), or the 9-digit key of a municipal federation.
    async fn ars(&self) -> Option<&str> {
        self.0.ars.as_deref()
    }
    /// reference (from a register or the reference data), confirmed, or candidate.
    async fn status(&self) -> String {
        self.0.status.to_uppercase()
    }
    async fn homepage(&self) -> Option<&str> {
        self.0.homepage.as_deref()
    }
    /// Catalogue attributes (type, seat, population, area, publisher data, ...).
    async fn attributes(&self) -> Json<serde_json::Value> {
        Json(self.0.attributes.clone())
    }
    /// The edges of this actor (as subject or object), each with its evidence.
    #[graphql(complexity = "crate::pagination::price(first.or(Some(50)), child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this predicate (located_in, member_of, party_to, ...).")] predicate: Option<String>,
        #[graphql(desc = "At most this many (default 50, at most 100).")] first: Option<i32>,
    ) -> ApiResult<Vec<Relation>> {
        let first = match first {
            None => 50,
            Some(n) if (0..=100).contains(&n) => n as i64,
            Some(n) => return Err(bad_input(format!("`first` must be between 0 and 100, not {n}"))),
        };
        let pool = ctx.data_unchecked::<govgraph_shared::db::Pool>();
        let mut conn = pool.get().await.map_err(|e| internal(govgraph_shared::Error::from(e)))?;
        let predicate = predicate.map(|p| p.to_lowercase());
        let edges = Edge::of_node(&mut conn, self.0.id, predicate.as_deref(), first).await.map_err(internal)?;
        Ok(edges.into_iter().map(Relation).collect())
    }
}
