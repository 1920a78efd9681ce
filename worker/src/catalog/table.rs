//! The generic `csv` source: a CSV table of actors or services with a column mapping in the
//! source's configuration, for catalogues that have no kind of their own.
//!
//! ```toml
//! [[source]]
//! name = "nrw-it-dienstleister"
//! kind = "csv"
//! url = "https://example.org/it-dienstleister.csv"
//! target = "actors"                  # actors (default) or services
//! actor_kind = "it_service_provider" # the kind of every actor
//! state = "NW"                       # the state of every row, unless a `state` column says otherwise
//! [source.columns]                   # field = CSV column; `name` and `key` are required
//! name = "name"
//! key = "name"                       # the stable key: the slug is <source name>-<key>
//! homepage = "url"
//! ```

use std::collections::HashSet;

use govgraph_shared::models::RunError;
use govgraph_shared::text::slugify;
use serde::Deserialize;
use serde_json::{Value, json};

/// The kind-specific settings of a `csv` source.
#[derive(Debug, Clone, Deserialize)]
pub struct TableSettings {
    #[serde(default = "actors")]
    pub target: String,
    #[serde(default)]
    pub actor_kind: Option<String>,
    #[serde(default)]
    pub delimiter: Option<String>,
    pub columns: std::collections::BTreeMap<String, String>,
}

fn actors() -> String {
    "actors".into()
}

/// The rows of a table as JSON objects for `load_by_slug`, and the rows skipped.
pub fn rows(
    text: &str,
    source_name: &str,
    state: Option<&str>,
    settings: &TableSettings,
) -> Result<(Vec<Value>, Vec<RunError>), String> {
    let delimiter = settings.delimiter.as_deref().and_then(|d| d.bytes().next()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("no CSV header: {e}"))?.clone();
    for field in ["name", "key"] {
        let column = settings.columns.get(field).ok_or_else(|| format!("[source.columns] needs `{field}`"))?;
        if !headers.iter().any(|h| h.trim() == column) {
            return Err(format!(
                "the column `{column}` is missing (columns: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let index = |field: &str| settings.columns.get(field).and_then(|c| headers.iter().position(|h| h.trim() == c));
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                bad.push(RunError { url: format!("line {line}"), message: e.to_string() });
                continue;
            }
        };
        let get = |field: &str| index(field).and_then(|i| record.get(i)).map(str::trim).filter(|v| !v.is_empty());
        let (Some(name), Some(key)) = (get("name"), get("key")) else {
            bad.push(RunError { url: format!("line {line}"), message: "no name or key".into() });
            continue;
        };
        let slug = format!("{}-{}", slugify(source_name), slugify(key));
        if !seen.insert(slug.clone()) {
            bad.push(RunError { url: format!("line {line}"), message: format!("the key `{key}` is used twice") });
            continue;
        }
        let extra: serde_json::Map<String, Value> = settings
            .columns
            .keys()
            .filter(|f| {
                !["name", "key", "state", "homepage", "ags", "ozg_id", "leika_key", "themenfeld"].contains(&f.as_str())
            })
            .filter_map(|f| Some((f.clone(), json!(get(f)?))))
            .collect();
        let row = if settings.target == "services" {
            json!({
                "kind": "other", "name": name, "slug": slug, "ozg_id": get("ozg_id"), "leika_key": get("leika_key"),
                "themenfeld": get("themenfeld"), "attributes": { "key": key, "fields": extra },
            })
        } else {
            json!({
                "kind": settings.actor_kind.as_deref().unwrap_or("other"), "name": name, "slug": slug,
                "state_code": get("state").or(state), "ags": get("ags"), "homepage": get("homepage"),
                "attributes": { "key": key, "fields": extra },
            })
        };
        out.push(row);
    }
    Ok((out, bad))
}
