use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::fetched_urls;

/// The HTTP validators and last outcome of a URL that is not a document (a feed, a listing, a
/// sitemap), for conditional requests.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fetched_urls)]
pub struct FetchedUrl {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub status_code: Option<i32>,
    pub content_hash: Option<String>,
    pub fetched_at: DateTime<Utc>,
}

impl FetchedUrl {
    pub async fn find(conn: &mut AsyncPgConnection, url: &str) -> Result<Option<FetchedUrl>> {
        Ok(fetched_urls::table.find(url).select(FetchedUrl::as_select()).first(conn).await.optional()?)
    }

    /// Records the validators of a successful answer.
    pub async fn record(
        conn: &mut AsyncPgConnection,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
        status_code: i32,
    ) -> Result<()> {
        let values = (
            fetched_urls::url.eq(url),
            fetched_urls::etag.eq(etag),
            fetched_urls::last_modified.eq(last_modified),
            fetched_urls::status_code.eq(status_code),
            fetched_urls::fetched_at.eq(diesel::dsl::now),
        );
        diesel::insert_into(fetched_urls::table)
            .values(values)
            .on_conflict(fetched_urls::url)
            .do_update()
            .set(values)
            .execute(conn)
            .await?;
        Ok(())
    }
}
