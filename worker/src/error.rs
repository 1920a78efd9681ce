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
    /// Extraction or tagging failed on one item (a panic caught at the item's boundary): the
    /// item fails, the run goes on.
    #[error("analysing {item} failed: {message}")]
    Analysis { item: String, message: String },
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

/// Runs the analysis of one item (extraction, tagging) so that a panic in it fails that item
/// only: the panic becomes [`WorkerError::Analysis`] naming the item and the panic's message.
pub fn isolate<T>(item: &str, analyse: impl FnOnce() -> T) -> Result<T, WorkerError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(analyse))
        .map_err(|payload| WorkerError::Analysis { item: item.to_owned(), message: panic_message(payload.as_ref()) })
}

/// The message of a panic payload (`panic!` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panicked".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_items_error() {
        let err = isolate("https://example.org/a", || -> u8 { panic!("boom at {}", 3) }).unwrap_err();
        assert_eq!(err.to_string(), "analysing https://example.org/a failed: boom at 3");
        assert_eq!(isolate("x", || 7).unwrap(), 7);
    }
}
