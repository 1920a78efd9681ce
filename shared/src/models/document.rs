use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::Page;
use crate::schema::{document_states, document_versions, documents};
use crate::{Error, Result};

/// A harvested announcement, in its current version.
#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = documents)]
pub struct Document {
    pub id: i64,
    pub source_id: Option<i64>,
    pub url: String,
    pub canonical_url: String,
    pub title: String,
    pub published_at: Option<DateTime<Utc>>,
    pub published_source: Option<String>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub press_release_number: Option<String>,
    pub lang: String,
    pub text: String,
    pub attachments: serde_json::Value,
    pub content_hash: String,
    pub duplicate_of: Option<i64>,
    pub near_duplicate_of: Option<i64>,
    pub simhash: Option<i64>,
    pub raw_sha256: Option<String>,
    pub fetched_at: DateTime<Utc>,
    pub version: i32,
    pub extractor: String,
    pub primary_state: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A [`Document`] row in two parts (diesel's tuples), its text replaced by `''`.
type BriefHead = (
    i64,
    Option<i64>,
    String,
    String,
    String,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);
type BriefTail = (
    String,
    serde_json::Value,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    DateTime<Utc>,
    i32,
    String,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
);

impl Document {
    fn from_brief((h, t): (BriefHead, BriefTail)) -> Document {
        let (
            id,
            source_id,
            url,
            canonical_url,
            title,
            published_at,
            published_source,
            publisher,
            place,
            press_release_number,
            lang,
        ) = h;
        let (
            text,
            attachments,
            content_hash,
            duplicate_of,
            near_duplicate_of,
            simhash,
            raw_sha256,
            fetched_at,
            version,
            extractor,
            primary_state,
            created_at,
            updated_at,
        ) = t;
        Document {
            id,
            source_id,
            url,
            canonical_url,
            title,
            published_at,
            published_source,
            publisher,
            place,
            press_release_number,
            lang,
            text,
            attachments,
            content_hash,
            duplicate_of,
            near_duplicate_of,
            simhash,
            raw_sha256,
            fetched_at,
            version,
            extractor,
            primary_state,
            created_at,
            updated_at,
        }
    }
}

/// What the harvester hands over for storing.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = documents, treat_none_as_null = true)]
pub struct NewDocument {
    pub source_id: Option<i64>,
    pub url: String,
    pub canonical_url: String,
    pub title: String,
    pub published_at: Option<DateTime<Utc>>,
    pub published_source: Option<String>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub press_release_number: Option<String>,
    pub text: String,
    pub attachments: serde_json::Value,
    pub content_hash: String,
    /// 64-bit SimHash of the text, for near-duplicates.
    pub simhash: Option<i64>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub raw_sha256: Option<String>,
    pub extractor: String,
    pub primary_state: Option<String>,
}

/// A state a document concerns.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_states)]
pub struct DocumentState {
    pub document_id: i64,
    pub state_code: String,
    pub is_primary: bool,
    pub score: f32,
    pub signals: Vec<String>,
}

/// A state tag as the tagger gives it: code, primary, score, signals.
pub type StateTagRow = (String, bool, f32, Vec<String>);

async fn write_states(conn: &mut AsyncPgConnection, id: i64, states: &[StateTagRow]) -> Result<()> {
    diesel::delete(document_states::table.filter(document_states::document_id.eq(id))).execute(conn).await?;
    let rows: Vec<DocumentState> = states
        .iter()
        .map(|(code, primary, score, signals)| DocumentState {
            document_id: id,
            state_code: code.clone(),
            is_primary: *primary,
            score: *score,
            signals: signals.clone(),
        })
        .collect();
    diesel::insert_into(document_states::table).values(&rows).execute(conn).await?;
    Ok(())
}

/// A stored document as `govgraph retag` reads it.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct RetagInput {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub url: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub text: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub place: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub published_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub source_state: Option<String>,
}

/// What storing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredOutcome {
    New(i64),
    /// The text changed: the old one became a version.
    Updated(i64),
    Unchanged(i64),
    /// The same text is stored under another URL; this URL is linked to it.
    Duplicate {
        id: i64,
        of: i64,
    },
}

impl StoredOutcome {
    /// The id of the document row for the URL.
    pub fn id(self) -> i64 {
        match self {
            StoredOutcome::New(id) | StoredOutcome::Updated(id) | StoredOutcome::Unchanged(id) => id,
            StoredOutcome::Duplicate { id, .. } => id,
        }
    }
}

/// Filters of announcement lists.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub state: Option<String>,
    pub source_id: Option<i64>,
    /// Documents that mention every one of these nodes (actors, bodies, projects, ...).
    pub mentions: Vec<i64>,
    /// German full-text search (web search syntax: words, "phrases", -excluded, or).
    pub text: Option<String>,
    /// Published on or after / before this day.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Stored or changed at or after this instant.
    pub modified_since: Option<DateTime<Utc>>,
}

/// A document with the node it was asked for.
#[derive(Debug, Clone, QueryableByName)]
pub struct NodeDocument {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub node: i64,
    #[diesel(embed)]
    pub document: Document,
}

/// The keyset cursor of announcement lists (newest first, undated last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentCursor {
    pub published_at: Option<DateTime<Utc>>,
    pub id: i64,
}

type BoxedDocs<'a> = documents::BoxedQuery<'a, diesel::pg::Pg>;

impl Document {
    pub fn cursor(&self) -> DocumentCursor {
        DocumentCursor { published_at: self.published_at, id: self.id }
    }

    pub async fn find(conn: &mut AsyncPgConnection, id: crate::ids::DocumentId) -> Result<Option<Document>> {
        Ok(documents::table.find(id).select(Document::as_select()).first(conn).await.optional()?)
    }

    /// Documents by id (for a DataLoader).
    pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<Document>> {
        Ok(documents::table.filter(documents::id.eq_any(ids)).select(Document::as_select()).load(conn).await?)
    }

    pub async fn find_by_canonical_url(conn: &mut AsyncPgConnection, url: &str) -> Result<Option<Document>> {
        Ok(documents::table
            .filter(documents::canonical_url.eq(url))
            .select(Document::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The HTTP validators stored for a canonical URL, for a conditional request.
    pub async fn validators(
        conn: &mut AsyncPgConnection,
        url: &str,
    ) -> Result<Option<(Option<String>, Option<String>)>> {
        Ok(documents::table
            .filter(documents::canonical_url.eq(url))
            .select((documents::etag, documents::last_modified))
            .first(conn)
            .await
            .optional()?)
    }

    /// Documents that have an archived raw response (of one source, or all), oldest first.
    pub async fn with_raw(conn: &mut AsyncPgConnection, source_id: Option<i64>) -> Result<Vec<Document>> {
        let mut q = documents::table.filter(documents::raw_sha256.is_not_null()).into_boxed();
        if let Some(id) = source_id {
            q = q.filter(documents::source_id.eq(id));
        }
        Ok(q.order(documents::id).select(Document::as_select()).load(conn).await?)
    }

    /// The newest publication date among the documents of a source.
    pub async fn newest_published(conn: &mut AsyncPgConnection, source_id: i64) -> Result<Option<DateTime<Utc>>> {
        Ok(documents::table
            .filter(documents::source_id.eq(source_id))
            .select(diesel::dsl::max(documents::published_at))
            .first(conn)
            .await?)
    }

    /// Marks a document as seen again without change (a 304, or the same text).
    pub async fn touch(conn: &mut AsyncPgConnection, id: i64) -> Result<()> {
        diesel::update(documents::table.find(id)).set(documents::fetched_at.eq(diesel::dsl::now)).execute(conn).await?;
        Ok(())
    }

    /// Stores a document and its states in one transaction: new, a new version, unchanged, or a
    /// duplicate of the same text at another URL.
    pub async fn store(
        conn: &mut AsyncPgConnection,
        doc: &NewDocument,
        states: &[(String, bool, f32, Vec<String>)],
    ) -> Result<StoredOutcome> {
        conn.transaction::<_, Error, _>(async |conn| {
            let existing: Option<Document> = documents::table
                .filter(documents::canonical_url.eq(&doc.canonical_url))
                .select(Document::as_select())
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let outcome = match existing {
                Some(old) if old.content_hash == doc.content_hash => {
                    diesel::update(documents::table.find(old.id))
                        .set((
                            documents::fetched_at.eq(diesel::dsl::now),
                            documents::etag.eq(&doc.etag),
                            documents::last_modified.eq(&doc.last_modified),
                        ))
                        .execute(conn)
                        .await?;
                    return Ok(StoredOutcome::Unchanged(old.id));
                }
                Some(old) => {
                    diesel::insert_into(document_versions::table)
                        .values((
                            document_versions::document_id.eq(old.id),
                            document_versions::version.eq(old.version),
                            document_versions::title.eq(&old.title),
                            document_versions::text.eq(&old.text),
                            document_versions::published_at.eq(old.published_at),
                            document_versions::content_hash.eq(&old.content_hash),
                            document_versions::fetched_at.eq(old.fetched_at),
                        ))
                        .execute(conn)
                        .await?;
                    diesel::update(documents::table.find(old.id))
                        .set((
                            doc,
                            documents::version.eq(old.version + 1),
                            documents::fetched_at.eq(diesel::dsl::now),
                            documents::updated_at.eq(diesel::dsl::now),
                        ))
                        .execute(conn)
                        .await?;
                    StoredOutcome::Updated(old.id)
                }
                None => {
                    let original: Option<i64> = documents::table
                        .filter(documents::content_hash.eq(&doc.content_hash))
                        .filter(documents::duplicate_of.is_null())
                        .select(documents::id)
                        .order(documents::id)
                        .first(conn)
                        .await
                        .optional()?;
                    let id: i64 = diesel::insert_into(documents::table)
                        .values((doc, documents::duplicate_of.eq(original)))
                        .returning(documents::id)
                        .get_result(conn)
                        .await?;
                    if let (None, Some(hash)) = (original, doc.simhash) {
                        mark_near_duplicate(conn, id, hash).await?;
                    }
                    match original {
                        Some(of) => StoredOutcome::Duplicate { id, of },
                        None => StoredOutcome::New(id),
                    }
                }
            };
            write_states(conn, outcome.id(), states).await?;
            Ok(outcome)
        })
        .await
    }

    /// Replaces the states a document is tagged with.
    pub async fn replace_states(conn: &mut AsyncPgConnection, id: i64, states: &[StateTagRow]) -> Result<()> {
        conn.transaction::<_, Error, _>(async |conn| write_states(conn, id, states).await).await
    }

    /// Every current document (of one source) with what tagging needs.
    pub async fn for_retag(conn: &mut AsyncPgConnection, source: Option<&str>) -> Result<Vec<RetagInput>> {
        Ok(diesel::sql_query(
            "SELECT d.id, d.url, d.title, d.text, d.place, d.published_at, s.state_code AS source_state \
             FROM documents d LEFT JOIN sources s ON s.id = d.source_id \
             WHERE ($1::text IS NULL OR s.name = $1) ORDER BY d.id",
        )
        .bind::<diesel::sql_types::Nullable<diesel::sql_types::Text>, _>(source)
        .load(conn)
        .await?)
    }

    fn filtered<'a>(filter: &'a DocumentFilter) -> BoxedDocs<'a> {
        let mut q = documents::table
            .filter(documents::duplicate_of.is_null())
            .filter(documents::deleted_at.is_null())
            .into_boxed();
        if let Some(state) = &filter.state {
            q = q.filter(
                documents::id.eq_any(
                    document_states::table
                        .filter(document_states::state_code.eq(state))
                        .select(document_states::document_id),
                ),
            );
        }
        if let Some(source_id) = filter.source_id {
            q = q.filter(documents::source_id.eq(source_id));
        }
        for entity in &filter.mentions {
            q = q.filter(
                documents::id.eq_any(
                    crate::schema::mentions::table
                        .filter(crate::schema::mentions::entity_id.eq(*entity))
                        .select(crate::schema::mentions::document_id),
                ),
            );
        }
        if let Some(text) = &filter.text {
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("search @@ websearch_to_tsquery('german', ")
                    .bind::<diesel::sql_types::Text, _>(text.clone())
                    .sql(")"),
            );
        }
        if let Some(from) = filter.from.and_then(berlin_midnight) {
            q = q.filter(documents::published_at.ge(from));
        }
        if let Some(to) = filter.to.and_then(|d| d.succ_opt()).and_then(berlin_midnight) {
            q = q.filter(documents::published_at.lt(to));
        }
        if let Some(since) = filter.modified_since {
            q = q.filter(documents::updated_at.ge(since));
        }
        q
    }

    /// A page of announcements, newest first (undated ones last).
    pub async fn list(
        conn: &mut AsyncPgConnection,
        filter: &DocumentFilter,
        page: Page<DocumentCursor>,
    ) -> Result<Vec<Document>> {
        Self::page_of(conn, filter, page, true).await
    }

    /// [`Document::list`] with every `text` empty, for a list that does not show the texts (they
    /// are most of a row: PostgreSQL decompresses and sends them for nothing).
    pub async fn list_without_text(
        conn: &mut AsyncPgConnection,
        filter: &DocumentFilter,
        page: Page<DocumentCursor>,
    ) -> Result<Vec<Document>> {
        Self::page_of(conn, filter, page, false).await
    }

    async fn page_of(
        conn: &mut AsyncPgConnection,
        filter: &DocumentFilter,
        page: Page<DocumentCursor>,
        with_text: bool,
    ) -> Result<Vec<Document>> {
        let mut q = Self::filtered(filter);
        let published = || documents::published_at.assume_not_null();
        if let Some(after) = page.after {
            // later in the list: older, or undated
            q = match after.published_at {
                Some(p) => q.filter(
                    documents::published_at
                        .is_null()
                        .or(published().lt(p))
                        .or(published().eq(p).and(documents::id.lt(after.id))),
                ),
                None => q.filter(documents::published_at.is_null().and(documents::id.lt(after.id))),
            };
        }
        if let Some(before) = page.before {
            // earlier in the list: newer, or dated when the cursor is undated
            q = match before.published_at {
                Some(p) => q.filter(
                    documents::published_at
                        .is_not_null()
                        .and(published().gt(p).or(published().eq(p).and(documents::id.gt(before.id)))),
                ),
                None => q.filter(documents::published_at.is_not_null().or(documents::id.gt(before.id))),
            };
        }
        let q = if page.from_end {
            q.order((documents::published_at.asc().nulls_first(), documents::id.asc()))
        } else {
            q.order((documents::published_at.desc().nulls_last(), documents::id.desc()))
        };
        let q = q.limit(page.limit);
        let rows = if with_text {
            q.select(Document::as_select()).load(conn).await?
        } else {
            q.select((
                (
                    documents::id,
                    documents::source_id,
                    documents::url,
                    documents::canonical_url,
                    documents::title,
                    documents::published_at,
                    documents::published_source,
                    documents::publisher,
                    documents::place,
                    documents::press_release_number,
                    documents::lang,
                ),
                (
                    diesel::dsl::sql::<diesel::sql_types::Text>("''"),
                    documents::attachments,
                    documents::content_hash,
                    documents::duplicate_of,
                    documents::near_duplicate_of,
                    documents::simhash,
                    documents::raw_sha256,
                    documents::fetched_at,
                    documents::version,
                    documents::extractor,
                    documents::primary_state,
                    documents::created_at,
                    documents::updated_at,
                ),
            ))
            .load::<(BriefHead, BriefTail)>(conn)
            .await?
            .into_iter()
            .map(Document::from_brief)
            .collect()
        };
        Ok(super::in_list_order(rows, page.from_end))
    }

    /// The newest `limit` announcements that name each of `nodes` (mentions), in one statement
    /// for all of them.
    pub async fn naming_each(conn: &mut AsyncPgConnection, nodes: &[i64], limit: i64) -> Result<Vec<NodeDocument>> {
        Ok(diesel::sql_query(
            "SELECT n.node, d.* FROM unnest($1::bigint[]) AS n(node) CROSS JOIN LATERAL ( \
               SELECT d.* FROM documents d \
               WHERE d.id IN (SELECT m.document_id FROM mentions m WHERE m.entity_id = n.node) \
                 AND d.duplicate_of IS NULL AND d.deleted_at IS NULL \
               ORDER BY d.published_at DESC NULLS LAST, d.id DESC LIMIT $2) d \
             ORDER BY n.node, d.published_at DESC NULLS LAST, d.id DESC",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(nodes)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .load(conn)
        .await?)
    }

    /// How many announcements name each of `nodes`: (node, count), nodes without any left out.
    pub async fn count_naming_each(conn: &mut AsyncPgConnection, nodes: &[i64]) -> Result<Vec<(i64, i64)>> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            node: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT m.entity_id AS node, count(DISTINCT m.document_id) AS n FROM mentions m \
             JOIN documents d ON d.id = m.document_id AND d.duplicate_of IS NULL AND d.deleted_at IS NULL \
             WHERE m.entity_id = ANY($1) GROUP BY m.entity_id",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(nodes)
        .load(conn)
        .await?;
        Ok(rows.into_iter().map(|r| (r.node, r.n)).collect())
    }

    /// Whether the document `id` passes `filter` (a subscription's test of a new announcement).
    pub async fn matches(conn: &mut AsyncPgConnection, id: i64, filter: &DocumentFilter) -> Result<bool> {
        let n: i64 = Self::filtered(filter).filter(documents::id.eq(id)).count().get_result(conn).await?;
        Ok(n > 0)
    }

    /// How many announcements pass `filter`. A filter of state, text and dates alone is counted
    /// on `search_documents` (the live announcements in narrow rows, with the same states and
    /// tsvector), not on `documents`, whose wide rows a count would read whole.
    pub async fn count(conn: &mut AsyncPgConnection, filter: &DocumentFilter) -> Result<i64> {
        if filter.source_id.is_none() && filter.mentions.is_empty() && filter.modified_since.is_none() {
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            use diesel::sql_types::{Nullable, Text, Timestamptz};
            let row: Row = diesel::sql_query(
                "SELECT count(*) AS n FROM search_documents s \
                 WHERE ($1::text IS NULL OR s.states @> ARRAY[$1::text]) \
                 AND ($2::text IS NULL OR s.search @@ websearch_to_tsquery('german', $2)) \
                 AND ($3::timestamptz IS NULL OR s.published_at >= $3) \
                 AND ($4::timestamptz IS NULL OR s.published_at < $4)",
            )
            .bind::<Nullable<Text>, _>(filter.state.as_deref())
            .bind::<Nullable<Text>, _>(filter.text.as_deref())
            .bind::<Nullable<Timestamptz>, _>(filter.from.and_then(berlin_midnight))
            .bind::<Nullable<Timestamptz>, _>(filter.to.and_then(|d| d.succ_opt()).and_then(berlin_midnight))
            .get_result(conn)
            .await?;
            return Ok(row.n);
        }
        Ok(Self::filtered(filter).count().get_result(conn).await?)
    }
}

/// The start of a day in Germany, as an instant.
fn berlin_midnight(d: chrono::NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(chrono_tz::Europe::Berlin).earliest())
        .map(|t| t.with_timezone(&Utc))
}

/// How many of 64 SimHash bits may differ for two texts to count as near-duplicates.
pub const NEAR_DUPLICATE_BITS: i32 = 8;

#[derive(QueryableByName)]
struct Near {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// Points a new document to the earliest other document whose SimHash is within
/// [`NEAR_DUPLICATE_BITS`] bits.
async fn mark_near_duplicate(conn: &mut AsyncPgConnection, id: i64, hash: i64) -> Result<()> {
    let near: Option<Near> = diesel::sql_query(
        "SELECT id FROM documents WHERE simhash IS NOT NULL AND id <> $1 AND duplicate_of IS NULL \
         AND bit_count((simhash # $2)::bit(64)) <= $3 ORDER BY id LIMIT 1",
    )
    .bind::<diesel::sql_types::BigInt, _>(id)
    .bind::<diesel::sql_types::BigInt, _>(hash)
    .bind::<diesel::sql_types::Integer, _>(NEAR_DUPLICATE_BITS)
    .get_result(conn)
    .await
    .optional()?;
    if let Some(near) = near {
        diesel::update(documents::table.find(id)).set(documents::near_duplicate_of.eq(near.id)).execute(conn).await?;
    }
    Ok(())
}

impl DocumentState {
    /// The states of many documents at once (for a DataLoader).
    pub async fn for_documents(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<DocumentState>> {
        Ok(document_states::table
            .filter(document_states::document_id.eq_any(ids))
            .order((document_states::document_id, document_states::is_primary.desc(), document_states::score.desc()))
            .select(DocumentState::as_select())
            .load(conn)
            .await?)
    }
}
