use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};

use super::Page;
use crate::Result;
use crate::schema::harvest_runs;

/// The outcome of a run (the vocabulary is defined in [`crate::vocab`]).
pub use crate::vocab::RunStatus;

/// One error of a run, with the URL it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunError {
    pub url: String,
    pub message: String,
}

/// The counters of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunCounts {
    pub seen: i32,
    pub new: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub failed: i32,
    pub skipped: i32,
    /// Catalogue entries a load no longer finds (kept, marked unlisted).
    pub removed: i32,
}

/// One harvest of one source.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = harvest_runs)]
pub struct HarvestRun {
    pub id: i64,
    pub source_id: i64,
    pub status: RunStatus,
    pub trigger: crate::vocab::RunTrigger,
    pub worker: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub items_seen: i32,
    pub items_new: i32,
    pub items_updated: i32,
    pub items_unchanged: i32,
    pub items_failed: i32,
    pub items_skipped: i32,
    pub items_removed: i32,
    pub errors: serde_json::Value,
    pub message: Option<String>,
}

/// Filters of run lists.
#[derive(Debug, Clone, Default)]
pub struct RunFilter {
    pub source_id: Option<i64>,
    /// running, succeeded, partial, degraded, failed or interrupted.
    pub status: Option<RunStatus>,
    /// Started at or after this instant.
    pub started_since: Option<DateTime<Utc>>,
}

impl HarvestRun {
    /// Opens a run in status `running`.
    pub async fn start(
        conn: &mut AsyncPgConnection,
        source_id: i64,
        trigger: crate::vocab::RunTrigger,
        worker: &str,
    ) -> Result<HarvestRun> {
        Ok(diesel::insert_into(harvest_runs::table)
            .values((
                harvest_runs::source_id.eq(source_id),
                harvest_runs::trigger.eq(trigger),
                harvest_runs::worker.eq(worker),
            ))
            .returning(HarvestRun::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Closes a run with its status, counts, errors and a summary message.
    pub async fn finish(
        conn: &mut AsyncPgConnection,
        id: i64,
        status: RunStatus,
        counts: &RunCounts,
        errors: &[RunError],
        message: Option<&str>,
    ) -> Result<HarvestRun> {
        Ok(diesel::update(harvest_runs::table.find(id))
            .set((
                harvest_runs::status.eq(status),
                harvest_runs::finished_at.eq(diesel::dsl::now),
                harvest_runs::items_seen.eq(counts.seen),
                harvest_runs::items_new.eq(counts.new),
                harvest_runs::items_updated.eq(counts.updated),
                harvest_runs::items_unchanged.eq(counts.unchanged),
                harvest_runs::items_failed.eq(counts.failed),
                harvest_runs::items_skipped.eq(counts.skipped),
                harvest_runs::items_removed.eq(counts.removed),
                harvest_runs::errors.eq(serde_json::to_value(errors).unwrap_or_default()),
                harvest_runs::message.eq(message),
            ))
            .returning(HarvestRun::as_returning())
            .get_result(conn)
            .await?)
    }

    fn filtered(f: &RunFilter) -> harvest_runs::BoxedQuery<'_, diesel::pg::Pg> {
        let mut q = harvest_runs::table.into_boxed();
        if let Some(source_id) = f.source_id {
            q = q.filter(harvest_runs::source_id.eq(source_id));
        }
        if let Some(status) = &f.status {
            q = q.filter(harvest_runs::status.eq(*status));
        }
        if let Some(since) = f.started_since {
            q = q.filter(harvest_runs::started_at.ge(since));
        }
        q
    }

    /// The newest runs first; the cursors are run ids.
    pub async fn list(conn: &mut AsyncPgConnection, f: &RunFilter, page: Page<i64>) -> Result<Vec<HarvestRun>> {
        let mut q = Self::filtered(f).select(HarvestRun::as_select());
        if let Some(after) = page.after {
            q = q.filter(harvest_runs::id.lt(after));
        }
        if let Some(before) = page.before {
            q = q.filter(harvest_runs::id.gt(before));
        }
        let q = if page.from_end { q.order(harvest_runs::id.asc()) } else { q.order(harvest_runs::id.desc()) };
        Ok(super::in_list_order(q.limit(page.limit).load(conn).await?, page.from_end))
    }

    /// Runs by id (for a DataLoader), in no particular order.
    pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[crate::ids::HarvestRunId]) -> Result<Vec<HarvestRun>> {
        Ok(harvest_runs::table.filter(harvest_runs::id.eq_any(ids)).select(HarvestRun::as_select()).load(conn).await?)
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: crate::ids::HarvestRunId) -> Result<Option<HarvestRun>> {
        Ok(harvest_runs::table.find(id).select(HarvestRun::as_select()).first(conn).await.optional()?)
    }

    pub async fn count(conn: &mut AsyncPgConnection, f: &RunFilter) -> Result<i64> {
        Ok(Self::filtered(f).count().get_result(conn).await?)
    }

    /// The errors as typed values.
    pub fn error_list(&self) -> Vec<RunError> {
        serde_json::from_value(self.errors.clone()).unwrap_or_default()
    }

    /// How many items the last `n` readable runs of a source saw, newest first.
    pub async fn recent_seen(conn: &mut AsyncPgConnection, source_id: i64, n: i64) -> Result<Vec<i32>> {
        Ok(harvest_runs::table
            .filter(harvest_runs::source_id.eq(source_id))
            .filter(harvest_runs::status.eq_any([RunStatus::Succeeded, RunStatus::Partial]))
            .filter(harvest_runs::items_seen.gt(0))
            .order(harvest_runs::id.desc())
            .limit(n)
            .select(harvest_runs::items_seen)
            .load(conn)
            .await?)
    }

    /// Runs still marked `running`.
    pub async fn running(conn: &mut AsyncPgConnection) -> Result<Vec<HarvestRun>> {
        Ok(harvest_runs::table
            .filter(harvest_runs::status.eq(RunStatus::Running))
            .select(HarvestRun::as_select())
            .load(conn)
            .await?)
    }

    /// Marks runs whose process is gone as `interrupted`.
    pub async fn mark_interrupted(conn: &mut AsyncPgConnection, ids: &[i64], message: &str) -> Result<usize> {
        Ok(diesel::update(
            harvest_runs::table
                .filter(harvest_runs::id.eq_any(ids))
                .filter(harvest_runs::status.eq(RunStatus::Running)),
        )
        .set((
            harvest_runs::status.eq(RunStatus::Interrupted),
            harvest_runs::finished_at.eq(diesel::dsl::now),
            harvest_runs::message.eq(message),
        ))
        .execute(conn)
        .await?)
    }

    /// The newest run of each of the given sources.
    pub async fn latest_per_source(conn: &mut AsyncPgConnection) -> Result<Vec<HarvestRun>> {
        Ok(harvest_runs::table
            .distinct_on(harvest_runs::source_id)
            .order((harvest_runs::source_id, harvest_runs::id.desc()))
            .select(HarvestRun::as_select())
            .load(conn)
            .await?)
    }
}
