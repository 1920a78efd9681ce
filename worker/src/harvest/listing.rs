//! Listing the items of a source, by kind. Feeds are fetched conditionally: a 304 lists nothing
//! and costs nothing more.

use govgraph_shared::models::{Document, FetchedUrl, Source};
use govgraph_shared::sources_config::{SourceConfig, SourceKind};

use super::Harvester;
use crate::WorkerError;
use crate::fetch::{Fetcher, Validators};
use crate::sources::{self, ListedItem};

/// What a source lists.
pub(super) struct Listed {
    pub items: Vec<ListedItem>,
    /// Why a listing that should have items has none (selectors that match nothing, ...).
    pub warning: Option<String>,
    /// The source answered 304: nothing changed since the last run.
    pub not_modified: bool,
}

impl Listed {
    fn items(items: Vec<ListedItem>) -> Listed {
        Listed { items, warning: None, not_modified: false }
    }
}

impl Harvester {
    pub(super) async fn list(
        &self,
        cfg: &SourceConfig,
        source: &Source,
        fetcher: &Fetcher,
    ) -> Result<Listed, WorkerError> {
        match cfg.kind {
            SourceKind::Rss => {
                let validators = {
                    let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
                    FetchedUrl::find(&mut conn, &cfg.url).await?
                }
                .map(|f| Validators { etag: f.etag, last_modified: f.last_modified });
                let (items, fetched) = sources::rss::list(fetcher, &cfg.url, validators.as_ref()).await?;
                let Some(items) = items else {
                    return Ok(Listed { items: Vec::new(), warning: None, not_modified: true });
                };
                let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
                FetchedUrl::record(
                    &mut conn,
                    &cfg.url,
                    fetched.etag.as_deref(),
                    fetched.last_modified.as_deref(),
                    fetched.status as i32,
                )
                .await?;
                Ok(Listed::items(items))
            }
            SourceKind::Page => Ok(Listed::items(vec![ListedItem {
                url: cfg.url.clone(),
                title: None,
                published: None,
                updated: None,
                summary: None,
            }])),
            SourceKind::Html => {
                let settings = sources::html::HtmlSettings::from_json(&cfg.name, &cfg.settings_json())?;
                let known_until = {
                    let mut conn = self.pool.get().await.map_err(govgraph_shared::Error::from)?;
                    Document::newest_published(&mut conn, source.id).await?
                };
                let listing = sources::html::list(fetcher, &cfg.url, &settings, known_until).await?;
                Ok(Listed { items: listing.items, warning: listing.structure_changed, not_modified: false })
            }
            SourceKind::Sitemap => {
                let settings = cfg.settings_json();
                let pattern = match settings.get("url_pattern").and_then(|p| p.as_str()) {
                    Some(p) => Some(regex::Regex::new(p).map_err(|e| WorkerError::Config {
                        source_name: cfg.name.clone(),
                        reason: format!("url_pattern `{p}` is not a regular expression: {e}"),
                    })?),
                    None => None,
                };
                let max_items = settings.get("max_items").and_then(|m| m.as_u64()).map(|m| m as usize);
                Ok(Listed::items(sources::sitemap::list(fetcher, &cfg.url, pattern.as_ref(), max_items).await?))
            }
            other => {
                Err(WorkerError::UnsupportedKind { kind: other.as_str().to_owned(), source_name: cfg.name.clone() })
            }
        }
    }
}
