//! `govgraph up` (scheduler, worker and API in one process) and `govgraph worker`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use govgraph_shared::config::Settings;
use govgraph_shared::db::Pool;
use govgraph_worker::fetch::Fetcher;
use govgraph_worker::harvest::Harvester;
use govgraph_worker::schedule;
use govgraph_worker::tagging::StateTagger;
use tokio::sync::watch;

use super::serve::start_api;
use super::{load_sources, open_database, shutdown_signal};

pub async fn up(settings: Settings, sources: Option<PathBuf>) -> anyhow::Result<()> {
    let stopping = shutdown_signal();
    let sources = load_sources(&settings, sources)?;
    let (database, pool) = open_database(&settings).await?;
    println!("govgraph: database: {}", database.provenance);
    super::bootstrap::load(&pool).await?;
    // The API gets a pool of its own: actix runs its workers on runtimes of their own, and a
    // connection opened there dies with them when the API stops; in a shared pool the worker
    // could be holding such a connection in the middle of a job.
    let api_pool = govgraph_shared::db::pool(&database.url, settings.pool_size)?;
    let api = start_api(&settings, api_pool, &database.url)?;
    let api_handle = api.handle();
    let api_task = tokio::spawn(api);
    let mut stopping = std::pin::pin!(stopping);
    let background = tokio::select! {
        background = Background::start(&settings, pool, &sources) => background?,
        _ = &mut stopping => {
            tracing::info!("stopped while starting");
            api_handle.stop(true).await;
            return Ok(());
        }
    };
    tokio::select! {
        result = api_task => { result.context("the API task")?.context("the API server stopped")?; }
        _ = stopping => { tracing::info!("stopping"); }
    }
    api_handle.stop(true).await;
    background.stop().await;
    drop(database);
    Ok(())
}

pub async fn worker(settings: Settings, sources: Option<PathBuf>) -> anyhow::Result<()> {
    let stopping = shutdown_signal();
    let sources = load_sources(&settings, sources)?;
    let (database, pool) = open_database(&settings).await?;
    println!("govgraph: database: {}", database.provenance);
    let mut stopping = std::pin::pin!(stopping);
    let background = tokio::select! {
        background = Background::start(&settings, pool, &sources) => background?,
        _ = &mut stopping => {
            tracing::info!("stopped while starting");
            return Ok(());
        }
    };
    stopping.await;
    tracing::info!("stopping");
    background.stop().await;
    drop(database);
    Ok(())
}

/// The scheduler and the job runner.
struct Background {
    scheduler: schedule::Scheduler,
    stop: watch::Sender<bool>,
    runner: tokio::task::JoinHandle<()>,
}

impl Background {
    async fn start(
        settings: &Settings,
        pool: Pool,
        sources: &govgraph_shared::sources_config::SourcesConfig,
    ) -> anyhow::Result<Background> {
        schedule::sync_and_retire_sources(&pool, sources).await?;
        let fetcher = Fetcher::new(&settings.fetch)?;
        let tagger = StateTagger::new(&govgraph_shared::reference::states()?);
        let (stop, stop_rx) = watch::channel(false);
        let analysis = Arc::new(govgraph_worker::tagging::store::load(&pool).await?);
        let harvester =
            Harvester::new(pool.clone(), fetcher, tagger).with_stop(stop_rx.clone()).with_analysis(analysis);
        harvester.mark_interrupted_runs(chrono::Duration::hours(6)).await?;
        let harvester = Arc::new(harvester);
        let reload = std::time::Duration::from_secs(settings.schedule_reload_secs);
        let scheduler = schedule::Scheduler::start(pool.clone(), reload).await?;
        let queued = schedule::enqueue_first_harvests(&pool).await?;
        if queued > 0 {
            tracing::info!(sources = queued, "first harvest of sources that never ran enqueued");
        }
        let runner = tokio::spawn(schedule::run_jobs(pool, harvester, stop_rx));
        Ok(Background { scheduler, stop, runner })
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        self.scheduler.stop().await;
        let _ = self.runner.await;
    }
}
