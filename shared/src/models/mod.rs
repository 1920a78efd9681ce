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
pub mod raw_response;
pub mod search;
pub mod source;
pub mod state;
pub mod stats;
pub mod tags;

pub use document::{Document, DocumentFilter, DocumentState, NewDocument, StoredOutcome};
pub use fetched_url::FetchedUrl;
pub use harvest_run::{HarvestRun, RunCounts, RunError, RunStatus};
pub use job::Job;
pub use raw_response::RawResponse;
pub use source::Source;
pub use state::State;

/// A keyset page request: at most `first` rows after the row the cursor names.
#[derive(Debug, Clone, Copy)]
pub struct Page<C> {
    pub first: i64,
    pub after: Option<C>,
}
