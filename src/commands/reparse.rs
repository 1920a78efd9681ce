//! `govgraph reparse [--source NAME]`: extraction and tagging again over the archived responses.

use anyhow::bail;
use govgraph_shared::config::Settings;
use govgraph_shared::models::Source;
use govgraph_worker::reparse;
use govgraph_worker::tagging::StateTagger;

use super::open_database;

pub async fn reparse(settings: Settings, source: Option<String>) -> anyhow::Result<()> {
    let (_database, pool) = open_database(&settings).await?;
    let source = match source {
        None => None,
        Some(name) => {
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            match Source::find_by_name(&mut conn, &name).await? {
                Some(s) => Some(s),
                None => bail!("unknown source `{name}` (sources are known once they have been harvested or synced)"),
            }
        }
    };
    let tagger = StateTagger::new(&govgraph_shared::reference::states()?);
    let analysis = govgraph_worker::tagging::store::load(&pool).await?;
    let report = reparse::reparse(&pool, &tagger, Some(&analysis), source.as_ref()).await?;
    let c = &report.counts;
    println!(
        "govgraph: reparse — seen {}, updated {}, unchanged {}, failed {}",
        c.seen, c.updated, c.unchanged, c.failed
    );
    for e in &report.errors {
        println!("  error: {}: {}", e.url, e.message);
    }
    if c.failed > 0 {
        bail!("{} of {} items could not be reparsed", c.failed, c.seen);
    }
    Ok(())
}
