//! `govgraph-worker`: everything that turns a configured source into stored, tagged documents.
//!
//! The flow of one document: [`sources`] lists the items of a source (a feed, ...), [`fetch`]
//! gets each page politely and decodes it, [`extract`] reads title, date, text and metadata out
//! of it, [`tagging`] assigns the states, and [`harvest`] stores it (once per canonical URL, new
//! texts as new versions) and records the run. [`schedule`] runs sources on their cron schedules
//! through the job queue in the database.

pub mod canonical;
pub mod catalog;
pub mod error;
pub mod eval;
pub mod extract;
pub mod fetch;
pub mod harvest;
pub mod reparse;
pub mod schedule;
pub mod simhash;
pub mod sources;
pub mod tagging;

pub use error::WorkerError;
