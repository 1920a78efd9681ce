//! One listed item: fetch its page (conditionally), extract, tag and store it.

use govgraph_shared::db::Pool;
use govgraph_shared::models::{Document, NewDocument, Source, StoredOutcome};
use sha2::{Digest, Sha256};

use crate::WorkerError;
use crate::canonical::canonicalize;
use crate::extract::{self, DateSource, EXTRACTOR};
use crate::fetch::{FetchError, Fetcher, Validators};
use crate::sources::ListedItem;
use crate::tagging::StateTagger;

/// What happened to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    New,
    Updated,
    Unchanged,
}

pub(super) async fn harvest_item(
    pool: &Pool,
    fetcher: &Fetcher,
    tagger: &StateTagger,
    source: &Source,
    item: &ListedItem,
) -> Result<ItemOutcome, WorkerError> {
    let canonical = canonicalize(&item.url).ok_or_else(|| FetchError::BadUrl { url: item.url.clone() })?;
    let validators = {
        let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
        Document::validators(&mut conn, &canonical).await?
    };
    let validators = validators.map(|(etag, last_modified)| Validators { etag, last_modified });
    let fetched = fetcher.get(&item.url, validators.as_ref()).await?;
    if fetched.not_modified {
        let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
        if let Some(doc) = Document::find_by_canonical_url(&mut conn, &canonical).await? {
            Document::touch(&mut conn, doc.id).await?;
        }
        return Ok(ItemOutcome::Unchanged);
    }

    let html = fetched.text();
    let page_url = fetched.url.clone();
    let extracted = tokio::task::spawn_blocking(move || extract::extract_html(&html, Some(&page_url)))
        .await
        .map_err(|e| WorkerError::NoArticle { url: format!("{}: extraction crashed: {e}", item.url) })?;
    if extracted.text.chars().count() < 40 {
        return Err(WorkerError::NoArticle { url: item.url.clone() });
    }
    // a rel=canonical on the same host is the page's own word for its URL
    let canonical = extracted
        .canonical_url
        .as_deref()
        .and_then(canonicalize)
        .filter(|c| same_host(c, &canonical))
        .unwrap_or(canonical);

    let title = extracted.title.clone().or_else(|| item.title.clone()).unwrap_or_else(|| canonical.clone());
    let (published_at, published_source) = match (extracted.published_source, extracted.published) {
        (Some(src @ (DateSource::JsonLd | DateSource::Meta | DateSource::Time)), Some(d)) => (Some(d), Some(src)),
        _ if item.published.is_some() => (item.published, Some(DateSource::Feed)),
        (src, Some(d)) => (Some(d), src),
        (_, None) => (item.updated, item.updated.map(|_| DateSource::Feed)),
    };
    let publisher = extracted.publisher.clone().or_else(|| source.publisher.clone());
    let tags = tagger.tag(&title, &extracted.text, extracted.place.as_deref(), source.state_code.as_deref());
    let primary_state = tags.iter().find(|t| t.primary).map(|t| t.code.clone());
    let content_hash = {
        let mut h = Sha256::new();
        h.update(title.as_bytes());
        h.update(b"\n");
        h.update(extracted.text.as_bytes());
        format!("{:x}", h.finalize())
    };
    let doc = NewDocument {
        source_id: Some(source.id),
        url: item.url.clone(),
        canonical_url: canonical,
        title,
        published_at,
        published_source: published_source.map(|s| s.as_str().to_owned()),
        publisher,
        place: extracted.place,
        press_release_number: extracted.press_release_number,
        text: extracted.text,
        attachments: serde_json::to_value(&extracted.attachments).unwrap_or_default(),
        content_hash,
        etag: fetched.etag,
        last_modified: fetched.last_modified,
        extractor: EXTRACTOR.to_owned(),
        primary_state,
    };
    let states: Vec<(String, bool, f32, Vec<String>)> =
        tags.into_iter().map(|t| (t.code, t.primary, t.score, t.signals)).collect();
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    Ok(match Document::store(&mut conn, &doc, &states).await? {
        StoredOutcome::New(_) => ItemOutcome::New,
        StoredOutcome::Updated(_) => ItemOutcome::Updated,
        StoredOutcome::Unchanged(_) | StoredOutcome::Duplicate { .. } => ItemOutcome::Unchanged,
    })
}

fn same_host(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.host_str() == b.host_str(),
        _ => false,
    }
}
