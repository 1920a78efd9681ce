//! Search over everything: announcements by German full text (`websearch_to_tsquery`, the newest
//! [`RANKED_MATCHES`] matches ranked with `ts_rank_cd`, snippets by `ts_headline`), actors, projects, agreements and services by
//! name and alias (prefix matches first). All values are bound parameters.

use diesel::sql_types::{Array, BigInt, Float4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;

#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub entity_type: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Float4)]
    pub rank: f32,
    #[diesel(sql_type = Nullable<Text>)]
    pub snippet: Option<String>,
}

/// How many announcements that match a search are ranked at most: the newest ones. A query that
/// matches much of the corpus ("Digitalisierung") would otherwise rank every match before it
/// answers; an older match beyond these is found by narrowing the query or by `announcements(text:,
/// from:, to:)`, which pages through all matches by date.
pub const RANKED_MATCHES: i64 = 1_000;

/// At most `limit` hits of the given types (all when empty), best first: announcements among
/// the newest [`RANKED_MATCHES`] that match, and nodes by name and alias.
pub async fn search(conn: &mut AsyncPgConnection, query: &str, types: &[String], limit: i64) -> Result<Vec<Hit>> {
    // ranks first, over the newest matches; snippets (costly) only for the hits that are returned.
    // The candidates' tsquery is written out, not taken from `q`: the planner then sees how many
    // documents it matches and walks the date index when that is most of them.
    let sql = "WITH q AS (SELECT websearch_to_tsquery('german', $1) AS tsq, lower($1) AS text), \
        hits AS ( \
          SELECT m.id, 'announcement'::text AS entity_type, m.title AS name, \
                 ts_rank_cd(m.search, q.tsq)::real AS rank \
          FROM (SELECT d.id, d.title, d.search FROM documents d \
                WHERE (cardinality($2::text[]) = 0 OR 'announcement' = ANY($2)) \
                  AND d.duplicate_of IS NULL AND d.deleted_at IS NULL \
                  AND d.search @@ websearch_to_tsquery('german', $1) \
                ORDER BY d.published_at DESC NULLS LAST, d.id DESC LIMIT $4) m, q \
          UNION ALL \
          SELECT n.id, n.entity_type, n.name, \
                 (CASE WHEN lower(n.name) = q.text THEN 2.0 WHEN lower(n.name) LIKE q.text || '%' THEN 1.0 ELSE 0.5 END)::real \
          FROM entity_names n JOIN entities e ON e.id = n.id, q \
          WHERE n.entity_type IN ('actor', 'project', 'agreement', 'service') \
            AND (cardinality($2::text[]) = 0 OR n.entity_type = ANY($2)) \
            AND e.deleted_at IS NULL AND e.merged_into IS NULL \
            AND (lower(n.name) LIKE '%' || q.text || '%' OR EXISTS ( \
                 SELECT 1 FROM actors a WHERE a.id = n.id AND lower(array_to_string(a.aliases, ' ')) LIKE '%' || q.text || '%')) \
          ORDER BY rank DESC, name LIMIT $3) \
        SELECT h.id, h.entity_type, h.name, h.rank, \
          CASE WHEN h.entity_type = 'announcement' THEN (SELECT ts_headline('german', d.text, q.tsq, \
            'StartSel=«, StopSel=», MaxFragments=2, MaxWords=25, MinWords=8') FROM documents d WHERE d.id = h.id) END AS snippet \
        FROM hits h, q ORDER BY h.rank DESC, h.name";
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(query)
        .bind::<Array<Text>, _>(types)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(RANKED_MATCHES)
        .load(conn)
        .await?)
}
