//! The database: where it is ([`locate`], [`cluster`]), the pool, migrations, test databases.

pub mod cluster;
pub mod locate;
pub mod synthetic;
pub mod test_db;

use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{Error, Result};

pub use locate::{Database, Provenance};

/// The migrations of `migrations/`, embedded in the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

pub type Pool = deadpool::Pool<AsyncPgConnection>;
pub type PooledConn = deadpool::Object<AsyncPgConnection>;

/// A pooled connection unused for longer than this is checked with `SELECT 1` before it is
/// handed out; a connection in steady use is not (see [`pool`]).
pub const IDLE_CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// A pool of `size` connections to `url`.
///
/// A checkout sends no ping: the manager's fast recycling only drops a connection whose socket
/// is closed or whose transaction was left broken, and a connection idle for longer than
/// [`IDLE_CHECK_AFTER`] (which a server restart or a firewall may have cut) is checked with
/// `SELECT 1` first; one that fails it is dropped and the next one tried.
pub fn pool(url: &str, size: usize) -> Result<Pool> {
    use diesel_async::pooled_connection::{PoolError, RecyclingMethod};
    let mut config = diesel_async::pooled_connection::ManagerConfig::<AsyncPgConnection>::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| {
        Box::pin(async move {
            use diesel_async::AsyncConnection;
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.set_instrumentation(CountQueries);
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    let check_if_idle = deadpool::Hook::async_fn(|conn: &mut AsyncPgConnection, metrics| {
        Box::pin(async move {
            if metrics.last_used() < IDLE_CHECK_AFTER {
                return Ok(());
            }
            use diesel_async::RunQueryDsl;
            diesel::sql_query("SELECT 1")
                .execute(conn)
                .await
                .map(|_| ())
                .map_err(|e| deadpool::HookError::Backend(PoolError::QueryError(e)))
        })
    });
    deadpool::Pool::builder(manager)
        .max_size(size.max(1))
        .pre_recycle(check_if_idle)
        .build()
        .map_err(|e| Error::Pool(e.to_string()))
}

/// SQL statements run through pooled connections since the process started (a metric, and what
/// the N+1 test counts).
static QUERIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The number of SQL statements run through pooled connections so far.
pub fn queries_run() -> u64 {
    QUERIES.load(std::sync::atomic::Ordering::Relaxed)
}

struct CountQueries;

impl diesel::connection::Instrumentation for CountQueries {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            QUERIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Applies the pending migrations; returns the names of those it applied.
pub async fn run_migrations(url: &str) -> Result<Vec<String>> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| Error::Migration(format!("connecting: {e}")))?;
        let applied = conn.run_pending_migrations(MIGRATIONS).map_err(|e| Error::Migration(e.to_string()))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await
    .map_err(|e| Error::Migration(format!("migration task failed: {e}")))?
}

/// Applies migrations and loads the reference data: what every process does before work.
pub async fn prepare(url: &str, pool: &Pool) -> Result<()> {
    let applied = run_migrations(url).await?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    let mut conn = pool.get().await?;
    crate::reference::load(&mut conn).await?;
    Ok(())
}
