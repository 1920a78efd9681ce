//! One listed item: fetch its page (conditionally), archive the raw response, extract, tag and
//! store it. [`build`] is the part shared with `govgraph reparse`.

use std::io::Write;

use govgraph_shared::analysis::Analysis;
use govgraph_shared::db::Pool;
use govgraph_shared::models::{Document, FailedItem, NewDocument, RawResponse, Source, StoredOutcome, tags};
use sha2::{Digest, Sha256};

use crate::WorkerError;
use crate::canonical::canonicalize;
use crate::error::isolate;
use crate::extract::{self, DateSource, EXTRACTOR};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators};
use crate::sources::ListedItem;
use crate::tagging::{StateTagger, Tagger};

/// What happened to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    New,
    Updated,
    Unchanged,
}

impl From<StoredOutcome> for ItemOutcome {
    fn from(o: StoredOutcome) -> Self {
        match o {
            StoredOutcome::New(_) => ItemOutcome::New,
            StoredOutcome::Updated(_) => ItemOutcome::Updated,
            StoredOutcome::Unchanged(_) | StoredOutcome::Duplicate { .. } => ItemOutcome::Unchanged,
        }
    }
}

/// A document ready to store, with its state tags and what tagging read out of it.
pub struct Built {
    pub doc: NewDocument,
    pub states: Vec<(String, bool, f32, Vec<String>)>,
    pub analysis: Option<Analysis>,
}

/// Stores a built document, its entities, mentions and relations in one transaction: a document
/// never stands without its tags, and its NOTIFY reaches subscribers (who may filter by the nodes
/// it names) when the mentions are there.
pub async fn store(conn: &mut diesel_async::AsyncPgConnection, built: &Built) -> Result<ItemOutcome, WorkerError> {
    use diesel_async::AsyncConnection;
    let outcome = conn
        .transaction::<_, govgraph_shared::Error, _>(async |conn| {
            let outcome = Document::store(conn, &built.doc, &built.states).await?;
            if let (
                Some(analysis),
                StoredOutcome::New(id) | StoredOutcome::Updated(id) | StoredOutcome::Unchanged(id),
            ) = (&built.analysis, outcome)
            {
                tags::store(conn, id, analysis).await?;
            }
            Ok(outcome)
        })
        .await?;
    Ok(outcome.into())
}

pub(super) async fn harvest_item(
    pool: &Pool,
    fetcher: &Fetcher,
    tagger: &StateTagger,
    full: Option<&Tagger>,
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
    let raw_sha = archive(pool, &fetched).await?;
    let (etag, last_modified) = (fetched.etag.clone(), fetched.last_modified.clone());
    let mut built = match build(tagger, full, source, item, canonical.clone(), fetched, Some(raw_sha.clone())).await {
        Ok(built) => built,
        Err(e) => {
            // the page is archived: keep the failure with it, so that a reparse after a fix
            // reads it without fetching again
            let failed = FailedItem {
                source_id: source.id,
                canonical_url: canonical,
                url: item.url.clone(),
                raw_sha256: raw_sha,
                title: item.title.clone(),
                published_at: item.published,
                error: e.to_string(),
            };
            let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
            FailedItem::record(&mut conn, &failed).await?;
            return Err(e);
        }
    };
    built.doc.etag = etag;
    built.doc.last_modified = last_modified;
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let outcome = store(&mut conn, &built).await?;
    FailedItem::resolved(&mut conn, source.id, &canonical).await?;
    Ok(outcome)
}

/// Stores the raw body, gzip-compressed, under the SHA-256 of its bytes.
async fn archive(pool: &Pool, fetched: &Fetched) -> Result<String, WorkerError> {
    let sha = format!("{:x}", Sha256::digest(&fetched.body));
    let body = fetched.body.clone();
    let compressed = tokio::task::spawn_blocking(move || {
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::fast());
        gz.write_all(&body).and_then(|_| gz.finish())
    })
    .await
    .map_err(|e| WorkerError::Archive(e.to_string()))?
    .map_err(|e| WorkerError::Archive(e.to_string()))?;
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    RawResponse::store(&mut conn, &sha, &fetched.url, fetched.content_type.as_deref(), "gzip", &compressed).await?;
    Ok(sha)
}

/// Decompresses an archived body.
pub fn unarchive(raw: &RawResponse) -> Result<Vec<u8>, WorkerError> {
    match raw.encoding.as_str() {
        "gzip" => {
            let mut out = Vec::new();
            std::io::copy(&mut flate2::read::GzDecoder::new(raw.body.as_slice()), &mut out)
                .map_err(|e| WorkerError::Archive(format!("{}: {e}", raw.sha256)))?;
            Ok(out)
        }
        _ => Ok(raw.body.clone()),
    }
}

/// Extracts and tags a fetched page into a document (the same steps for harvest and reparse).
pub async fn build(
    tagger: &StateTagger,
    full: Option<&Tagger>,
    source: &Source,
    item: &ListedItem,
    canonical: String,
    fetched: Fetched,
    raw_sha256: Option<String>,
) -> Result<Built, WorkerError> {
    let page_url = fetched.url.clone();
    let label = item.url.clone();
    let extracted = tokio::task::spawn_blocking(move || {
        isolate(&label, || extract::extract_html(&fetched.text(), Some(&page_url)))
    })
    .await
    .map_err(|e| WorkerError::Analysis { item: item.url.clone(), message: e.to_string() })??;
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
    let published = published_at.map(|d| d.with_timezone(&chrono_tz::Europe::Berlin).date_naive());
    let (tags, analysis) = isolate(&item.url, || match full {
        Some(t) => {
            let tagged =
                t.tag(&title, &extracted.text, extracted.place.as_deref(), source.state_code.as_deref(), published);
            (tagged.states, Some(tagged.analysis))
        }
        None => (tagger.tag(&title, &extracted.text, extracted.place.as_deref(), source.state_code.as_deref()), None),
    })?;
    let primary_state = tags.iter().find(|t| t.primary).map(|t| t.code.clone());
    let content_hash = {
        let mut h = Sha256::new();
        h.update(title.as_bytes());
        h.update(b"\n");
        h.update(extracted.text.as_bytes());
        format!("{:x}", h.finalize())
    };
    let simhash = crate::simhash::simhash(&extracted.text);
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
        simhash,
        content_hash,
        etag: None,
        last_modified: None,
        raw_sha256,
        extractor: EXTRACTOR.to_owned(),
        primary_state,
    };
    let states = tags.into_iter().map(|t| (t.code, t.primary, t.score, t.signals)).collect();
    Ok(Built { doc, states, analysis })
}

fn same_host(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.host_str() == b.host_str(),
        _ => false,
    }
}
