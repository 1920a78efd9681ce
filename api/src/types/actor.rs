use async_graphql::{Context, ID, Json, Object};
use govgraph_shared::models::graph;

use super::Relation;
use crate::error::ApiResult;

/// An organisation, body, person, municipality or district.
pub struct Actor(pub graph::Actor);

#[Object]
impl Actor {
    pub async fn id(&self) -> ID {
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
    /// The edges of this actor, each with its evidence.
    #[graphql(complexity = "crate::pagination::price(first.or(Some(50)), child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these predicates (PARTY_TO, MEMBER_OF, ...).")] predicate: Option<Vec<String>>,
        #[graphql(desc = "Where this actor is the subject (OUTGOING), the object (INCOMING), or either.")]
        direction: Option<super::edges::EdgeDirection>,
        #[graphql(desc = "At most this many (default 50, at most 100).")] first: Option<i32>,
    ) -> ApiResult<Vec<Relation>> {
        super::edges::relations(ctx, self.0.id, predicate, direction, first).await
    }
    /// The bodies this actor sits in (`member_of`, with the role).
    async fn bodies(&self, ctx: &Context<'_>, first: Option<i32>) -> ApiResult<Vec<Relation>> {
        let dir = Some(super::edges::EdgeDirection::Outgoing);
        super::edges::relations(ctx, self.0.id, Some(vec!["member_of".into()]), dir, first).await
    }
    /// The agreements this actor is party to or signed.
    async fn agreements(&self, ctx: &Context<'_>, first: Option<i32>) -> ApiResult<Vec<Relation>> {
        let dir = Some(super::edges::EdgeDirection::Outgoing);
        super::edges::relations(ctx, self.0.id, Some(vec!["party_to".into(), "signed".into()]), dir, first).await
    }
    /// The projects this actor leads, operates or takes part in.
    async fn projects(&self, ctx: &Context<'_>, first: Option<i32>) -> ApiResult<Vec<Relation>> {
        let p = vec!["leads".into(), "operates".into(), "participates_in".into()];
        super::edges::relations(ctx, self.0.id, Some(p), Some(super::edges::EdgeDirection::Outgoing), first).await
    }
    /// The newest announcements that name this actor (at most 100).
    #[graphql(complexity = "crate::pagination::price(first, child_complexity)")]
    async fn announcements(&self, ctx: &Context<'_>, first: Option<i32>) -> ApiResult<Vec<super::Announcement>> {
        use govgraph_shared::models::{self, Document, DocumentFilter};
        let first = crate::pagination::page_size(first)?;
        let mut conn = crate::schema::conn(ctx).await?;
        let filter = DocumentFilter { mentions: vec![self.0.id], ..Default::default() };
        Ok(Document::list(&mut conn, &filter, models::Page { first, after: None })
            .await
            .map_err(crate::error::internal)?
            .into_iter()
            .map(super::Announcement)
            .collect())
    }
    /// A tombstone: the actor was deleted (lists show it only with `modifiedSince`).
    async fn deleted(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(tombstone(ctx, self.0.id).await?.0)
    }
    /// The actor this one was merged into (its id resolves there).
    async fn merged_into(&self, ctx: &Context<'_>) -> ApiResult<Option<ID>> {
        Ok(tombstone(ctx, self.0.id).await?.1.map(|id| super::global_id("Actor", id)))
    }
}

async fn tombstone(ctx: &Context<'_>, id: i64) -> ApiResult<(bool, Option<i64>)> {
    let loader = ctx.data_unchecked::<async_graphql::dataloader::DataLoader<crate::loaders::TombstoneOf>>();
    let row = loader
        .load_one(id)
        .await
        .map_err(|e| crate::error::internal(crate::error::ApiError::Internal(e.to_string())))?;
    Ok(row.unwrap_or((false, None)))
}
