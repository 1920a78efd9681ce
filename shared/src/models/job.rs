use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::jobs;

/// The job type that harvests one source; its payload is `{"source": NAME}`.
pub const HARVEST_JOB: &str = "harvest";

/// A row of the job queue. Jobs are deleted when done; a row that exists is queued or running,
/// so its dedup key keeps a second copy out.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: i64,
    pub job_type: String,
    pub payload: serde_json::Value,
    pub dedup_key: Option<String>,
    pub priority: i16,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

impl Job {
    /// Enqueues a job unless one with the same dedup key is queued or running; true if enqueued.
    pub async fn enqueue(
        conn: &mut AsyncPgConnection,
        job_type: &str,
        payload: serde_json::Value,
        dedup_key: Option<&str>,
    ) -> Result<bool> {
        let inserted = diesel::insert_into(jobs::table)
            .values((jobs::job_type.eq(job_type), jobs::payload.eq(payload), jobs::dedup_key.eq(dedup_key)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    }

    /// Enqueues a harvest of source `name`.
    pub async fn enqueue_harvest(conn: &mut AsyncPgConnection, name: &str) -> Result<bool> {
        Self::enqueue(conn, HARVEST_JOB, serde_json::json!({ "source": name }), Some(&format!("harvest:{name}"))).await
    }

    /// Claims the next job that is due, skipping those other workers hold. The claim is the row
    /// lock: it lasts as long as the caller's transaction, and a worker that dies releases it.
    pub async fn claim_next(conn: &mut AsyncPgConnection) -> Result<Option<Job>> {
        Ok(jobs::table
            .filter(jobs::run_at.le(diesel::dsl::now))
            .order((jobs::priority.desc(), jobs::run_at.asc(), jobs::id.asc()))
            .select(Job::as_select())
            .for_update()
            .skip_locked()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn delete(conn: &mut AsyncPgConnection, id: i64) -> Result<()> {
        diesel::delete(jobs::table.find(id)).execute(conn).await?;
        Ok(())
    }

    /// Records a failed attempt; the job runs again after an exponential back-off, or is dropped
    /// after its last attempt (returns false then).
    pub async fn fail(conn: &mut AsyncPgConnection, job: &Job, error: &str) -> Result<bool> {
        let attempts = job.attempts + 1;
        if attempts >= job.max_attempts {
            Self::delete(conn, job.id).await?;
            return Ok(false);
        }
        let delay = chrono::Duration::seconds(30 * 2i64.pow(attempts.min(10) as u32));
        diesel::update(jobs::table.find(job.id))
            .set((jobs::attempts.eq(attempts), jobs::run_at.eq(Utc::now() + delay), jobs::last_error.eq(error)))
            .execute(conn)
            .await?;
        Ok(true)
    }
}
