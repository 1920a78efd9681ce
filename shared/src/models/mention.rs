//! Mentions: where a document names a node (written by `tags::store`), and the earlier versions
//! of documents, read in batches for the API.

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

/// A mention with the node it names, for showing a document's tags.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct MentionRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub document_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub entity_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity_type: crate::vocab::NodeType,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub surface: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub start_offset: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub end_offset: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub method: String,
}

impl MentionRow {
    /// The mentions of many documents at once, in text order.
    pub async fn for_documents(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<MentionRow>> {
        Ok(diesel::sql_query(
            "SELECT m.document_id, m.entity_id, n.entity_type, n.name, m.surface, m.start_offset, m.end_offset, m.method \
             FROM mentions m JOIN entity_names n ON n.id = m.entity_id WHERE m.document_id = ANY($1) \
             ORDER BY m.document_id, m.start_offset",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(ids)
        .load(conn)
        .await?)
    }
}

/// An earlier text of a document.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct VersionRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub document_id: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub version: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub text: String,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub fetched_at: chrono::DateTime<chrono::Utc>,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub superseded_at: chrono::DateTime<chrono::Utc>,
}

impl VersionRow {
    /// The earlier versions of many documents, oldest first.
    pub async fn for_documents(conn: &mut AsyncPgConnection, ids: &[i64]) -> Result<Vec<VersionRow>> {
        Ok(diesel::sql_query(
            "SELECT document_id, version, title, text, fetched_at, superseded_at FROM document_versions \
             WHERE document_id = ANY($1) ORDER BY document_id, version",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(ids)
        .load(conn)
        .await?)
    }
}
