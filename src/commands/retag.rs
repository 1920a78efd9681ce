//! `govgraph retag`: the stored documents tagged again with the current data.

use govgraph_shared::config::Settings;

pub async fn retag(settings: Settings, source: Option<String>) -> anyhow::Result<()> {
    let (_database, pool) = super::open_database(&settings).await?;
    let report = govgraph_worker::tagging::store::retag(&pool, source.as_deref()).await?;
    println!(
        "govgraph: retagged {} documents: {} mentions, {} relations, {} new candidates",
        report.documents, report.mentions, report.relations, report.new_entities
    );
    for e in &report.errors {
        eprintln!("govgraph: retag failed for {}: {}", e.url, e.message);
    }
    if report.failed > 0 {
        anyhow::bail!("{} documents could not be tagged; they keep their earlier tags", report.failed);
    }
    Ok(())
}
