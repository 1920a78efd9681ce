//! `govgraph harvest --source NAME`: one source, once.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use anyhow::bail;
use govgraph_shared::config::Settings;
use govgraph_shared::models::RunStatus;
use govgraph_worker::fetch::Fetcher;
use govgraph_worker::harvest::{Harvester, Progress};
use govgraph_worker::tagging::StateTagger;
use indicatif::{ProgressBar, ProgressStyle};

use super::{load_sources, open_database};

pub async fn harvest(settings: Settings, sources: Option<PathBuf>, name: &str) -> anyhow::Result<()> {
    // Ctrl-C or SIGTERM ends the run after the document in flight (listened for from the start)
    let stopping = super::shutdown_signal();
    let path = sources.clone().unwrap_or_else(|| settings.sources_path.clone());
    let config = load_sources(&settings, sources)?;
    let Some(cfg) = config.get(name) else {
        let known: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
        bail!(
            "unknown source `{name}` in {}; known sources: {}",
            path.display(),
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        );
    };
    let (_database, pool) = open_database(&settings).await?;
    let fetcher = Fetcher::new(&settings.fetch)?;
    let tagger = StateTagger::new(&govgraph_shared::reference::states()?);
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stopping.await;
        eprintln!("govgraph: stopping after the document in flight");
        let _ = stop.send(true);
    });
    let progress: Arc<dyn Progress> =
        if std::io::stderr().is_terminal() { Arc::new(Bar::default()) } else { Arc::new(Lines::default()) };
    let analysis = Arc::new(govgraph_worker::tagging::store::load(&pool).await?);
    let harvester =
        Harvester::new(pool, fetcher, tagger).with_stop(stop_rx).with_progress(progress).with_analysis(analysis);
    harvester.mark_interrupted_runs(chrono::Duration::hours(6)).await?;
    let report = harvester.run(cfg, govgraph_shared::vocab::RunTrigger::Manual).await?;
    let c = &report.counts;
    println!(
        "govgraph: harvest of `{}` (run {}): {} — seen {}, new {}, updated {}, unchanged {}, failed {}, skipped {}",
        report.source,
        report.run_id,
        report.status.as_str(),
        c.seen,
        c.new,
        c.updated,
        c.unchanged,
        c.failed,
        c.skipped
    );
    for e in &report.errors {
        println!("  error: {}: {}", e.url, e.message);
    }
    if report.status == RunStatus::Interrupted {
        bail!("the harvest of `{}` was stopped before it finished", report.source);
    }
    if report.status == RunStatus::Failed {
        bail!(
            "source `{}` could not be harvested: {}",
            report.source,
            report.message.as_deref().unwrap_or("see the errors above")
        );
    }
    Ok(())
}

/// A progress bar on a terminal.
#[derive(Default)]
struct Bar(OnceLock<ProgressBar>);

impl Progress for Bar {
    fn listed(&self, n: usize) {
        let bar = ProgressBar::new(n as u64);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        let _ = self.0.set(bar);
    }
    fn item(&self, url: &str, outcome: &str) {
        if let Some(bar) = self.0.get() {
            bar.set_message(format!("{outcome}: {url}"));
            bar.inc(1);
        }
    }
    fn finished(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

/// Plain lines when stderr is not a terminal (logs, CI).
#[derive(Default)]
struct Lines {
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress for Lines {
    fn listed(&self, n: usize) {
        self.total.store(n, Ordering::Relaxed);
        eprintln!("govgraph: the source lists {n} items");
    }
    fn item(&self, url: &str, outcome: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        eprintln!("govgraph: [{done}/{}] {outcome}: {url}", self.total.load(Ordering::Relaxed));
    }
}
