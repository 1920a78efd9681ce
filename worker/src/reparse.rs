//! `govgraph reparse`: runs the current extraction and tagging over the archived raw responses,
//! without fetching. A document whose text or title comes out different becomes a new version.

use govgraph_shared::db::Pool;
use govgraph_shared::models::{Document, FailedItem, RawResponse, RunCounts, RunError, Source};

use crate::WorkerError;
use crate::fetch::Fetched;
use crate::harvest::{ItemOutcome, page};
use crate::sources::ListedItem;
use crate::tagging::StateTagger;
use crate::tagging::Tagger;

/// What a reparse did.
#[derive(Debug, Default)]
pub struct ReparseReport {
    pub counts: RunCounts,
    pub errors: Vec<RunError>,
}

/// Re-extracts the documents of `source` (or all) from the archive.
pub async fn reparse(
    pool: &Pool,
    tagger: &StateTagger,
    analysis: Option<&Tagger>,
    source: Option<&Source>,
) -> Result<ReparseReport, WorkerError> {
    let docs = {
        let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
        Document::with_raw(&mut conn, source.map(|s| s.id)).await?
    };
    let mut sources: std::collections::HashMap<i64, Source> = std::collections::HashMap::new();
    let mut report = ReparseReport::default();
    for doc in docs {
        report.counts.seen += 1;
        match reparse_one(pool, tagger, analysis, &doc, &mut sources).await {
            Ok(ItemOutcome::New | ItemOutcome::Updated) => report.counts.updated += 1,
            Ok(ItemOutcome::Unchanged) => report.counts.unchanged += 1,
            Err(e) => {
                report.counts.failed += 1;
                report.errors.push(RunError { url: doc.url.clone(), message: e.to_string() });
            }
        }
    }
    // the items that were archived but could not be read: tried again with today's code
    let failed = {
        let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
        FailedItem::list(&mut conn, source.map(|s| s.id)).await?
    };
    for item in failed {
        report.counts.seen += 1;
        match retry_failed(pool, tagger, analysis, &item, &mut sources).await {
            Ok(_) => {
                report.counts.new += 1;
                let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
                FailedItem::resolved(&mut conn, item.source_id, &item.canonical_url).await?;
            }
            Err(e) => {
                report.counts.failed += 1;
                report.errors.push(RunError { url: item.url.clone(), message: e.to_string() });
                let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
                FailedItem::record(&mut conn, &FailedItem { error: e.to_string(), ..item }).await?;
            }
        }
    }
    Ok(report)
}

/// Reads an archived item that failed before, as its harvest would have.
async fn retry_failed(
    pool: &Pool,
    tagger: &StateTagger,
    analysis: Option<&Tagger>,
    item: &FailedItem,
    sources: &mut std::collections::HashMap<i64, Source>,
) -> Result<ItemOutcome, WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let sha = item.raw_sha256.as_str();
    let raw =
        RawResponse::find(&mut conn, sha).await?.ok_or_else(|| WorkerError::Archive(format!("{sha} is missing")))?;
    let source = source_of(&mut conn, sources, item.source_id).await?;
    let fetched = archived(&raw)?;
    let listed = ListedItem {
        url: item.url.clone(),
        title: item.title.clone(),
        published: item.published_at,
        updated: None,
        summary: None,
    };
    let built = page::build(
        tagger,
        analysis,
        &source,
        &listed,
        item.canonical_url.clone(),
        fetched,
        Some(item.raw_sha256.clone()),
    )
    .await?;
    page::store(&mut conn, &built).await
}

async fn source_of(
    conn: &mut diesel_async::AsyncPgConnection,
    sources: &mut std::collections::HashMap<i64, Source>,
    source_id: i64,
) -> Result<Source, WorkerError> {
    if !sources.contains_key(&source_id) {
        for s in Source::find_by_ids(conn, &[govgraph_shared::ids::SourceId::new(source_id)]).await? {
            sources.insert(s.id, s);
        }
    }
    sources.get(&source_id).cloned().ok_or_else(|| WorkerError::UnknownSource(source_id.to_string()))
}

/// An archived response as if it had just been fetched.
fn archived(raw: &RawResponse) -> Result<Fetched, WorkerError> {
    Ok(Fetched {
        url: raw.url.clone(),
        status: 200,
        not_modified: false,
        content_type: raw.content_type.clone(),
        etag: None,
        last_modified: None,
        body: page::unarchive(raw)?,
    })
}

async fn reparse_one(
    pool: &Pool,
    tagger: &StateTagger,
    analysis: Option<&Tagger>,
    doc: &Document,
    sources: &mut std::collections::HashMap<i64, Source>,
) -> Result<ItemOutcome, WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    let sha = doc.raw_sha256.as_deref().unwrap_or_default();
    let raw =
        RawResponse::find(&mut conn, sha).await?.ok_or_else(|| WorkerError::Archive(format!("{sha} is missing")))?;
    let source_id = doc.source_id.ok_or_else(|| WorkerError::Archive(format!("document {} has no source", doc.id)))?;
    let source = source_of(&mut conn, sources, source_id).await?;
    let fetched = archived(&raw)?;
    // what the listing said is not archived: a feed date survives as the stored date
    let item = ListedItem {
        url: doc.url.clone(),
        title: Some(doc.title.clone()),
        published: doc.published_at.filter(|_| doc.published_source.as_deref() == Some("feed")),
        updated: None,
        summary: None,
    };
    let mut built =
        page::build(tagger, analysis, &source, &item, doc.canonical_url.clone(), fetched, doc.raw_sha256.clone())
            .await?;
    if let Some((etag, last_modified)) = Document::validators(&mut conn, &doc.canonical_url).await? {
        built.doc.etag = etag;
        built.doc.last_modified = last_modified;
    }
    page::store(&mut conn, &built).await
}
