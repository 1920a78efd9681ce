use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::{harvest_runs, sources};
use crate::sources_config::{SourceConfig, SourceKind};

/// A source as mirrored from `config/sources.toml`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sources)]
pub struct Source {
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    pub url: String,
    pub schedule: Option<String>,
    pub state_code: Option<String>,
    pub publisher: Option<String>,
    pub enabled: bool,
    pub settings: serde_json::Value,
    pub consecutive_failures: i32,
    pub backoff_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// `file` (the sources file) or `api` (`putSource`).
    pub origin: SourceOrigin,
}

pub use crate::vocab::SourceOrigin;

/// Filters of source lists.
#[derive(Debug, Clone, Default)]
pub struct SourceFilter {
    pub state: Option<String>,
    pub kind: Option<SourceKind>,
    pub enabled: Option<bool>,
    pub modified_since: Option<DateTime<Utc>>,
}

impl Source {
    /// Inserts or updates the source named in `cfg` (a new one comes from the sources file).
    pub async fn upsert(conn: &mut AsyncPgConnection, cfg: &SourceConfig) -> Result<Source> {
        Self::upsert_from(conn, cfg, SourceOrigin::File).await
    }

    /// Inserts or updates the source named in `cfg`. A new source gets `origin`; an existing one
    /// keeps its own, except that `api` always wins (an editor's source is never retired by the
    /// sources file).
    pub async fn upsert_from(conn: &mut AsyncPgConnection, cfg: &SourceConfig, origin: SourceOrigin) -> Result<Source> {
        let values = (
            sources::name.eq(&cfg.name),
            sources::kind.eq(cfg.kind),
            sources::url.eq(&cfg.url),
            sources::schedule.eq(&cfg.schedule),
            sources::state_code.eq(&cfg.state),
            sources::publisher.eq(&cfg.publisher),
            sources::enabled.eq(cfg.enabled),
            sources::settings.eq(cfg.settings_json()),
        );
        Ok(diesel::insert_into(sources::table)
            .values((values.clone(), sources::origin.eq(origin)))
            .on_conflict(sources::name)
            .do_update()
            .set((
                values,
                sources::updated_at.eq(diesel::dsl::now),
                sources::origin.eq(diesel::dsl::sql::<diesel::sql_types::Text>(
                    "CASE WHEN excluded.origin = 'api' THEN 'api' ELSE sources.origin END",
                )),
            ))
            .returning(Source::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Disables the enabled sources of the sources file that `names` (the file's sources now) leaves
    /// out; returns their names. Sources added through the API are kept.
    pub async fn retire_file_sources(conn: &mut AsyncPgConnection, names: &[String]) -> Result<Vec<String>> {
        Ok(diesel::update(
            sources::table
                .filter(sources::origin.eq(SourceOrigin::File))
                .filter(sources::enabled.eq(true))
                .filter(sources::name.ne_all(names)),
        )
        .set((sources::enabled.eq(false), sources::updated_at.eq(diesel::dsl::now)))
        .returning(sources::name)
        .get_results(conn)
        .await?)
    }

    pub async fn find_by_name(conn: &mut AsyncPgConnection, name: &str) -> Result<Option<Source>> {
        Ok(sources::table.filter(sources::name.eq(name)).select(Source::as_select()).first(conn).await.optional()?)
    }

    pub async fn find_by_ids(conn: &mut AsyncPgConnection, ids: &[crate::ids::SourceId]) -> Result<Vec<Source>> {
        Ok(sources::table.filter(sources::id.eq_any(ids)).select(Source::as_select()).load(conn).await?)
    }

    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<Source>> {
        Ok(sources::table.order(sources::name).select(Source::as_select()).load(conn).await?)
    }

    /// A page of sources by name; the cursors are names.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        f: &SourceFilter,
        page: super::Page<String>,
    ) -> Result<Vec<Source>> {
        let mut q = Self::filtered(f);
        if let Some(after) = page.after {
            q = q.filter(sources::name.gt(after));
        }
        if let Some(before) = page.before {
            q = q.filter(sources::name.lt(before));
        }
        let q = if page.from_end { q.order(sources::name.desc()) } else { q.order(sources::name.asc()) };
        let rows = q.limit(page.limit).select(Source::as_select()).load(conn).await?;
        Ok(super::in_list_order(rows, page.from_end))
    }

    pub async fn count(conn: &mut AsyncPgConnection, f: &SourceFilter) -> Result<i64> {
        Ok(Self::filtered(f).count().get_result(conn).await?)
    }

    fn filtered(f: &SourceFilter) -> sources::BoxedQuery<'_, diesel::pg::Pg> {
        let mut q = sources::table.into_boxed();
        if let Some(state) = &f.state {
            q = q.filter(sources::state_code.eq(state));
        }
        if let Some(kind) = &f.kind {
            q = q.filter(sources::kind.eq(*kind));
        }
        if let Some(enabled) = f.enabled {
            q = q.filter(sources::enabled.eq(enabled));
        }
        if let Some(since) = f.modified_since {
            q = q.filter(sources::updated_at.ge(since));
        }
        q
    }

    /// Records the outcome of a run. A source that fails twice or more in a row backs off across
    /// runs: 15 minutes after the second failure, doubling up to a day; a success clears it.
    pub async fn record_outcome(conn: &mut AsyncPgConnection, id: i64, failed: bool) -> Result<()> {
        if failed {
            let failures: i32 = diesel::update(sources::table.find(id))
                .set(sources::consecutive_failures.eq(sources::consecutive_failures + 1))
                .returning(sources::consecutive_failures)
                .get_result(conn)
                .await?;
            if failures >= 2 {
                let minutes = (15i64 << (failures - 2).min(7)).min(24 * 60);
                diesel::update(sources::table.find(id))
                    .set(sources::backoff_until.eq(Utc::now() + chrono::Duration::minutes(minutes)))
                    .execute(conn)
                    .await?;
            }
        } else {
            diesel::update(sources::table.find(id))
                .set((sources::consecutive_failures.eq(0), sources::backoff_until.eq(None::<DateTime<Utc>>)))
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// True while a source that keeps failing waits out its back-off.
    pub fn backing_off(&self) -> bool {
        self.backoff_until.is_some_and(|t| t > Utc::now())
    }

    /// Enabled sources that have never been harvested (a fresh install harvests them at once).
    pub async fn never_harvested(conn: &mut AsyncPgConnection) -> Result<Vec<Source>> {
        Ok(sources::table
            .filter(sources::enabled.eq(true))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                harvest_runs::table.filter(harvest_runs::source_id.eq(sources::id)),
            )))
            .order(sources::name)
            .select(Source::as_select())
            .load(conn)
            .await?)
    }

    /// The configuration this row mirrors.
    pub fn config(&self) -> Result<SourceConfig> {
        let kind = self.kind;
        let settings: toml::Table = serde_json::from_value(self.settings.clone())
            .map_err(|e| crate::Error::Config(format!("source `{}` settings: {e}", self.name)))?;
        Ok(SourceConfig {
            name: self.name.clone(),
            kind,
            url: self.url.clone(),
            schedule: self.schedule.clone(),
            state: self.state_code.clone(),
            publisher: self.publisher.clone(),
            enabled: self.enabled,
            settings,
        })
    }
}
