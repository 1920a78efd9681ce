//! The subcommands, one module each, and what they share: opening the database.

mod bootstrap;
mod eval;
mod extract;
mod harvest;
mod reparse;
mod retag;
mod serve;
mod sources;
mod up;

use std::path::{Path, PathBuf};

use anyhow::Context;
use govgraph_shared::config::{DEFAULT_SOURCES, Settings};
use govgraph_shared::db::{self, Database, Pool};
use govgraph_shared::sources_config::SourcesConfig;

use crate::cli::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::from_env()?;
    match cli.command {
        Command::Up { bind, sources } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            up::up(settings, sources).await
        }
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            serve::serve(settings).await
        }
        Command::Worker { sources } => up::worker(settings, sources).await,
        Command::Harvest { sources, source } => harvest::harvest(settings, sources, &source).await,
        Command::Bootstrap => bootstrap::bootstrap(settings).await,
        Command::Sources { sources: file } => sources::sources(settings, file).await,
        Command::Reparse { source } => reparse::reparse(settings, source).await,
        Command::Migrate => {
            let (database, _pool) = open_database(&settings).await?;
            println!("govgraph: database migrated and reference data loaded ({})", database.provenance);
            Ok(())
        }
        Command::Extract { inputs, format } => extract::extract(settings, &inputs, format).await,
        Command::Eval { gold, docs, verbose, floors } => eval::eval(&gold, &docs, verbose, floors.as_deref()),
        Command::Retag { source } => retag::retag(settings, source).await,
        Command::BenchSeed { scale } => {
            let (_database, pool) = open_database(&settings).await?;
            let mut conn = pool.get().await?;
            if govgraph_shared::db::synthetic::has_real_documents(&mut conn).await? {
                anyhow::bail!(
                    "this database holds harvested announcements; bench-seed fills only a database of its own"
                );
            }
            let started = std::time::Instant::now();
            let s = govgraph_shared::db::synthetic::fill(&mut conn, scale).await?;
            println!(
                "govgraph: synthetic graph written in {:.1} s: {} announcements, {} actors, {} agreements, {} services, {} relations with evidence",
                started.elapsed().as_secs_f64(),
                s.announcements,
                s.actors,
                s.agreements,
                s.services,
                s.relations
            );
            Ok(())
        }
    }
}

/// Finds the database, migrates it and loads the reference data.
pub async fn open_database(settings: &Settings) -> anyhow::Result<(Database, Pool)> {
    let database = Database::resolve(&settings.database, &settings.data_dir, db::locate::DEFAULT_DB_NAME)
        .await
        .context("finding PostgreSQL")?;
    tracing::info!(database = %database.provenance, "using the database");
    let pool = db::pool(&database.url, settings.pool_size)?;
    db::prepare(&database.url, &pool).await.context("preparing the database")?;
    Ok((database, pool))
}

/// The sources file: an explicit path must exist; the default may be missing (then no sources).
pub fn load_sources(settings: &Settings, explicit: Option<PathBuf>) -> anyhow::Result<SourcesConfig> {
    let path = explicit.unwrap_or_else(|| settings.sources_path.clone());
    if !path.exists() && path == Path::new(DEFAULT_SOURCES) {
        tracing::warn!(path = %path.display(), "no sources file here; running without sources");
        return Ok(SourcesConfig::default());
    }
    Ok(SourcesConfig::load(&path)?)
}

/// A future that resolves when the process is asked to stop (Ctrl-C or SIGTERM). The handlers are
/// installed when this is called, not when the future is first polled: call it first thing, so
/// that a stop during start-up (loading the tagger, syncing sources) is a clean stop, not the
/// default action of the signal.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let handlers = signal(SignalKind::terminate()).and_then(|t| Ok((t, signal(SignalKind::interrupt())?)));
        async move {
            match handlers {
                Ok((mut term, mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
