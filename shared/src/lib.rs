//! `govgraph-shared`: what the API and the worker share, and nothing of either.
//!
//! - [`schema`] and [`models`]: the diesel schema of `migrations/` and the query functions on it
//!   (`Model::find_by_x(conn, ..)`); no other crate writes SQL against these tables by hand.
//! - [`config`]: typed settings, loaded once by the binary and passed down; [`sources_config`]:
//!   the `config/sources.toml` file.
//! - [`db`]: finding or starting PostgreSQL, the pool, migrations, and per-test databases.
//! - [`ids`]: typed row ids, one newtype per table.
//! - [`vocab`]: the closed vocabularies (actor kinds, statuses, predicates, state codes, ...), one
//!   enum each, mapped to SQL, serde and (feature `graphql`) GraphQL.
//! - [`reference`]: the reference data shipped in `shared/data/` (the states, ...).
//!
//! # Error policy
//! Library code returns [`Error`] (thiserror); only the binary uses `anyhow`. An error says what
//! failed in words a user of the command line or the API understands, and carries its cause.
//! Nothing here panics on bad input: bad configuration, an unreachable database, a failed
//! migration are all errors the caller shows. Database errors inside a harvest are per document:
//! the worker records them in the harvest run and goes on.

pub mod analysis;
pub mod config;
pub mod db;
pub mod error;
pub mod ids;
pub mod models;
pub mod reference;
pub mod schema;
pub mod sources_config;
pub mod text;
pub mod vocab;

pub use error::{Error, Result};
