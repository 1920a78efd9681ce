//! `govgraph-api`: the GraphQL graph (async-graphql) served by actix-web. It reads the database
//! through `govgraph-shared` and never depends on the worker.
//!
//! - [`schema`]: the root query and the schema with its limits; [`types`]: one module per GraphQL
//!   type; [`filters`]: the `filter:` input of each list; [`loaders`]: DataLoaders, one per lookup
//!   key (no N+1 queries); [`pagination`]: Relay
//!   connections and cursors; [`error`]: errors with a message and `extensions.code`.
//! - [`server`]: the HTTP routes (`/graphql` POST and cacheable GET, GraphiQL, `/schema.graphql`),
//!   rate limit, CORS, compression; [`graphiql`]: GraphiQL's page and its embedded assets;
//!   [`reconcile`]: the OpenRefine reconciliation service at `/reconcile`; [`limits`]: the limits checked before any database work, each
//!   with its `extensions.code`; [`ops`]: `/healthz`, `/readyz`, `/metrics`; [`feeds`]: Atom;
//!   `markup`: the one escape of text for XML and HTML; [`reference_cache`]: the states in
//!   process, reloaded on NOTIFY.

pub mod error;
pub mod explorer;
pub mod export;
pub mod feeds;
pub mod filters;
pub mod graphiql;
pub mod limits;
pub mod live;
pub mod loaders;
mod markup;
pub mod mutations;
pub mod ops;
pub mod pagination;
pub mod rate_limit;
pub mod reconcile;
pub mod reference_cache;
pub mod roots;
pub mod schema;
pub mod search;
pub mod server;
pub mod subscriptions;
pub mod types;

pub use actix_web::dev::{Server as ApiServer, ServerHandle as ApiServerHandle};
pub use schema::{GovgraphSchema, build_schema};
pub use server::serve;
