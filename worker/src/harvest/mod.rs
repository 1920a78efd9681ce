//! Running one source once: list its items, fetch and extract each page, tag it, store it, and
//! record the run with its counts and errors. Each document is committed on its own, so a crash
//! loses at most the document in flight.

mod page;

use govgraph_shared::db::Pool;
use govgraph_shared::models::{Document, HarvestRun, RunCounts, RunError, RunStatus, Source};
use govgraph_shared::sources_config::{SourceConfig, SourceKind};

use crate::WorkerError;
use crate::fetch::Fetcher;
use crate::sources::{self, ListedItem};
use crate::tagging::StateTagger;

pub use page::ItemOutcome;

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

/// Harvests sources into the database.
pub struct Harvester {
    pool: Pool,
    fetcher: Fetcher,
    tagger: StateTagger,
    worker_id: String,
}

impl Harvester {
    pub fn new(pool: Pool, fetcher: Fetcher, tagger: StateTagger) -> Harvester {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
        Harvester { pool, fetcher, tagger, worker_id: format!("{host}:{}", std::process::id()) }
    }

    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Runs `cfg` once. An error here means the run could not even be recorded; a source that
    /// cannot be read gives a report with status `failed`.
    pub async fn run(&self, cfg: &SourceConfig, trigger: &str) -> Result<RunReport, WorkerError> {
        let (source, run) = {
            let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
            let source = Source::upsert(&mut conn, cfg).await?;
            let run = HarvestRun::start(&mut conn, source.id, trigger, &self.worker_id).await?;
            (source, run)
        };
        tracing::info!(source = %cfg.name, run = run.id, "harvest started");
        let mut counts = RunCounts::default();
        let mut errors = Vec::new();

        let (status, message) = match self.list(cfg, &source).await {
            Err(e) => {
                errors.push(RunError { url: cfg.url.clone(), message: e.to_string() });
                (RunStatus::Failed, Some(format!("the source could not be read: {e}")))
            }
            Ok(Listed { items, warning }) if items.is_empty() => {
                (RunStatus::Degraded, Some(warning.unwrap_or_else(|| "the source listed no items".to_owned())))
            }
            Ok(Listed { items, .. }) => {
                let fetcher = self.fetcher_for(cfg);
                for item in &items {
                    counts.seen += 1;
                    match page::harvest_item(&self.pool, &fetcher, &self.tagger, &source, item).await {
                        Ok(ItemOutcome::New) => counts.new += 1,
                        Ok(ItemOutcome::Updated) => counts.updated += 1,
                        Ok(ItemOutcome::Unchanged) => counts.unchanged += 1,
                        Err(WorkerError::Fetch(crate::fetch::FetchError::RobotsDisallowed { .. })) => {
                            counts.skipped += 1
                        }
                        Err(e) => {
                            tracing::warn!(source = %cfg.name, url = %item.url, error = %e, "item failed");
                            counts.failed += 1;
                            errors.push(RunError { url: item.url.clone(), message: e.to_string() });
                        }
                    }
                }
                if counts.failed == 0 && counts.skipped == counts.seen {
                    (RunStatus::Degraded, Some(format!("robots.txt disallows all {} items", counts.seen)))
                } else if counts.failed == 0 {
                    (RunStatus::Succeeded, None)
                } else if counts.failed < counts.seen {
                    (RunStatus::Partial, Some(format!("{} of {} items failed", counts.failed, counts.seen)))
                } else {
                    (RunStatus::Failed, Some(format!("all {} items failed", counts.seen)))
                }
            }
        };

        let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
        HarvestRun::finish(&mut conn, run.id, status, &counts, &errors, message.as_deref()).await?;
        Source::record_outcome(&mut conn, source.id, status == RunStatus::Failed).await?;
        tracing::info!(source = %cfg.name, run = run.id, status = status.as_str(), ?counts, "harvest finished");
        Ok(RunReport { run_id: run.id, source: cfg.name.clone(), status, counts, errors, message })
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

    async fn list(&self, cfg: &SourceConfig, source: &Source) -> Result<Listed, WorkerError> {
        let fetcher = self.fetcher_for(cfg);
        let items = match cfg.kind {
            SourceKind::Rss => sources::rss::list(&fetcher, &cfg.url).await?,
            SourceKind::Page => {
                vec![ListedItem { url: cfg.url.clone(), title: None, published: None, updated: None, summary: None }]
            }
            SourceKind::Html => {
                let settings = sources::html::HtmlSettings::from_json(&cfg.name, &cfg.settings_json())?;
                let known_until = {
                    let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
                    Document::newest_published(&mut conn, source.id).await?
                };
                let listing = sources::html::list(&fetcher, &cfg.url, &settings, known_until).await?;
                return Ok(Listed { items: listing.items, warning: listing.structure_changed });
            }
            SourceKind::Sitemap => {
                let settings = cfg.settings_json();
                let pattern = match settings.get("url_pattern").and_then(|p| p.as_str()) {
                    Some(p) => Some(regex::Regex::new(p).map_err(|e| WorkerError::Config {
                        source_name: cfg.name.clone(),
                        reason: format!("url_pattern `{p}` is not a regular expression: {e}"),
                    })?),
                    None => None,
                };
                let max_items = settings.get("max_items").and_then(|m| m.as_u64()).map(|m| m as usize);
                sources::sitemap::list(&fetcher, &cfg.url, pattern.as_ref(), max_items).await?
            }
            other => {
                return Err(WorkerError::UnsupportedKind {
                    kind: other.as_str().to_owned(),
                    source_name: cfg.name.clone(),
                });
            }
        };
        Ok(Listed { items, warning: None })
    }
}

/// The items a source lists, and a warning when its structure looks changed.
struct Listed {
    items: Vec<ListedItem>,
    warning: Option<String>,
}
