//! The graph in pages for exports: nodes (every type, with their one name) and edges (with the
//! number of places they were read and the first of them), ordered by id so that a stream can
//! page through millions of rows with constant memory.

use diesel::sql_types::{BigInt, Float4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ExportNode {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub entity_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub kind: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub slug: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ExportEdge {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub subject_id: i64,
    #[diesel(sql_type = Text)]
    pub predicate: String,
    #[diesel(sql_type = BigInt)]
    pub object_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub role: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub title: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Float4)]
    pub confidence: f32,
    #[diesel(sql_type = BigInt)]
    pub evidence_count: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub evidence_method: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub evidence_sentence: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub evidence_url: Option<String>,
}

const NODE_SELECT: &str = "SELECT n.id, n.entity_type, coalesce(a.kind, p.kind, g.kind, v.kind) AS kind, n.name, n.slug, \
    coalesce(a.state_code, p.state_code, g.state_code, v.lead_state_code) AS state, \
    coalesce(a.status, p.status, g.status, v.status) AS status \
    FROM entity_names n JOIN entities e ON e.id = n.id \
    LEFT JOIN actors a ON a.id = n.id LEFT JOIN projects p ON p.id = n.id \
    LEFT JOIN agreements g ON g.id = n.id LEFT JOIN services v ON v.id = n.id \
    WHERE e.deleted_at IS NULL AND e.merged_into IS NULL AND n.entity_type <> 'state'";

/// Nodes after `after` (by id), of one state and type when asked.
pub async fn nodes(
    conn: &mut AsyncPgConnection,
    after: i64,
    limit: i64,
    state: Option<&str>,
    entity_type: Option<&str>,
) -> Result<Vec<ExportNode>> {
    Ok(diesel::sql_query(format!(
        "SELECT * FROM ({NODE_SELECT}) x WHERE x.id > $1 AND ($2::text IS NULL OR x.state = $2) \
         AND ($3::text IS NULL OR x.entity_type = $3) ORDER BY x.id LIMIT $4"
    ))
    .bind::<BigInt, _>(after)
    .bind::<Nullable<Text>, _>(state)
    .bind::<Nullable<Text>, _>(entity_type)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}

/// Edges after `after` (by id); with a state, those that touch a node of it.
pub async fn edges(
    conn: &mut AsyncPgConnection,
    after: i64,
    limit: i64,
    state: Option<&str>,
    predicate: Option<&str>,
) -> Result<Vec<ExportEdge>> {
    Ok(diesel::sql_query(
        "SELECT r.id, r.subject_id, r.predicate, r.object_id, r.role, r.title, r.status, r.confidence, \
           (SELECT count(*) FROM evidence ev WHERE ev.relation_id = r.id) AS evidence_count, \
           f.method AS evidence_method, f.sentence AS evidence_sentence, d.url AS evidence_url \
         FROM relations r \
         LEFT JOIN LATERAL (SELECT * FROM evidence ev WHERE ev.relation_id = r.id ORDER BY ev.id LIMIT 1) f ON true \
         LEFT JOIN documents d ON d.id = f.document_id \
         WHERE r.id > $1 AND r.deleted_at IS NULL AND r.status <> 'rejected' \
           AND ($3::text IS NULL OR r.predicate = $3) \
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM actors a WHERE a.id IN (r.subject_id, r.object_id) AND a.state_code = $2) \
                OR EXISTS (SELECT 1 FROM states s WHERE s.entity_id IN (r.subject_id, r.object_id) AND s.code = $2)) \
         ORDER BY r.id LIMIT $4",
    )
    .bind::<BigInt, _>(after)
    .bind::<Nullable<Text>, _>(state)
    .bind::<Nullable<Text>, _>(predicate)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}
