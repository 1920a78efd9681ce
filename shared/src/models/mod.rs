//! Rows of the database and the query functions on them, one module per table group.

pub mod actor;
pub mod catalog;
pub mod curation;
pub mod document;
pub mod export;
pub mod fetched_url;
pub mod graph;
pub mod harvest_run;
pub mod job;
pub mod mention;
pub mod nodes;
pub mod rate_window;
pub mod raw_response;
pub mod reconcile;
pub mod search;
pub mod source;
pub mod state;
pub mod stats;
pub mod tags;

pub use document::{Document, DocumentFilter, DocumentState, NewDocument, StoredOutcome};
pub use fetched_url::FetchedUrl;
pub use harvest_run::{HarvestRun, RunCounts, RunError, RunStatus};
pub use job::Job;
pub use raw_response::{FailedItem, RawResponse};
pub use source::Source;
pub use state::State;

/// A keyset page request: at most `limit` rows strictly between the rows that the cursors `after`
/// and `before` name, taken from the front of the list, or from its back when `from_end` (Relay's
/// `last`). The rows always come back in list order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Page<C> {
    pub limit: i64,
    pub after: Option<C>,
    pub before: Option<C>,
    pub from_end: bool,
}

impl<C> Page<C> {
    /// The first `limit` rows of the list.
    pub fn first(limit: i64) -> Self {
        Page { limit, after: None, before: None, from_end: false }
    }
}

/// Turns rows fetched in reverse list order (for a page taken from the end) back into list order.
pub(crate) fn in_list_order<T>(mut rows: Vec<T>, from_end: bool) -> Vec<T> {
    if from_end {
        rows.reverse();
    }
    rows
}
