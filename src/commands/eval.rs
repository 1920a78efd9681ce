//! `govgraph eval`: the tagging pipeline measured against a gold file.

use std::path::Path;

use anyhow::{Context, bail};

pub fn eval(gold: &Path, docs: &Path, verbose: bool, floors: Option<&[f64]>) -> anyhow::Result<()> {
    let tagger = govgraph_worker::tagging::analysis::embedded().context("building the tagger")?;
    let (report, analyses) = govgraph_worker::eval::run(&tagger, gold, docs).map_err(anyhow::Error::msg)?;
    if verbose {
        for (file, a) in &analyses {
            println!("{}", serde_json::json!({ "file": file, "entities": a.entities, "relations": a.relations }));
        }
    }
    print!("{}", report.table());
    if let Some(f) = floors {
        let (core_recall, precision, rel_recall) = (
            report.get("entities (core)").recall(),
            report.get("entities").precision(),
            report.get("relations (core)").recall(),
        );
        let want = |i: usize| f.get(i).copied().unwrap_or(0.0);
        if core_recall < want(0) || precision < want(1) || rel_recall < want(2) {
            bail!(
                "below the floors: core entity recall {core_recall:.3} (>= {}), entity precision {precision:.3} (>= {}), \
                 core relation recall {rel_recall:.3} (>= {})",
                want(0),
                want(1),
                want(2)
            );
        }
    }
    Ok(())
}
