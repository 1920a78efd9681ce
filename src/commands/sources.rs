//! `govgraph sources`: the sources with their last run, status and next run.

use std::collections::HashMap;
use std::path::PathBuf;

use govgraph_shared::config::Settings;
use govgraph_shared::models::{HarvestRun, Source};
use govgraph_worker::schedule;

use super::{load_sources, open_database};

pub async fn sources(settings: Settings, file: Option<PathBuf>) -> anyhow::Result<()> {
    let config = load_sources(&settings, file)?;
    let (_database, pool) = open_database(&settings).await?;
    schedule::sync_sources(&pool, &config).await?;
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let sources = Source::all(&mut conn).await?;
    let runs: HashMap<i64, HarvestRun> =
        HarvestRun::latest_per_source(&mut conn).await?.into_iter().map(|r| (r.source_id, r)).collect();
    let rows: Vec<[String; 6]> = sources
        .iter()
        .map(|s| {
            let run = runs.get(&s.id);
            let next = match (&s.schedule, s.enabled) {
                (_, false) => "disabled".to_owned(),
                (None, true) => "on demand".to_owned(),
                (Some(cron), true) => match schedule::next_run(cron) {
                    Some(t) if s.backing_off() => format!("{} (backing off)", t.format("%Y-%m-%d %H:%M")),
                    Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                    None => format!("invalid schedule `{cron}`"),
                },
            };
            [
                s.name.clone(),
                s.kind.to_string(),
                s.state_code.clone().unwrap_or_default(),
                run.map_or_else(|| "never".to_owned(), |r| r.started_at.format("%Y-%m-%d %H:%M").to_string()),
                run.map_or_else(String::new, |r| {
                    format!("{} ({} new, {} failed)", r.status, r.items_new, r.items_failed)
                }),
                next,
            ]
        })
        .collect();
    let header = ["SOURCE", "KIND", "STATE", "LAST RUN (UTC)", "STATUS", "NEXT RUN (Europe/Berlin)"];
    let widths: Vec<usize> =
        (0..6).map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)).collect();
    let line = |cells: &[String]| {
        cells.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect::<Vec<_>>().join("  ")
    };
    println!("{}", line(&header.map(String::from)));
    for r in &rows {
        println!("{}", line(r));
    }
    Ok(())
}
