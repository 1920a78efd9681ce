//! Scheduling in the manner of crates.io's worker: a cron tick (tokio-cron-scheduler, Europe/Berlin)
//! only enqueues a job row with a dedup key, so that any number of schedulers enqueue one job;
//! workers claim due jobs with `FOR UPDATE SKIP LOCKED` and hold the claim for as long as the job
//! runs, so no source runs twice at once and a worker that dies releases its job. The schedules
//! come from the `sources` table (the sources file is mirrored into it at start; the API adds and
//! changes sources there), read again every few seconds by [`Scheduler`].

use std::collections::HashMap;
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

/// Mirrors the sources file into the `sources` table and disables the sources of an earlier file
/// that this one no longer names (an empty file retires nothing). Sources added through the API
/// stay as they are.
pub async fn sync_and_retire_sources(pool: &Pool, config: &SourcesConfig) -> Result<(), WorkerError> {
    sync_sources(pool, config).await?;
    if config.sources.is_empty() {
        return Ok(());
    }
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let names: Vec<String> = config.sources.iter().map(|s| s.name.clone()).collect();
    for name in Source::retire_file_sources(&mut conn, &names).await? {
        tracing::warn!(source = %name, "the sources file no longer names this source; disabled");
    }
    Ok(())
}

/// The cron scheduler of one process. It follows the `sources` table, not the sources file: every
/// `reload` it reads the enabled sources with a schedule again, so that a source added or changed
/// through the API (`putSource`, `setSourceEnabled`) is scheduled, rescheduled or dropped without
/// a restart, and a new source that never ran is harvested at once.
pub struct Scheduler {
    cron: JobScheduler,
    reloader: tokio::task::JoinHandle<()>,
}

/// The cron jobs a scheduler holds: per source, its schedule and the job (none when the schedule
/// could not be read, so that the error is logged once, not at every reload); and the enabled
/// sources it has seen, so that a new one is harvested once at once.
#[derive(Default)]
struct CronJobs {
    jobs: HashMap<String, (String, Option<uuid::Uuid>)>,
    seen: std::collections::HashSet<String>,
    reconciled_once: bool,
}

impl Scheduler {
    /// Schedules the sources of the table and starts the cron ticks and the reloading.
    pub async fn start(pool: Pool, reload: Duration) -> Result<Scheduler, WorkerError> {
        let cron = JobScheduler::new().await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
        let mut jobs = CronJobs::default();
        jobs.reconcile(&cron, &pool).await?;
        cron.start().await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
        tracing::info!(sources = jobs.scheduled(), "scheduler started");
        let ticker = cron.clone();
        let reloader = tokio::spawn(async move {
            loop {
                tokio::time::sleep(reload).await;
                match jobs.reconcile(&ticker, &pool).await {
                    Ok(new) if !new.is_empty() => match enqueue_first_harvests_of(&pool, &new).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(sources = n, "first harvest of new sources enqueued"),
                        Err(e) => tracing::error!(error = %e, "could not enqueue the first harvests"),
                    },
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "could not reload the sources' schedules"),
                }
            }
        });
        Ok(Scheduler { cron, reloader })
    }

    /// Stops the ticks; a job that a tick enqueued stays queued for any worker.
    pub async fn stop(mut self) {
        self.reloader.abort();
        let _ = self.cron.shutdown().await;
    }
}

impl CronJobs {
    fn scheduled(&self) -> usize {
        self.jobs.values().filter(|(_, job)| job.is_some()).count()
    }

    /// Makes the cron jobs match the enabled sources with a schedule; returns the enabled sources
    /// it had not seen before (none on the first call: the process enqueues its first harvests
    /// itself).
    async fn reconcile(&mut self, cron: &JobScheduler, pool: &Pool) -> Result<Vec<String>, WorkerError> {
        let enabled: Vec<Source> = {
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            Source::all(&mut conn).await?.into_iter().filter(|s| s.enabled).collect()
        };
        let first_call = !std::mem::replace(&mut self.reconciled_once, true);
        let new: Vec<String> =
            enabled.iter().filter(|s| !self.seen.contains(&s.name)).map(|s| s.name.clone()).collect();
        self.seen = enabled.iter().map(|s| s.name.clone()).collect();
        let wanted: HashMap<String, String> = enabled.into_iter().filter_map(|s| Some((s.name, s.schedule?))).collect();
        let stale: Vec<String> = self
            .jobs
            .iter()
            .filter(|(name, (c, _))| wanted.get(*name) != Some(c))
            .map(|(name, _)| name.clone())
            .collect();
        for name in stale {
            // forgotten only once the cron job is gone, so that a failed removal is tried again
            if let Some((_, Some(id))) = self.jobs.get(&name) {
                cron.remove(id).await.map_err(|e| WorkerError::Scheduler(e.to_string()))?;
                tracing::info!(source = %name, "schedule dropped");
            }
            self.jobs.remove(&name);
        }
        for (name, schedule) in wanted {
            if self.jobs.contains_key(&name) {
                continue;
            }
            let job = match tick(pool.clone(), &name, &schedule) {
                Ok(job) => Some(cron.add(job).await.map_err(|e| WorkerError::Scheduler(e.to_string()))?),
                Err(e) => {
                    tracing::error!(source = %name, error = %e, "source not scheduled");
                    None
                }
            };
            if job.is_some() {
                tracing::debug!(source = %name, schedule = %schedule, "scheduled");
            }
            self.jobs.insert(name, (schedule, job));
        }
        Ok(if first_call { Vec::new() } else { new })
    }
}

/// The cron job of one source: each tick only enqueues a harvest (deduplicated by the source's name).
fn tick(pool: Pool, name: &str, schedule: &str) -> Result<CronJob, WorkerError> {
    let name = name.to_owned();
    CronJob::new_async_tz(schedule, Berlin, move |_id, _sched| {
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
    .map_err(|e| WorkerError::Scheduler(format!("schedule `{schedule}`: {e}")))
}

/// Enqueues a harvest of every enabled source that has never run.
pub async fn enqueue_first_harvests(pool: &Pool) -> Result<usize, WorkerError> {
    enqueue_first_harvests_where(pool, |_| true).await
}

/// Enqueues a harvest of those of `names` that have never run.
async fn enqueue_first_harvests_of(pool: &Pool, names: &[String]) -> Result<usize, WorkerError> {
    enqueue_first_harvests_where(pool, |s| names.contains(&s.name)).await
}

async fn enqueue_first_harvests_where(pool: &Pool, wanted: impl Fn(&Source) -> bool) -> Result<usize, WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let mut n = 0;
    for source in Source::never_harvested(&mut conn).await?.into_iter().filter(|s| wanted(s)) {
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
            if !source.enabled {
                tracing::info!(source = %source.name, "source disabled since the harvest was queued; skipping it");
                return Ok(());
            }
            if source.backing_off() {
                tracing::info!(source = %source.name, until = ?source.backoff_until, failures = source.consecutive_failures,
                    "source keeps failing; skipping this run");
                return Ok(());
            }
            let cfg = source.config()?;
            harvester.run(&cfg, govgraph_shared::vocab::RunTrigger::Schedule).await?;
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
