use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::raw_responses;

/// A fetched body as it came, compressed and addressed by the SHA-256 of the uncompressed bytes:
/// the archive `govgraph reparse` reads instead of fetching again.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = raw_responses)]
pub struct RawResponse {
    pub sha256: String,
    pub url: String,
    pub content_type: Option<String>,
    /// `gzip` or `identity`.
    pub encoding: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Stores a body once; a second store of the same bytes is a no-op.
    pub async fn store(
        conn: &mut AsyncPgConnection,
        sha256: &str,
        url: &str,
        content_type: Option<&str>,
        encoding: &str,
        body: &[u8],
    ) -> Result<()> {
        diesel::insert_into(raw_responses::table)
            .values((
                raw_responses::sha256.eq(sha256),
                raw_responses::url.eq(url),
                raw_responses::content_type.eq(content_type),
                raw_responses::encoding.eq(encoding),
                raw_responses::body.eq(body),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find(conn: &mut AsyncPgConnection, sha256: &str) -> Result<Option<RawResponse>> {
        Ok(raw_responses::table.find(sha256).select(RawResponse::as_select()).first(conn).await.optional()?)
    }
}

/// An item whose archived page could not be read into a document (no article text, or its
/// analysis failed): what `govgraph reparse` tries again.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::failed_items)]
pub struct FailedItem {
    pub source_id: i64,
    pub canonical_url: String,
    pub url: String,
    pub raw_sha256: String,
    pub title: Option<String>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub error: String,
}

impl FailedItem {
    /// Records (or updates) the failure of an item whose response is archived.
    pub async fn record(conn: &mut AsyncPgConnection, item: &FailedItem) -> Result<()> {
        use crate::schema::failed_items::dsl as f;
        let values = (
            f::source_id.eq(item.source_id),
            f::canonical_url.eq(&item.canonical_url),
            f::url.eq(&item.url),
            f::raw_sha256.eq(&item.raw_sha256),
            f::title.eq(&item.title),
            f::published_at.eq(item.published_at),
            f::error.eq(&item.error),
            f::failed_at.eq(diesel::dsl::now),
        );
        diesel::insert_into(f::failed_items)
            .values(values)
            .on_conflict((f::source_id, f::canonical_url))
            .do_update()
            .set(values)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Forgets a failure once the item has been read.
    pub async fn resolved(conn: &mut AsyncPgConnection, source_id: i64, canonical_url: &str) -> Result<()> {
        use crate::schema::failed_items::dsl as f;
        diesel::delete(f::failed_items.filter(f::source_id.eq(source_id)).filter(f::canonical_url.eq(canonical_url)))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The failed items (of one source, or all), oldest first.
    pub async fn list(conn: &mut AsyncPgConnection, source_id: Option<i64>) -> Result<Vec<FailedItem>> {
        use crate::schema::failed_items::dsl as f;
        let mut q =
            f::failed_items.select(FailedItem::as_select()).order((f::failed_at, f::canonical_url)).into_boxed();
        if let Some(id) = source_id {
            q = q.filter(f::source_id.eq(id));
        }
        Ok(q.load(conn).await?)
    }
}
