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
