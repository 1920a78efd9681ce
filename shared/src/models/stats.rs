//! Counts for charts and monitoring: documents by state and year, nodes by kind, harvest runs by
//! status.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

/// One count: a key (a state code, a year, a kind, a status) and how many.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct Count {
    #[diesel(sql_type = Nullable<Text>)]
    pub key: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

async fn counts(conn: &mut AsyncPgConnection, sql: &str) -> Result<Vec<Count>> {
    Ok(diesel::sql_query(sql).load(conn).await?)
}

/// Current announcements by state tag.
pub async fn documents_by_state(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(
        conn,
        "SELECT s.state_code AS key, count(*) AS n FROM document_states s JOIN documents d ON d.id = s.document_id \
         WHERE d.duplicate_of IS NULL AND d.deleted_at IS NULL GROUP BY 1 ORDER BY 1",
    )
    .await
}

/// Current announcements by year of publication (Berlin time); undated ones under no key.
pub async fn documents_by_year(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(
        conn,
        "SELECT extract(year FROM published_at AT TIME ZONE 'Europe/Berlin')::int::text AS key, count(*) AS n \
         FROM documents WHERE duplicate_of IS NULL AND deleted_at IS NULL GROUP BY 1 ORDER BY 1",
    )
    .await
}

/// Actors by kind (rejected ones not counted).
pub async fn actors_by_kind(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(conn, "SELECT kind AS key, count(*) AS n FROM actors WHERE status <> 'rejected' GROUP BY 1 ORDER BY 1").await
}

/// Relations by predicate.
pub async fn relations_by_predicate(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(
        conn,
        "SELECT predicate AS key, count(*) AS n FROM relations WHERE deleted_at IS NULL AND status <> 'rejected' \
         GROUP BY 1 ORDER BY 1",
    )
    .await
}

/// Nodes by table: actors, projects, agreements, services, announcements (the live ones, as
/// `search_documents` holds them).
pub async fn nodes_by_type(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(
        conn,
        "SELECT 'actor' AS key, count(*) AS n FROM actors UNION ALL SELECT 'project', count(*) FROM projects \
         UNION ALL SELECT 'agreement', count(*) FROM agreements UNION ALL SELECT 'service', count(*) FROM services \
         UNION ALL SELECT 'announcement', count(*) FROM search_documents",
    )
    .await
}

/// Harvest runs by status.
pub async fn runs_by_status(conn: &mut AsyncPgConnection) -> Result<Vec<Count>> {
    counts(conn, "SELECT status AS key, count(*) AS n FROM harvest_runs GROUP BY 1 ORDER BY 1").await
}
