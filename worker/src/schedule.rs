//! Scheduling in the manner of crates.io's worker: a cron tick (tokio-cron-scheduler, Europe/Berlin)
//! only enqueues a job row with a dedup key, so that any number of schedulers enqueue one job;
//! workers claim due jobs with `FOR UPDATE SKIP LOCKED` and hold the claim for as long as the job
//! runs, so no source runs twice at once and a worker that dies releases its job.

use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Europe::Berlin;
use govgraph_shared::db::Pool;
use govgraph_shared::models::{Job, Source, job::HARVEST_JOB};
use govgraph_shared::sources_config::SourcesConfig;
use tokio::sync::watch;
use tokio_cron_scheduler::{Job as CronJob, JobScheduler};

use crate::WorkerError;
use crate::harvest::Harvester;

/// Mirrors the sources file into the `sources` table.
pub async fn sync_sources(pool: &Pool, config: &SourcesConfig) -> Result<(), WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    for s in &config.sources {
        Source::upsert(&mut conn, s).await?;
    }
    Ok(())
}

/// Starts the cron scheduler: one cron job per enabled source with a schedule.
pub async fn start_scheduler(pool: Pool, config: &SourcesConfig) -> Result<JobScheduler, WorkerError> {
    let sched = JobScheduler::new().await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
    let mut scheduled = 0;
    for source in config.sources.iter().filter(|s| s.enabled) {
        let Some(cron) = source.schedule.clone() else {
            continue;
        };
        let name = source.name.clone();
        let pool = pool.clone();
        let job = CronJob::new_async_tz(cron.as_str(), Berlin, move |_id, _sched| {
            let pool = pool.clone();
            let name = name.clone();
            Box::pin(async move {
                match pool.get().await {
                    Ok(mut conn) => match Job::enqueue_harvest(&mut conn, &name).await {
                        Ok(true) => tracing::info!(source = %name, "scheduled harvest enqueued"),
                        Ok(false) => tracing::debug!(source = %name, "harvest already queued or running"),
                        Err(e) => tracing::error!(source = %name, error = %e, "could not enqueue harvest"),
                    },
                    Err(e) => tracing::error!(source = %name, error = %e, "no database connection for the scheduler"),
                }
            })
        })
        .map_err(|e| WorkerError::Scheduler(format!("source `{}`: schedule `{cron}`: {e}", source.name)))?;
        sched.add(job).await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
        scheduled += 1;
    }
    sched.start().await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
    tracing::info!(sources = scheduled, "scheduler started");
    Ok(sched)
}

/// Enqueues a harvest of every enabled source that has never run.
pub async fn enqueue_first_harvests(pool: &Pool) -> Result<usize, WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let mut n = 0;
    for source in Source::never_harvested(&mut conn).await? {
        if Job::enqueue_harvest(&mut conn, &source.name).await? {
            n += 1;
        }
    }
    Ok(n)
}

/// Claims and runs jobs until `shutdown` turns true; a job in flight is finished first.
pub async fn run_jobs(pool: Pool, harvester: Arc<Harvester>, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            break;
        }
        match run_next_job(&pool, &harvester).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "job queue"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("job runner stopped");
}

/// Runs the next due job, if any; true if one ran.
pub async fn run_next_job(pool: &Pool, harvester: &Harvester) -> Result<bool, WorkerError> {
    use diesel_async::AsyncConnection;
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    conn.transaction::<bool, WorkerError, _>(async |conn| {
        let Some(job) = Job::claim_next(conn).await? else {
            return Ok(false);
        };
        let result = run_job(pool, harvester, &job).await;
        match result {
            Ok(()) => Job::delete(conn, job.id).await?,
            Err(e) => {
                let retried = Job::fail(conn, &job, &e.to_string()).await?;
                tracing::warn!(job = job.id, error = %e, retried, "job failed");
            }
        }
        Ok(true)
    })
    .await
}

async fn run_job(pool: &Pool, harvester: &Harvester, job: &Job) -> Result<(), WorkerError> {
    match job.job_type.as_str() {
        HARVEST_JOB => {
            let name = job.payload.get("source").and_then(|v| v.as_str()).unwrap_or_default();
            let source = {
                let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
                Source::find_by_name(&mut conn, name).await?
            }
            .ok_or_else(|| WorkerError::UnknownSource(name.to_owned()))?;
            if source.backing_off() {
                tracing::info!(source = %source.name, until = ?source.backoff_until, failures = source.consecutive_failures,
                    "source keeps failing; skipping this run");
                return Ok(());
            }
            let cfg = source.config()?;
            harvester.run(&cfg, "schedule").await?;
            Ok(())
        }
        other => Err(WorkerError::Scheduler(format!("unknown job type `{other}`"))),
    }
}

/// The next time a cron expression (six fields, seconds first) fires, in Europe/Berlin.
pub fn next_run(cron: &str) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    let schedule = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .dom_and_dow(true)
        .build()
        .parse(cron)
        .ok()?;
    schedule.find_next_occurrence(&chrono::Utc::now().with_timezone(&Berlin), false).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_run_in_berlin() {
        let next = super::next_run("0 15 3 * * *").unwrap();
        assert_eq!(next.format("%H:%M:%S").to_string(), "03:15:00");
        assert!(super::next_run("every day").is_none());
    }
}

#[cfg(test)]
mod shipped_sources {
    use govgraph_shared::sources_config::SourcesConfig;

    #[test]
    fn the_shipped_sources_file_parses_and_schedules() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/sources.toml");
        let config = SourcesConfig::load(&path).unwrap();
        assert!(config.sources.len() >= 25, "{}", config.sources.len());
        for s in &config.sources {
            if let Some(cron) = &s.schedule {
                assert!(super::next_run(cron).is_some(), "{}: `{cron}`", s.name);
            }
        }
    }
}
