use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::schema::mentions;
use crate::{Error, Result};

/// A mention of a node in a document's text; offsets count characters of `documents.text`.
#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = mentions)]
pub struct NewMention {
    pub document_id: i64,
    pub entity_id: i64,
    pub surface: String,
    pub start_offset: i32,
    pub end_offset: i32,
    pub method: String,
    pub confidence: f32,
}

/// Replaces the mentions a `method` found in a document (re-tagging never duplicates).
pub async fn replace(conn: &mut AsyncPgConnection, document_id: i64, method: &str, rows: &[NewMention]) -> Result<()> {
    let method = method.to_owned();
    conn.transaction::<_, Error, _>(async |conn| {
        diesel::delete(
            mentions::table.filter(mentions::document_id.eq(document_id)).filter(mentions::method.eq(&method)),
        )
        .execute(conn)
        .await?;
        diesel::insert_into(mentions::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
        Ok(())
    })
    .await
}

/// The entity ids mentioned in a document, with their first surface.
pub async fn for_document(conn: &mut AsyncPgConnection, document_id: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(mentions::table
        .filter(mentions::document_id.eq(document_id))
        .order(mentions::start_offset)
        .select((mentions::entity_id, mentions::surface, mentions::method))
        .load(conn)
        .await?)
}

/// A mention with the node it names, for showing a document's tags.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct MentionRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub document_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub entity_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity_type: String,
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
