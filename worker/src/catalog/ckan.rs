//! CKAN catalogues (GovData, the states' open-data portals): the publishers of the action API
//! (`organization_list` with `all_fields`, paged) with their dataset counts from
//! `package_search` (paged). The source's URL is the CKAN root (`.../api/3/action` is appended).

use std::collections::HashMap;

use govgraph_shared::models::catalog::Publisher;
use serde_json::Value;

use crate::WorkerError;
use crate::fetch::Fetcher;

/// Pages of this size are asked for (`limit`, `rows`) unless the source sets `page_size`.
pub const PAGE: usize = 100;
/// Never more pages than this, whatever the API says.
const MAX_PAGES: usize = 2_000;

async fn action(fetcher: &Fetcher, root: &str, call: &str) -> Result<Value, WorkerError> {
    let url = format!("{}/api/3/action/{call}", root.trim_end_matches('/'));
    let fetched = fetcher.get(&url, None).await?;
    let body: Value = serde_json::from_slice(&fetched.body)
        .map_err(|e| WorkerError::Catalogue(format!("{url} is not a CKAN action API answer: {e}")))?;
    if body.get("success").and_then(Value::as_bool) != Some(true) {
        return Err(WorkerError::Catalogue(format!(
            "{url}: the CKAN API answered without success: {}",
            body.get("error").unwrap_or(&Value::Null)
        )));
    }
    Ok(body["result"].clone())
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The publishers of the CKAN at `root`, each with its number of datasets.
pub async fn publishers(
    fetcher: &Fetcher,
    root: &str,
    state: Option<&str>,
    page: usize,
) -> Result<Vec<Publisher>, WorkerError> {
    let size = page.max(1);
    let mut orgs: Vec<Value> = Vec::new();
    for page in 0..MAX_PAGES {
        let result =
            action(fetcher, root, &format!("organization_list?all_fields=true&limit={size}&offset={}", page * size))
                .await?;
        let batch = result.as_array().cloned().unwrap_or_default();
        let n = batch.len();
        orgs.extend(batch);
        if n < size {
            break;
        }
    }
    let mut counted: HashMap<String, i64> = HashMap::new();
    for page in 0..MAX_PAGES {
        let result = action(fetcher, root, &format!("package_search?rows={size}&start={}", page * size)).await?;
        let results = result["results"].as_array().cloned().unwrap_or_default();
        for dataset in &results {
            if let Some(org) = dataset["organization"].get("name").and_then(Value::as_str) {
                *counted.entry(org.to_owned()).or_default() += 1;
            }
        }
        let total = result["count"].as_u64().unwrap_or(0) as usize;
        if results.len() < size || (page + 1) * size >= total {
            break;
        }
    }
    Ok(orgs
        .iter()
        .filter_map(|o| {
            let key = text(o, "name")?;
            let homepage = o["extras"].as_array().and_then(|extras| {
                extras.iter().find_map(|e| {
                    let k = e.get("key").and_then(Value::as_str)?;
                    matches!(k, "url" | "homepage" | "website").then(|| text(e, "value")).flatten()
                })
            });
            Some(Publisher {
                title: text(o, "title").or_else(|| text(o, "display_name")).unwrap_or_else(|| key.clone()),
                datasets: counted.get(&key).copied().unwrap_or_else(|| o["package_count"].as_i64().unwrap_or(0)),
                state_code: state.map(str::to_owned),
                description: text(o, "description"),
                homepage,
                key,
            })
        })
        .collect())
}
