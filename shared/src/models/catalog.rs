//! Bulk loads of catalogue data (the register of municipalities, the OZG catalogue, ...): rows go
//! into a temporary staging table in batches, then set-based statements upsert them by their
//! official key. A load counts what is new, updated, unchanged and no longer listed; it never
//! deletes: an entry that a later load no longer lists is marked `unlisted_since`.

use diesel::sql_types::{Array, BigInt, Jsonb, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::{Error, Result};

/// Rows per staging statement.
const BATCH: usize = 2_000;

/// What a load changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadCounts {
    pub new: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub removed: i64,
}

/// An actor from a catalogue, identified by `kind` and `ags` (or, without an AGS, `ars`).
#[derive(Debug, Clone)]
pub struct CatalogActor {
    pub kind: String,
    pub name: String,
    pub slug: String,
    pub state_code: Option<String>,
    pub ags: Option<String>,
    pub ars: Option<String>,
    pub attributes: serde_json::Value,
}

/// A `located_in` (or other) edge between catalogue entries, by kind and key; the object may be
/// a state (kind `state`, key the state code).
#[derive(Debug, Clone)]
pub struct CatalogEdge {
    pub subject_kind: String,
    pub subject_key: String,
    pub predicate: String,
    pub object_kind: String,
    pub object_key: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncPgConnection, sql: &str) -> Result<i64> {
    let row: Count = diesel::sql_query(sql).get_result(conn).await?;
    Ok(row.n)
}

/// Upserts the actors of catalogue `catalogue` (the value of `attributes.catalogue`), marking
/// those of `kinds` that it listed before but not now as unlisted. One transaction.
pub async fn load_actors(
    conn: &mut AsyncPgConnection,
    catalogue: &str,
    kinds: &[&str],
    rows: &[CatalogActor],
) -> Result<LoadCounts> {
    let catalogue = catalogue.to_owned();
    let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
    conn.transaction::<_, Error, _>(async |conn| {
        diesel::sql_query(
            "CREATE TEMP TABLE stage_actors (kind text, name text, slug text, state_code text, ags text, ars text, \
             attributes jsonb, id bigint, is_new boolean NOT NULL DEFAULT false) ON COMMIT DROP",
        )
        .execute(conn)
        .await?;
        for chunk in rows.chunks(BATCH) {
            let col = |f: fn(&CatalogActor) -> Option<String>| chunk.iter().map(f).collect::<Vec<_>>();
            diesel::sql_query(
                "INSERT INTO stage_actors (kind, name, slug, state_code, ags, ars, attributes) \
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])",
            )
            .bind::<Array<Nullable<Text>>, _>(col(|r| Some(r.kind.clone())))
            .bind::<Array<Nullable<Text>>, _>(col(|r| Some(r.name.clone())))
            .bind::<Array<Nullable<Text>>, _>(col(|r| Some(r.slug.clone())))
            .bind::<Array<Nullable<Text>>, _>(col(|r| r.state_code.clone()))
            .bind::<Array<Nullable<Text>>, _>(col(|r| r.ags.clone()))
            .bind::<Array<Nullable<Text>>, _>(col(|r| r.ars.clone()))
            .bind::<Array<Jsonb>, _>(chunk.iter().map(|r| with_catalogue(&r.attributes, &catalogue)).collect::<Vec<_>>())
            .execute(conn)
            .await?;
        }
        // two statements, so that each can use its unique index
        diesel::sql_query("UPDATE stage_actors s SET id = a.id FROM actors a WHERE a.kind = s.kind AND a.ags = s.ags")
            .execute(conn)
            .await?;
        diesel::sql_query(
            "UPDATE stage_actors s SET id = a.id FROM actors a \
             WHERE s.ags IS NULL AND a.kind = s.kind AND a.ars = s.ars AND a.ags IS NULL",
        )
        .execute(conn)
        .await?;
        diesel::sql_query("ANALYZE stage_actors").execute(conn).await?;
        diesel::sql_query("UPDATE stage_actors SET id = nextval('entities_id_seq'), is_new = true WHERE id IS NULL")
            .execute(conn)
            .await?;
        diesel::sql_query("INSERT INTO entities (id, entity_type) SELECT id, 'actor' FROM stage_actors WHERE is_new")
            .execute(conn)
            .await?;
        let new = diesel::sql_query(
            "INSERT INTO actors (id, kind, name, slug, state_code, ags, ars, status, attributes, first_seen, last_seen) \
             SELECT id, kind, name, slug, state_code, ags, ars, 'reference', attributes, now(), now() \
             FROM stage_actors WHERE is_new",
        )
        .execute(conn)
        .await? as i64;
        let updated = diesel::sql_query(
            "UPDATE actors a SET name = s.name, state_code = s.state_code, ars = s.ars, attributes = s.attributes, \
             unlisted_since = NULL, last_seen = now(), updated_at = now() FROM stage_actors s \
             WHERE a.id = s.id AND NOT s.is_new AND (a.name, a.state_code, a.ars, a.attributes, a.unlisted_since) \
             IS DISTINCT FROM (s.name, s.state_code, s.ars, s.attributes, NULL::date)",
        )
        .execute(conn)
        .await? as i64;
        diesel::sql_query(
            "UPDATE entities e SET updated_at = now() FROM stage_actors s JOIN actors a ON a.id = s.id \
             WHERE e.id = a.id AND NOT s.is_new AND a.updated_at = now()",
        )
        .execute(conn)
        .await?;
        let total = count(conn, "SELECT count(*) AS n FROM stage_actors").await?;
        let removed = diesel::sql_query(
            "UPDATE actors SET unlisted_since = current_date, updated_at = now() \
             WHERE kind = ANY($1) AND attributes->>'catalogue' = $2 AND unlisted_since IS NULL \
             AND id NOT IN (SELECT id FROM stage_actors)",
        )
        .bind::<Array<Text>, _>(&kinds)
        .bind::<Text, _>(&catalogue)
        .execute(conn)
        .await? as i64;
        Ok(LoadCounts { new, updated, unchanged: total - new - updated, removed })
    })
    .await
}

fn with_catalogue(attributes: &serde_json::Value, catalogue: &str) -> serde_json::Value {
    let mut a = attributes.clone();
    if let Some(map) = a.as_object_mut() {
        map.insert("catalogue".into(), serde_json::Value::String(catalogue.to_owned()));
    } else {
        a = serde_json::json!({ "catalogue": catalogue });
    }
    a
}

/// Writes catalogue edges with their evidence (the source and `method`), skipping those that
/// exist. Returns how many edges were new.
pub async fn load_edges(
    conn: &mut AsyncPgConnection,
    source_id: Option<i64>,
    method: &str,
    edges: &[CatalogEdge],
) -> Result<i64> {
    let method = method.to_owned();
    conn.transaction::<_, Error, _>(async |conn| {
        diesel::sql_query(
            "CREATE TEMP TABLE stage_edges (subject_kind text, subject_key text, predicate text, object_kind text, \
             object_key text) ON COMMIT DROP",
        )
        .execute(conn)
        .await?;
        for chunk in edges.chunks(BATCH) {
            let col = |f: fn(&CatalogEdge) -> String| chunk.iter().map(f).collect::<Vec<_>>();
            diesel::sql_query("INSERT INTO stage_edges SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])")
                .bind::<Array<Text>, _>(col(|e| e.subject_kind.clone()))
                .bind::<Array<Text>, _>(col(|e| e.subject_key.clone()))
                .bind::<Array<Text>, _>(col(|e| e.predicate.clone()))
                .bind::<Array<Text>, _>(col(|e| e.object_kind.clone()))
                .bind::<Array<Text>, _>(col(|e| e.object_key.clone()))
                .execute(conn)
                .await?;
        }
        // resolve keys: actors by (kind, ags or ars), states by code
        // each lookup is a probe of a unique index on (kind, ags) or (kind, ars)
        let resolved = "WITH ends AS ( \
             SELECT coalesce( \
                      (SELECT a.id FROM actors a WHERE a.kind = e.subject_kind AND a.ags = e.subject_key), \
                      (SELECT a.id FROM actors a WHERE a.kind = e.subject_kind AND a.ars = e.subject_key AND a.ags IS NULL)) AS s, \
                    e.predicate, \
                    CASE WHEN e.object_kind = 'state' THEN (SELECT st.entity_id FROM states st WHERE st.code = e.object_key) \
                    ELSE coalesce( \
                      (SELECT a.id FROM actors a WHERE a.kind = e.object_kind AND a.ags = e.object_key), \
                      (SELECT a.id FROM actors a WHERE a.kind = e.object_kind AND a.ars = e.object_key AND a.ags IS NULL)) \
                    END AS o \
             FROM stage_edges e) ";
        let new = diesel::sql_query(format!(
            "{resolved} INSERT INTO relations (subject_id, predicate, object_id, status, confidence) \
             SELECT DISTINCT s, predicate, o, 'reference', 1.0 FROM ends WHERE s IS NOT NULL AND o IS NOT NULL \
             ON CONFLICT (subject_id, predicate, object_id, coalesce(role, ''), coalesce(title, '')) DO NOTHING"
        ))
        .execute(conn)
        .await? as i64;
        diesel::sql_query(format!(
            "{resolved} INSERT INTO evidence (relation_id, source_id, method, confidence) \
             SELECT r.id, $1, $2, 1.0 FROM ends JOIN relations r ON r.subject_id = ends.s AND r.predicate = ends.predicate \
             AND r.object_id = ends.o AND r.role IS NULL AND r.title IS NULL \
             ON CONFLICT (relation_id, coalesce(document_id, 0), coalesce(start_offset, -1), method) DO NOTHING"
        ))
        .bind::<Nullable<BigInt>, _>(source_id)
        .bind::<Text, _>(&method)
        .execute(conn)
        .await?;
        Ok(new)
    })
    .await
}
