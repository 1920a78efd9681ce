//! `govgraph serve`: the API alone.

use std::net::TcpListener;

use anyhow::Context;
use govgraph_shared::config::Settings;
use govgraph_shared::db::Pool;

use super::{open_database, shutdown_signal};

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let stopping = shutdown_signal();
    let (database, pool) = open_database(&settings).await?;
    let server = start_api(&settings, pool, &database.url)?;
    let handle = server.handle();
    tokio::select! {
        result = server => result.context("the API server stopped")?,
        _ = stopping => handle.stop(true).await,
    }
    Ok(())
}

/// Binds and starts the API; prints the address it listens on.
pub fn start_api(settings: &Settings, pool: Pool, database_url: &str) -> anyhow::Result<govgraph_api::ApiServer> {
    let listener = TcpListener::bind(settings.bind).with_context(|| format!("binding the API to {}", settings.bind))?;
    let addr = listener.local_addr()?;
    let server = govgraph_api::serve(pool, database_url, listener, settings.api.clone())?;
    println!("govgraph: API listening on http://{addr} (GraphQL: /graphql, health: /healthz)");
    Ok(server)
}
