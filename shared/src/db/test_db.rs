//! Per-test databases: each test gets its own empty, migrated database, cloned from a template
//! database that is migrated once per schema version (its name carries a hash of `migrations/` and
//! the reference data). Tests therefore run in parallel, in threads or processes, and never see each
//! other's rows. PostgreSQL is found as [`super::Database::resolve`] finds it; `DATABASE_URL`, when
//! set, names the server (its database name is ignored).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;

use super::locate::{self, Database, connect, database_exists, quote_ident, replace_db_name};
use crate::config::{DatabaseSetting, Settings};
use crate::{Error, Result};

const SCHEMA_HASH: &str = env!("GOVGRAPH_SCHEMA_HASH");

/// A database that exists for one test and is dropped with it.
pub struct TestDatabase {
    pub url: String,
    name: String,
    admin_url: String,
    _server: Database,
}

impl TestDatabase {
    /// Creates a fresh database from the migrated template.
    pub async fn new() -> Result<TestDatabase> {
        let settings = Settings::from_env()?;
        // the test harness shares one private cluster per checkout (left running for other tests)
        let data_dir = match &settings.database {
            DatabaseSetting::Url(_) => settings.data_dir.clone(),
            _ => workspace_dir().join(".govgraph"),
        };
        let server = Database::resolve(&settings.database, &data_dir, "postgres").await?;
        let admin_url = server.admin_url.clone();
        let template = format!("govgraph_template_{SCHEMA_HASH}");
        ensure_template(&admin_url, &template).await?;

        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "govgraph_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_micros() % 1_000_000
        );
        let mut conn = connect(&admin_url).await?;
        diesel::sql_query(format!("CREATE DATABASE {} TEMPLATE {}", quote_ident(&name), quote_ident(&template)))
            .execute(&mut conn)
            .await
            .map_err(|e| Error::Connect {
                target: locate::redact(&admin_url),
                reason: format!("creating {name}: {e}"),
            })?;
        Ok(TestDatabase { url: replace_db_name(&admin_url, &name), name, admin_url, _server: server })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let drop_sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&self.name));
        // Drop runs outside any runtime guarantee: use a thread with its own small runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            rt.block_on(async {
                let mut conn = connect(&admin_url).await.ok()?;
                diesel::sql_query(drop_sql).execute(&mut conn).await.ok()
            })
        })
        .join();
    }
}

fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// Creates and migrates the template once, under an advisory lock shared by all test processes.
async fn ensure_template(admin_url: &str, template: &str) -> Result<()> {
    let mut conn = connect(admin_url).await?;
    if database_exists(&mut conn, template).await? {
        return Ok(());
    }
    const LOCK_KEY: i64 = 0x676f_7667_7261_7068; // "govgraph"
    diesel::sql_query("SELECT pg_advisory_lock($1)").bind::<BigInt, _>(LOCK_KEY).execute(&mut conn).await?;
    let result = build_template(&mut conn, admin_url, template).await;
    diesel::sql_query("SELECT pg_advisory_unlock($1)").bind::<BigInt, _>(LOCK_KEY).execute(&mut conn).await?;
    result
}

async fn build_template(conn: &mut diesel_async::AsyncPgConnection, admin_url: &str, template: &str) -> Result<()> {
    if database_exists(conn, template).await? {
        return Ok(());
    }
    let building = format!("{template}_building");
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(&building))).execute(conn).await?;
    diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&building))).execute(conn).await?;
    let url = replace_db_name(admin_url, &building);
    super::run_migrations(&url).await?;
    {
        let mut db = connect(&url).await?;
        crate::reference::load(&mut db).await?;
    }
    // the migration connection may take a moment to go away
    let rename = format!("ALTER DATABASE {} RENAME TO {}", quote_ident(&building), quote_ident(template));
    let mut attempt = 0;
    while let Err(e) = diesel::sql_query(&rename).execute(conn).await {
        attempt += 1;
        if attempt > 50 {
            return Err(e.into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    diesel::sql_query(format!("ALTER DATABASE {} IS_TEMPLATE true", quote_ident(template))).execute(conn).await?;
    Ok(())
}
