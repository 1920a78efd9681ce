//! The error type at the boundary of this crate (see the error policy in the crate docs).

/// Errors of the shared layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("could not connect to PostgreSQL at {target}: {reason}")]
    Connect { target: String, reason: String },
    #[error("could not get a database connection from the pool: {0}")]
    Pool(String),
    #[error("database migrations failed: {0}")]
    Migration(String),
    #[error("no PostgreSQL found: {0}")]
    NoPostgres(String),
    #[error("could not start a private PostgreSQL cluster: {0}")]
    PrivateCluster(String),
    #[error("configuration error: {0}")]
    Config(String),
    #[error("invalid reference data in {file}: {reason}")]
    Reference { file: &'static str, reason: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Error {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Error::Pool(e.to_string())
    }
}
