//! The database: where it is ([`locate`], [`cluster`]), the pool, migrations, test databases.

pub mod cluster;
pub mod locate;
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

/// A pool of `size` connections to `url`.
pub fn pool(url: &str, size: usize) -> Result<Pool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    deadpool::Pool::builder(manager).max_size(size.max(1)).build().map_err(|e| Error::Pool(e.to_string()))
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
