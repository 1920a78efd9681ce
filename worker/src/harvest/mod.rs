//! Running one source once: list its items ([`listing`]), fetch, extract, tag and store each
//! ([`page`]), and record the run with its counts and errors. Each document is committed on its
//! own, so a crash loses at most the document in flight; a stop request ends the run after the
//! document in flight, as `interrupted`.

mod listing;
pub mod page;

use govgraph_shared::db::Pool;
use govgraph_shared::models::{HarvestRun, RunCounts, RunError, RunStatus, Source};
use govgraph_shared::sources_config::SourceConfig;
use tokio::sync::watch;

use crate::WorkerError;
use crate::fetch::{FetchError, Fetcher};
use crate::tagging::StateTagger;

use listing::Listed;
pub use page::ItemOutcome;

/// A run that lists fewer than this share of the usual number of items is `degraded`.
const FEW_ITEMS_SHARE: f64 = 0.3;
/// ... judged only when the source usually lists at least this many.
const FEW_ITEMS_MIN_USUAL: i32 = 10;

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub run_id: i64,
    pub source: String,
    pub status: RunStatus,
    pub counts: RunCounts,
    pub errors: Vec<RunError>,
    pub message: Option<String>,
}

/// Told what a run does as it goes (a progress bar, log lines).
pub trait Progress: Send + Sync {
    /// The source listed `n` items.
    fn listed(&self, n: usize);
    /// One item is done: `outcome` is new, updated, unchanged, skipped or failed.
    fn item(&self, url: &str, outcome: &str);
    fn finished(&self) {}
}

/// Harvests sources into the database.
pub struct Harvester {
    pool: Pool,
    fetcher: Fetcher,
    tagger: StateTagger,
    worker_id: String,
    stop: watch::Receiver<bool>,
    progress: Option<std::sync::Arc<dyn Progress>>,
    analysis: Option<std::sync::Arc<crate::tagging::Tagger>>,
}

/// The id a process writes into the runs it starts: host and process id.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_owned()))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "local".into());
    format!("{host}:{}", std::process::id())
}

impl Harvester {
    pub fn new(pool: Pool, fetcher: Fetcher, tagger: StateTagger) -> Harvester {
        let (_tx, stop) = watch::channel(false);
        Harvester { pool, fetcher, tagger, worker_id: worker_id(), stop, progress: None, analysis: None }
    }

    /// Tags documents with the entities and relations they name (see `tagging`).
    pub fn with_analysis(mut self, analysis: std::sync::Arc<crate::tagging::Tagger>) -> Harvester {
        self.analysis = Some(analysis);
        self
    }

    /// Reports the progress of runs to `progress`.
    pub fn with_progress(mut self, progress: std::sync::Arc<dyn Progress>) -> Harvester {
        self.progress = Some(progress);
        self
    }

    /// Ends runs after the document in flight once `stop` turns true.
    pub fn with_stop(mut self, stop: watch::Receiver<bool>) -> Harvester {
        self.stop = stop;
        self
    }

    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Runs `cfg` once. An error here means the run could not even be recorded; a source that
    /// cannot be read gives a report with status `failed`.
    pub async fn run(
        &self,
        cfg: &SourceConfig,
        trigger: govgraph_shared::vocab::RunTrigger,
    ) -> Result<RunReport, WorkerError> {
        let (source, run) = {
            let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
            let source = Source::upsert(&mut conn, cfg).await?;
            let run = HarvestRun::start(&mut conn, source.id, trigger, &self.worker_id).await?;
            (source, run)
        };
        tracing::info!(source = %cfg.name, run = run.id, "harvest started");
        let fetcher = self.fetcher_for(cfg);
        let mut counts = RunCounts::default();
        let mut errors = Vec::new();

        let (status, message) = if cfg.kind.is_catalogue() {
            self.run_catalogue(cfg, &source, &fetcher, &mut counts, &mut errors).await
        } else {
            match self.list(cfg, &source, &fetcher).await {
                Err(e) => {
                    errors.push(RunError { url: cfg.url.clone(), message: e.to_string() });
                    (RunStatus::Failed, Some(format!("the source could not be read: {e}")))
                }
                Ok(Listed { not_modified: true, .. }) => {
                    (RunStatus::Succeeded, Some("not modified since the last run".to_owned()))
                }
                Ok(Listed { items, warning, .. }) if items.is_empty() => {
                    (RunStatus::Degraded, Some(warning.unwrap_or_else(|| "the source listed no items".to_owned())))
                }
                Ok(Listed { items, .. }) => {
                    let usual = self.usual_item_count(source.id).await?;
                    if let Some(p) = &self.progress {
                        p.listed(items.len());
                    }
                    let mut stopped = false;
                    for item in &items {
                        if *self.stop.borrow() {
                            stopped = true;
                            break;
                        }
                        counts.seen += 1;
                        let outcome = match page::harvest_item(
                            &self.pool,
                            &fetcher,
                            &self.tagger,
                            self.analysis.as_deref(),
                            &source,
                            item,
                        )
                        .await
                        {
                            Ok(ItemOutcome::New) => {
                                counts.new += 1;
                                "new"
                            }
                            Ok(ItemOutcome::Updated) => {
                                counts.updated += 1;
                                "updated"
                            }
                            Ok(ItemOutcome::Unchanged) => {
                                counts.unchanged += 1;
                                "unchanged"
                            }
                            Err(WorkerError::Fetch(FetchError::RobotsDisallowed { .. })) => {
                                counts.skipped += 1;
                                "skipped (robots.txt)"
                            }
                            Err(e) => {
                                tracing::warn!(source = %cfg.name, url = %item.url, error = %e, "item failed");
                                counts.failed += 1;
                                errors.push(RunError { url: item.url.clone(), message: e.to_string() });
                                "failed"
                            }
                        };
                        if let Some(p) = &self.progress {
                            p.item(&item.url, outcome);
                        }
                    }
                    judge(&counts, items.len(), usual, stopped)
                }
            }
        };

        if let Some(p) = &self.progress {
            p.finished();
        }
        let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
        HarvestRun::finish(&mut conn, run.id, status, &counts, &errors, message.as_deref()).await?;
        if status != RunStatus::Interrupted {
            Source::record_outcome(&mut conn, source.id, status == RunStatus::Failed).await?;
        }
        tracing::info!(source = %cfg.name, run = run.id, status = status.as_str(), ?counts, "harvest finished");
        Ok(RunReport { run_id: run.id, source: cfg.name.clone(), status, counts, errors, message })
    }

    /// A catalogue source: one file (or API) loaded by upserts.
    async fn run_catalogue(
        &self,
        cfg: &SourceConfig,
        source: &Source,
        fetcher: &Fetcher,
        counts: &mut RunCounts,
        errors: &mut Vec<RunError>,
    ) -> (RunStatus, Option<String>) {
        let result = crate::catalog::load_source(&self.pool, fetcher, cfg, source.id).await;
        match result {
            Err(e) => {
                errors.push(RunError { url: cfg.url.clone(), message: e.to_string() });
                (RunStatus::Failed, Some(format!("nothing was loaded: {e}")))
            }
            Ok(report) => {
                let c = report.counts;
                counts.new = c.new as i32;
                counts.updated = c.updated as i32;
                counts.unchanged = c.unchanged as i32;
                counts.removed = c.removed as i32;
                counts.failed = report.bad_rows.len() as i32;
                counts.seen = counts.new + counts.updated + counts.unchanged + counts.failed;
                let bad = report.bad_rows.len();
                errors.extend(report.bad_rows);
                let message = format!(
                    "{} new, {} updated, {} unchanged, {} no longer listed, {} new edges, {bad} unreadable rows skipped",
                    c.new, c.updated, c.unchanged, c.removed, report.new_edges
                );
                (if bad == 0 { RunStatus::Succeeded } else { RunStatus::Partial }, Some(message))
            }
        }
    }

    /// The fetcher with the source's own `delay_ms`, if it sets one.
    fn fetcher_for(&self, cfg: &SourceConfig) -> Fetcher {
        let delay = cfg
            .settings
            .get("delay_ms")
            .and_then(|v| v.as_integer())
            .map(|ms| std::time::Duration::from_millis(ms.max(0) as u64));
        self.fetcher.with_delay(delay)
    }

    /// The median number of items of the source's recent readable runs.
    async fn usual_item_count(&self, source_id: i64) -> Result<Option<i32>, WorkerError> {
        let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
        let mut seen = HarvestRun::recent_seen(&mut conn, source_id, 5).await?;
        if seen.len() < 3 {
            return Ok(None);
        }
        seen.sort_unstable();
        Ok(Some(seen[seen.len() / 2]))
    }

    /// Marks as `interrupted` the runs of processes on this host that no longer exist, and runs of
    /// other hosts that have been `running` for more than `stale_after`.
    pub async fn mark_interrupted_runs(&self, stale_after: chrono::Duration) -> Result<usize, WorkerError> {
        let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
        let host = self.worker_id.rsplit_once(':').map(|(h, _)| h.to_owned()).unwrap_or_default();
        let dead: Vec<i64> = HarvestRun::running(&mut conn)
            .await?
            .into_iter()
            .filter(|r| {
                let (run_host, pid) = r.worker.as_deref().and_then(|w| w.rsplit_once(':')).unwrap_or(("", ""));
                if run_host == host {
                    pid != std::process::id().to_string() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
                } else {
                    chrono::Utc::now() - r.started_at > stale_after
                }
            })
            .map(|r| r.id)
            .collect();
        if dead.is_empty() {
            return Ok(0);
        }
        let n =
            HarvestRun::mark_interrupted(&mut conn, &dead, "the process running it stopped before the run finished")
                .await?;
        tracing::warn!(runs = n, "marked runs of stopped processes as interrupted");
        Ok(n)
    }
}

/// The status and message of a run that read its items.
fn judge(counts: &RunCounts, listed: usize, usual: Option<i32>, stopped: bool) -> (RunStatus, Option<String>) {
    if stopped {
        return (RunStatus::Interrupted, Some(format!("stopped after {} of {listed} items", counts.seen)));
    }
    if counts.failed == 0 && counts.skipped == counts.seen {
        return (RunStatus::Degraded, Some(format!("robots.txt disallows all {} items", counts.seen)));
    }
    if counts.failed == counts.seen {
        return (RunStatus::Failed, Some(format!("all {} items failed", counts.seen)));
    }
    let usual = usual.filter(|u| *u >= FEW_ITEMS_MIN_USUAL);
    if let Some(usual) = usual.filter(|u| (listed as f64) < *u as f64 * FEW_ITEMS_SHARE) {
        return (
            RunStatus::Degraded,
            Some(format!("the source listed {listed} items where it usually lists about {usual}")),
        );
    }
    if counts.failed > 0 {
        return (RunStatus::Partial, Some(format!("{} of {} items failed", counts.failed, counts.seen)));
    }
    (RunStatus::Succeeded, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(seen: i32, failed: i32, skipped: i32) -> RunCounts {
        RunCounts { seen, failed, skipped, new: seen - failed - skipped, ..Default::default() }
    }

    #[test]
    fn run_statuses() {
        assert_eq!(judge(&counts(5, 0, 0), 5, None, false).0, RunStatus::Succeeded);
        assert_eq!(judge(&counts(5, 2, 0), 5, None, false).0, RunStatus::Partial);
        assert_eq!(judge(&counts(5, 5, 0), 5, None, false).0, RunStatus::Failed);
        assert_eq!(judge(&counts(3, 0, 3), 3, None, false).0, RunStatus::Degraded);
        assert_eq!(judge(&counts(2, 0, 0), 2, Some(40), false).0, RunStatus::Degraded);
        assert_eq!(judge(&counts(2, 0, 0), 2, Some(4), false).0, RunStatus::Succeeded);
        assert_eq!(judge(&counts(1, 0, 0), 5, None, true).0, RunStatus::Interrupted);
    }
}
