use async_graphql::{Context, ID, Json, Object};
use govgraph_shared::models::graph;

use super::Relation;
use super::edges::{EdgeDirection, relations};
use crate::error::ApiResult;
use crate::pagination::{Page, PageArgs};

/// An organisation, body, person, municipality or district.
pub struct Actor(pub graph::Actor);

#[Object]
#[allow(clippy::too_many_arguments)]
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
    /// The edges of this actor (by predicate, then id; 20 a page unless `first` or `last` says),
    /// each with its evidence.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these predicates (PARTY_TO, MEMBER_OF, ...).")] predicate: Option<Vec<String>>,
        #[graphql(desc = "Where this actor is the subject (OUTGOING), the object (INCOMING), or either.")]
        direction: Option<EdgeDirection>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Relation>> {
        relations(ctx, self.0.id, predicate, direction, PageArgs::new(first, after, last, before)).await
    }
    /// The bodies this actor sits in (`member_of`, with the role).
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn bodies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Relation>> {
        let dir = Some(EdgeDirection::Outgoing);
        relations(ctx, self.0.id, Some(vec!["member_of".into()]), dir, PageArgs::new(first, after, last, before)).await
    }
    /// The agreements this actor is party to or signed.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Relation>> {
        let dir = Some(EdgeDirection::Outgoing);
        relations(
            ctx,
            self.0.id,
            Some(vec!["party_to".into(), "signed".into()]),
            dir,
            PageArgs::new(first, after, last, before),
        )
        .await
    }
    /// The projects this actor leads, operates or takes part in.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<Relation>> {
        let p = vec!["leads".into(), "operates".into(), "participates_in".into()];
        relations(ctx, self.0.id, Some(p), Some(EdgeDirection::Outgoing), PageArgs::new(first, after, last, before))
            .await
    }
    /// The announcements that name this actor, newest first.
    #[graphql(complexity = "crate::pagination::price(first.or(last), child_complexity)")]
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<Page<super::Announcement>> {
        announcements_naming(ctx, self.0.id, PageArgs::new(first, after, last, before)).await
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

/// The announcements that name a node: a first page comes through the
/// [`AnnouncementsNaming`](crate::loaders::AnnouncementsNaming) loader (one statement for a page of
/// actors); a page after or before a cursor is a query of its own.
pub(crate) async fn announcements_naming(
    ctx: &Context<'_>,
    node: i64,
    args: PageArgs,
) -> ApiResult<Page<super::Announcement>> {
    use crate::loaders::{AnnouncementsKey, AnnouncementsNaming};
    let window = args.window(crate::pagination::DEFAULT_PAGE, crate::schema::decode_document_cursor)?;
    if window.had_after || window.had_before || window.page.from_end {
        let filter = govgraph_shared::models::DocumentFilter { mentions: vec![node], ..Default::default() };
        return crate::schema::announcement_page(ctx, &filter, &window).await;
    }
    let key = AnnouncementsKey { node, limit: window.page.limit, total: crate::pagination::wants_total(ctx) };
    let loader = ctx.data_unchecked::<async_graphql::dataloader::DataLoader<AnnouncementsNaming>>();
    let (rows, total) = loader
        .load_one(key)
        .await
        .map_err(|e| crate::error::internal(crate::error::ApiError::Internal(e.to_string())))?
        .unwrap_or_default();
    Ok(crate::pagination::connection(
        rows,
        &window,
        total,
        |d| crate::schema::encode_document_cursor(&d.cursor()),
        super::Announcement,
    ))
}
