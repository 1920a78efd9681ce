//! The root query and the schema.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, Schema};
use chrono::{DateTime, Utc};
use govgraph_shared::db::Pool;
use govgraph_shared::models::{self, Document, DocumentFilter, HarvestRun as RunRow, document::DocumentCursor};

use crate::error::{ApiResult, bad_input, internal};
use crate::filters::{ActorFilter, AnnouncementFilter, HarvestRunFilter, SourceFilter};
use crate::loaders::{EvidenceByRelation, SourceById, StatesByDocument};
use crate::pagination::{self, DEFAULT_PAGE, Page, PageArgs, Window, connection};
use crate::types::{Actor, Announcement, HarvestRun, Source, State};
use govgraph_shared::vocab::StateCode;

pub type GovgraphSchema = Schema<Query, crate::mutations::MutationRoot, crate::subscriptions::SubscriptionRoot>;

/// The root query: announcements, actors, runs and sources ([`QueryRoot`]), the rest of the
/// graph ([`crate::roots::GraphRoot`]) and search ([`crate::search::SearchQuery`]).
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(QueryRoot, crate::roots::GraphRoot, crate::search::SearchQuery);

/// Limits that hold before any database work; the depth of user fields (introspection is bounded
/// otherwise, see [`crate::limits`]).
const MAX_DEPTH: usize = 12;
const MAX_COMPLEXITY: usize = 5_000;

/// How long a DataLoader gathers keys before it queries: long enough that a page of nodes is one
/// batch, short against a query's time.
const LOADER_DELAY: std::time::Duration = std::time::Duration::from_millis(4);

/// Builds the schema over a database pool; `live` feeds the subscriptions.
pub fn build_schema(
    pool: Pool,
    settings: &govgraph_shared::config::ApiSettings,
    live: crate::live::Live,
) -> GovgraphSchema {
    let states = live.states.clone();
    let mut builder =
        Schema::build(Query::default(), crate::mutations::MutationRoot, crate::subscriptions::SubscriptionRoot)
            .data(live)
            .data(states.clone())
            .data(crate::search::ExactUpTo(settings.search_exact_up_to))
            .data(DataLoader::new(StatesByDocument(pool.clone(), states.clone()), tokio::spawn))
            .data(DataLoader::new(SourceById(pool.clone()), tokio::spawn))
            .data(DataLoader::new(EvidenceByRelation(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::EdgesOf(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::MentionsByDocument(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::TombstoneOf(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::VersionsByDocument(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::AnnouncementsNaming(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::EdgesReadIn(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::AnnouncementById(pool.clone()), tokio::spawn).delay(LOADER_DELAY))
            .data(DataLoader::new(crate::loaders::NodeById(pool.clone(), states), tokio::spawn).delay(LOADER_DELAY))
            .data(pool)
            .extension(crate::limits::NestingLimits { max_depth: MAX_DEPTH, introspection: settings.introspection })
            .limit_complexity(MAX_COMPLEXITY)
            .limit_recursive_depth(MAX_DEPTH * 4)
            .limit_directives(crate::limits::MAX_DIRECTIVES);
    if settings.search_cache {
        builder = builder.data(crate::search::SearchCache::default());
    }
    if !settings.introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

fn pool<'a>(ctx: &Context<'a>) -> &'a Pool {
    ctx.data_unchecked::<Pool>()
}

pub(crate) async fn conn(ctx: &Context<'_>) -> ApiResult<govgraph_shared::db::PooledConn> {
    pool(ctx).get().await.map_err(|e| internal(govgraph_shared::Error::from(e)))
}

#[derive(Default)]
pub struct QueryRoot;

#[Object]
#[allow(clippy::too_many_arguments)]
impl QueryRoot {
    /// The 16 Länder (in AGS order) and the federal level DE.
    async fn states(&self, ctx: &Context<'_>) -> ApiResult<Vec<State>> {
        let states = ctx.data_unchecked::<crate::reference_cache::StatesCache>().all().await.map_err(internal)?;
        Ok(states.iter().cloned().filter_map(State::from_row).collect())
    }

    /// One state by its code (`ST`, `DE`).
    async fn state(&self, ctx: &Context<'_>, code: StateCode) -> ApiResult<Option<State>> {
        crate::loaders::state(ctx, Some(code)).await
    }

    /// Harvested announcements, newest first (undated ones last).
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "After this cursor (the `endCursor` of the previous page).")] after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        #[graphql(desc = "Before this cursor (the `startCursor` of the next page).")] before: Option<String>,
        filter: Option<AnnouncementFilter>,
    ) -> ApiResult<Page<Announcement>> {
        let window = PageArgs::new(first, after, last, before).window(DEFAULT_PAGE, decode_document_cursor)?;
        let filter = filter.unwrap_or_default().into_model(ctx).await?;
        announcement_page(ctx, &filter, &window).await
    }

    /// Harvest runs, newest first, with their counts and errors.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn harvest_runs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<HarvestRunFilter>,
    ) -> ApiResult<Page<HarvestRun>> {
        let window =
            PageArgs::new(first, after, last, before).window(DEFAULT_PAGE, |c| pagination::decode_id("run", c))?;
        let f = filter.unwrap_or_default();
        let mut conn = conn(ctx).await?;
        let source_id = match f.source {
            None => None,
            Some(name) => Some(
                models::Source::find_by_name(&mut conn, &name)
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| bad_input(format!("unknown source `{name}`")))?
                    .id,
            ),
        };
        let filter = models::harvest_run::RunFilter { source_id, status: f.status, started_since: f.from };
        let rows = RunRow::list(&mut conn, &filter, window.page.clone()).await.map_err(internal)?;
        let total = pagination::total_if_asked(ctx, || RunRow::count(&mut conn, &filter)).await?;
        Ok(connection(rows, &window, total, |r| pagination::encode("run", &[r.id.to_string()]), HarvestRun))
    }

    /// Actors (organisations, bodies, persons, municipalities, districts), by name.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<ActorFilter>,
    ) -> ApiResult<Page<Actor>> {
        let window =
            PageArgs::new(first, after, last, before).window(DEFAULT_PAGE, |c| pagination::decode_named("actor", c))?;
        let filter = filter.unwrap_or_default().into_model();
        actor_page(ctx, &filter, &window).await
    }

    /// One actor by global id, slug, or official key (AGS; the ARS of a municipal federation).
    async fn actor(
        &self,
        ctx: &Context<'_>,
        id: Option<async_graphql::ID>,
        slug: Option<String>,
        ags: Option<String>,
    ) -> ApiResult<Option<Actor>> {
        let row_id = match &id {
            Some(id) => match crate::types::decode_id(id, "an Actor id")? {
                crate::types::GlobalId::Actor(row) => Some(row),
                other => return Err(crate::types::wrong_type(id, &other, "an Actor")),
            },
            None => None,
        };
        if row_id.is_none() && slug.is_none() && ags.is_none() {
            return Err(bad_input("give `id`, `slug` or `ags`"));
        }
        let mut conn = conn(ctx).await?;
        Ok(models::graph::Actor::find(&mut conn, row_id, slug.as_deref(), ags.as_deref())
            .await
            .map_err(internal)?
            .map(Actor))
    }

    /// The configured sources (from the sources file and `putSource`), by name.
    #[graphql(complexity = "pagination::price(first.or(last), child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the front, 0 to 100 (default 20).")] first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Page size from the back, 0 to 100 (instead of `first`).")] last: Option<i32>,
        before: Option<String>,
        filter: Option<SourceFilter>,
    ) -> ApiResult<Page<Source>> {
        let window = PageArgs::new(first, after, last, before)
            .window(DEFAULT_PAGE, |c| pagination::decode("source", c).map(|parts| parts.join(":")))?;
        let f = filter.unwrap_or_default();
        let filter = models::source::SourceFilter {
            state: f.state.map(|s| s.as_str().to_owned()),
            kind: f.kind,
            enabled: f.enabled,
            modified_since: f.modified_since,
        };
        let mut conn = conn(ctx).await?;
        let rows = models::Source::list(&mut conn, &filter, window.page.clone()).await.map_err(internal)?;
        let total = pagination::total_if_asked(ctx, || models::Source::count(&mut conn, &filter)).await?;
        Ok(connection(rows, &window, total, |s| pagination::encode("source", std::slice::from_ref(&s.name)), Source))
    }
}

/// A page of announcements.
pub(crate) async fn announcement_page(
    ctx: &Context<'_>,
    filter: &DocumentFilter,
    window: &Window<DocumentCursor>,
) -> ApiResult<Page<Announcement>> {
    let look = ctx.look_ahead();
    let with_text =
        look.field("edges").field("node").field("text").exists() || look.field("nodes").field("text").exists();
    let mut conn = conn(ctx).await?;
    let rows = if with_text {
        Document::list(&mut conn, filter, window.page.clone()).await
    } else {
        Document::list_without_text(&mut conn, filter, window.page.clone()).await
    }
    .map_err(internal)?;
    let total = pagination::total_if_asked(ctx, || Document::count(&mut conn, filter)).await?;
    Ok(connection(rows, window, total, |d| encode_document_cursor(&d.cursor()), Announcement))
}

/// A page of actors.
pub(crate) async fn actor_page(
    ctx: &Context<'_>,
    filter: &models::graph::ActorFilter,
    window: &Window<(String, i64)>,
) -> ApiResult<Page<Actor>> {
    let mut conn = conn(ctx).await?;
    let rows = models::graph::Actor::list(&mut conn, filter, window.page.clone()).await.map_err(internal)?;
    let total = pagination::total_if_asked(ctx, || models::graph::Actor::count(&mut conn, filter)).await?;
    Ok(connection(rows, window, total, |a| pagination::encode_named("actor", &a.name, a.id), Actor))
}

pub(crate) fn encode_document_cursor(c: &DocumentCursor) -> String {
    let published = c.published_at.map_or_else(|| "-".to_owned(), |p| p.timestamp_micros().to_string());
    pagination::encode("doc", &[published, c.id.to_string()])
}

pub(crate) fn decode_document_cursor(cursor: &str) -> ApiResult<DocumentCursor> {
    let parts = pagination::decode("doc", cursor)?;
    let invalid = || bad_input(format!("`{cursor}` is not a cursor of this list"));
    let [published, id] = parts.as_slice() else {
        return Err(invalid());
    };
    let published_at = match published.as_str() {
        "-" => None,
        micros => {
            Some(DateTime::<Utc>::from_timestamp_micros(micros.parse().map_err(|_| invalid())?).ok_or_else(invalid)?)
        }
    };
    Ok(DocumentCursor { published_at, id: id.parse().map_err(|_| invalid())? })
}
