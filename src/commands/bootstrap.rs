//! `govgraph bootstrap`: the reference data and the offline snapshot (the register of
//! municipalities); idempotent.

use govgraph_shared::config::Settings;
use govgraph_shared::db::Pool;

use super::open_database;

pub async fn bootstrap(settings: Settings) -> anyhow::Result<()> {
    let (_database, pool) = open_database(&settings).await?;
    load(&pool).await
}

/// Loads the snapshot and prints what it changed.
pub async fn load(pool: &Pool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let report = govgraph_worker::catalog::bootstrap(&mut conn).await?;
    for (what, r) in [("register of municipalities", &report.register), ("OZG catalogue", &report.catalogue)] {
        let c = r.counts;
        println!(
            "govgraph: bootstrap — {what}: {} new, {} updated, {} unchanged, {} no longer listed, {} new edges",
            c.new, c.updated, c.unchanged, c.removed, r.new_edges
        );
    }
    println!("govgraph: bootstrap took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
