//! Errors of the worker (see the error policy in `govgraph-shared`).

use crate::fetch::FetchError;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Shared(#[from] govgraph_shared::Error),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("the feed at {url} could not be parsed: {reason}")]
    Feed { url: String, reason: String },
    #[error("no article text found at {url}")]
    NoArticle { url: String },
    #[error("source kind `{kind}` is not harvested yet (source `{source_name}`)")]
    UnsupportedKind { kind: String, source_name: String },
    #[error("source `{source_name}` is misconfigured: {reason}")]
    Config { source_name: String, reason: String },
    #[error("{0}")]
    Catalogue(String),
    #[error("the raw-response archive: {0}")]
    Archive(String),
    #[error("unknown source `{0}`")]
    UnknownSource(String),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("scheduler: {0}")]
    Scheduler(String),
}
