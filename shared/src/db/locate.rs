//! Finding PostgreSQL the same way for `govgraph up`, every other command and the test harness:
//! `DATABASE_URL` when set; else a server on this machine (127.0.0.1:5432 or the default socket),
//! where the `govgraph` database is created if missing; else a private cluster under the data
//! directory, started with the server binaries installed here (see [`super::cluster`]).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::cluster::PrivateCluster;
use crate::config::DatabaseSetting;
use crate::{Error, Result};

/// The database name govgraph creates on a local server.
pub const DEFAULT_DB_NAME: &str = "govgraph";

/// Which way the database was found; printed at start and described in the README.
#[derive(Debug, Clone)]
pub enum Provenance {
    /// From `DATABASE_URL`.
    EnvironmentUrl,
    /// A server already running on this machine.
    LocalServer { address: String },
    /// A private cluster govgraph started (or found running) under its data directory.
    PrivateCluster { data_dir: String, started_here: bool },
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provenance::EnvironmentUrl => write!(f, "DATABASE_URL"),
            Provenance::LocalServer { address } => {
                write!(f, "the local PostgreSQL server at {address}")
            }
            Provenance::PrivateCluster { data_dir, started_here: true } => {
                write!(f, "a private PostgreSQL cluster started in {data_dir} (stopped on exit)")
            }
            Provenance::PrivateCluster { data_dir, started_here: false } => {
                write!(f, "the private PostgreSQL cluster already running in {data_dir}")
            }
        }
    }
}

/// A server address: a host (name, IP or socket directory), a port and a user.
#[derive(Debug, Clone)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub user: String,
}

impl Server {
    /// The URL of database `db` on this server.
    pub fn url(&self, db: &str) -> String {
        let host = if self.host.starts_with('/') {
            url::form_urlencoded::byte_serialize(self.host.as_bytes()).collect::<String>()
        } else {
            self.host.clone()
        };
        format!("postgres://{}@{}:{}/{}", self.user, host, self.port, db)
    }

    fn describe(&self) -> String {
        if self.host.starts_with('/') {
            format!("socket {} as {}", self.host, self.user)
        } else {
            format!("{}:{} as {}", self.host, self.port, self.user)
        }
    }
}

/// The database a process works on. Holds the private cluster (if any) for as long as it lives.
#[derive(Clone)]
pub struct Database {
    pub url: String,
    /// The server's maintenance database, for creating and dropping databases (None with `DATABASE_URL`).
    pub admin_url: String,
    pub provenance: Provenance,
    pub cluster: Option<Arc<PrivateCluster>>,
}

impl Database {
    /// Finds (or starts) PostgreSQL and makes sure database `db_name` exists.
    pub async fn resolve(setting: &DatabaseSetting, data_dir: &Path, db_name: &str) -> Result<Database> {
        match setting {
            DatabaseSetting::Url(url) => Ok(Database {
                url: url.clone(),
                admin_url: replace_db_name(url, "postgres"),
                provenance: Provenance::EnvironmentUrl,
                cluster: None,
            }),
            DatabaseSetting::Auto => match find_local_server().await {
                Some(server) => {
                    ensure_database(&server.url("postgres"), db_name).await?;
                    Ok(Database {
                        url: server.url(db_name),
                        admin_url: server.url("postgres"),
                        provenance: Provenance::LocalServer { address: server.describe() },
                        cluster: None,
                    })
                }
                None => Self::private(data_dir, db_name).await,
            },
            DatabaseSetting::Private => Self::private(data_dir, db_name).await,
        }
    }

    async fn private(data_dir: &Path, db_name: &str) -> Result<Database> {
        let cluster = PrivateCluster::start(data_dir).await?;
        let server = cluster.server();
        ensure_database(&server.url("postgres"), db_name).await?;
        Ok(Database {
            url: server.url(db_name),
            admin_url: server.url("postgres"),
            provenance: Provenance::PrivateCluster {
                data_dir: cluster.data_dir().display().to_string(),
                started_here: cluster.started_here(),
            },
            cluster: Some(Arc::new(cluster)),
        })
    }
}

/// Replaces the database name in a `postgres://` URL.
pub fn replace_db_name(url: &str, db: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_path(&format!("/{db}"));
            u.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

/// Connects with a short timeout.
pub async fn connect(url: &str) -> Result<AsyncPgConnection> {
    match tokio::time::timeout(Duration::from_secs(5), AsyncPgConnection::establish(url)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(Error::Connect { target: redact(url), reason: e.to_string() }),
        Err(_) => Err(Error::Connect { target: redact(url), reason: "timed out after 5 s".into() }),
    }
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The first server on this machine that accepts a connection without configuration.
async fn find_local_server() -> Option<Server> {
    let me = std::env::var("USER").ok().filter(|u| !u.is_empty() && u != "root");
    let mut users = vec!["postgres".to_owned()];
    if let Some(me) = me {
        users.insert(0, me);
    }
    let mut candidates = Vec::new();
    for user in &users {
        candidates.push(Server { host: "127.0.0.1".into(), port: 5432, user: user.clone() });
    }
    for dir in ["/var/run/postgresql", "/tmp"] {
        if Path::new(dir).join(".s.PGSQL.5432").exists() {
            for user in &users {
                candidates.push(Server { host: dir.into(), port: 5432, user: user.clone() });
            }
        }
    }
    for server in candidates {
        match connect(&server.url("postgres")).await {
            Ok(_) => return Some(server),
            Err(e) => tracing::debug!(server = %server.describe(), error = %e, "no usable server"),
        }
    }
    None
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// Creates database `db` on the server of `admin_url` unless it exists.
pub async fn ensure_database(admin_url: &str, db: &str) -> Result<()> {
    let mut conn = connect(admin_url).await?;
    if database_exists(&mut conn, db).await? {
        return Ok(());
    }
    let create = format!("CREATE DATABASE {}", quote_ident(db));
    match diesel::sql_query(create).execute(&mut conn).await {
        Ok(_) => {
            tracing::info!(database = db, "created database");
            Ok(())
        }
        // another process created it in the meantime
        Err(_) if database_exists(&mut conn, db).await? => Ok(()),
        Err(e) => Err(Error::Connect { target: redact(admin_url), reason: format!("creating database {db}: {e}") }),
    }
}

pub(crate) async fn database_exists(conn: &mut AsyncPgConnection, db: &str) -> Result<bool> {
    let row: Exists = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<Text, _>(db)
        .get_result(conn)
        .await?;
    Ok(row.exists)
}

/// Quotes an SQL identifier.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}
