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
