use async_graphql::{Context, ID, Json, Object};
use govgraph_shared::models::graph;

use super::Relation;
use super::edges::{EdgeDirection, named_relations, relations};
use crate::error::ApiResult;
use crate::filters::RelationFilter;
use crate::pagination::{Page, PageArgs};
use govgraph_shared::vocab::{ActorKind, Predicate, Status};

/// An organisation, body, person, municipality or district.
#[derive(Clone)]
pub struct Actor(pub graph::Actor);

impl Actor {
    fn attribute(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.attributes.get(key).filter(|v| !v.is_null())
    }
}

#[Object]
#[allow(clippy::too_many_arguments)]
impl Actor {
    pub async fn id(&self) -> ID {
        super::global_id("Actor", self.0.id)
    }
    async fn kind(&self) -> ActorKind {
        self.0.kind
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
    /// Its Land, or the federal level.
    async fn state(&self, ctx: &Context<'_>) -> ApiResult<Option<super::State>> {
        crate::loaders::state(ctx, self.0.state_code).await
    }
    /// The Amtlicher Gemeindeschlüssel (8 digits for a municipality, 5 for a district).
    async fn ags(&self) -> Option<&str> {
        self.0.ags.as_deref()
    }
    /// The Regionalschlüssel (12 digits), or the 9-digit key of a municipal federation.
    async fn ars(&self) -> Option<&str> {
        self.0.ars.as_deref()
    }
    /// From a register or the reference data, confirmed, a candidate, or rejected.
    async fn status(&self) -> Status {
        self.0.status
    }
    async fn homepage(&self) -> Option<&str> {
        self.0.homepage.as_deref()
    }
    /// Inhabitants, as the register of municipalities gives them (municipalities).
    async fn population(&self) -> Option<i64> {
        self.attribute("population").and_then(|v| v.as_i64())
    }
    /// The area in square kilometres, from the register of municipalities.
    async fn area_km2(&self) -> Option<f64> {
        self.attribute("area_ha").and_then(|v| v.as_f64()).map(|ha| ha / 100.0)
    }
    /// The seat of the administration (districts, municipal federations).
    async fn seat(&self) -> Option<&str> {
        self.attribute("seat").and_then(|v| v.as_str())
    }
    /// The postcode of the administration (municipalities).
    async fn postcode(&self) -> Option<&str> {
        self.attribute("postcode").and_then(|v| v.as_str())
    }
    /// The register's form of the unit: "Stadt", "Gemeinde", "Markt", "Kreisfreie Stadt",
    /// "Landkreis", "Verbandsgemeinde", ...
    async fn legal_form(&self) -> Option<&str> {
        self.attribute("type").and_then(|v| v.as_str())
    }
    /// The day of the register's territorial status this entry reflects.
    async fn register_date(&self) -> Option<chrono::NaiveDate> {
        self.attribute("territorial_status").and_then(|v| v.as_str()).and_then(|d| d.parse().ok())
    }
    /// Where the reference data has it from (reference actors).
    async fn reference_source(&self) -> Option<&str> {
        self.attribute("source").and_then(|v| v.as_str())
    }
    /// Whatever else a catalogue or the reference data holds (the fields above are typed).
    async fn attributes(&self) -> Json<serde_json::Value> {
        Json(self.0.attributes.clone())
    }
    /// The edges of this actor (by predicate, then id; 20 a page unless `first` or `last` says),
    /// each with its evidence.
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
        let args = PageArgs::new(first, after, last, before);
        named_relations(ctx, self.0.id, &[Predicate::MemberOf], EdgeDirection::Outgoing, args).await
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
        let args = PageArgs::new(first, after, last, before);
        named_relations(ctx, self.0.id, &[Predicate::PartyTo, Predicate::Signed], EdgeDirection::Outgoing, args).await
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
        let p = [Predicate::Leads, Predicate::Operates, Predicate::ParticipatesIn];
        named_relations(ctx, self.0.id, &p, EdgeDirection::Outgoing, PageArgs::new(first, after, last, before)).await
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
