//! Bulk loads of catalogue data (the register of municipalities, the OZG catalogue, ...): rows go
//! into a temporary staging table in batches, then set-based statements upsert them by their
//! official key. A load counts what is new, updated, unchanged and no longer listed; it never
//! deletes: an entry that a later load no longer lists is marked `unlisted_since`.

use diesel::OptionalExtension;
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
            // attributes are merged: what other loads added (publisher data, ...) stays
            "UPDATE actors a SET name = s.name, state_code = s.state_code, ars = s.ars, \
             attributes = a.attributes || s.attributes, unlisted_since = NULL, last_seen = now(), updated_at = now() \
             FROM stage_actors s WHERE a.id = s.id AND NOT s.is_new \
             AND (a.name, a.state_code, a.ars, a.attributes, a.unlisted_since) \
             IS DISTINCT FROM (s.name, s.state_code, s.ars, a.attributes || s.attributes, NULL::date)",
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
        // each lookup is a probe of a unique index: actors by (kind, ags) or (kind, ars), states by
        // code, projects by slug
        let end = |kind: &str, key: &str| {
            format!(
                "CASE WHEN e.{kind} = 'state' THEN (SELECT st.entity_id FROM states st WHERE st.code = e.{key}) \
                 WHEN e.{kind} = 'project' THEN (SELECT p.id FROM projects p WHERE p.slug = e.{key}) \
                 ELSE coalesce( \
                   (SELECT a.id FROM actors a WHERE a.kind = e.{kind} AND a.ags = e.{key}), \
                   (SELECT a.id FROM actors a WHERE a.kind = e.{kind} AND a.ars = e.{key} AND a.ags IS NULL)) END"
            )
        };
        // resolve once into a temporary table, used by both inserts
        diesel::sql_query(format!(
            "CREATE TEMP TABLE ends ON COMMIT DROP AS SELECT DISTINCT {} AS s, e.predicate, {} AS o FROM stage_edges e",
            end("subject_kind", "subject_key"),
            end("object_kind", "object_key")
        ))
        .execute(conn)
        .await?;
        diesel::sql_query("DELETE FROM ends WHERE s IS NULL OR o IS NULL").execute(conn).await?;
        let new = diesel::sql_query(
            "INSERT INTO relations (subject_id, predicate, object_id, status, confidence) \
             SELECT s, predicate, o, 'reference', 1.0 FROM ends \
             ON CONFLICT (subject_id, predicate, object_id, coalesce(role, ''), coalesce(title, '')) DO NOTHING",
        )
        .execute(conn)
        .await? as i64;
        diesel::sql_query("ANALYZE ends").execute(conn).await?;
        diesel::sql_query(
            "INSERT INTO evidence (relation_id, source_id, method, confidence) \
             SELECT r.id, $1, $2, 1.0 FROM ends JOIN relations r ON r.subject_id = ends.s AND r.predicate = ends.predicate \
             AND r.object_id = ends.o AND r.role IS NULL AND r.title IS NULL \
             ON CONFLICT (relation_id, coalesce(document_id, 0), coalesce(start_offset, -1), method) DO NOTHING",
        )
        .bind::<Nullable<BigInt>, _>(source_id)
        .bind::<Text, _>(&method)
        .execute(conn)
        .await?;
        Ok(new)
    })
    .await
}

/// Tables whose catalogue rows are identified by their slug.
#[derive(Debug, Clone, Copy)]
pub enum SlugTable {
    Services,
    Projects,
    Actors,
}

impl SlugTable {
    fn table(self) -> &'static str {
        match self {
            SlugTable::Services => "services",
            SlugTable::Projects => "projects",
            SlugTable::Actors => "actors",
        }
    }
    fn entity_type(self) -> &'static str {
        match self {
            SlugTable::Services => "service",
            SlugTable::Projects => "project",
            SlugTable::Actors => "actor",
        }
    }
    /// The columns a load writes (besides `id`); the others keep their defaults.
    fn columns(self) -> &'static [&'static str] {
        match self {
            SlugTable::Services => &[
                "kind",
                "name",
                "slug",
                "aliases",
                "ozg_id",
                "leika_key",
                "themenfeld",
                "lebenslage",
                "typisierung",
                "lead_state_code",
                "status",
                "attributes",
            ],
            SlugTable::Projects => {
                &["kind", "name", "slug", "aliases", "state_code", "status", "description", "attributes"]
            }
            SlugTable::Actors => {
                &["kind", "name", "slug", "aliases", "state_code", "ags", "status", "homepage", "attributes"]
            }
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Inserted {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    inserted: bool,
}

/// Upserts rows (JSON objects with the table's column names) by slug; entries of the catalogue
/// that are not listed any more are marked `unlisted_since` (services) or left alone (projects).
pub async fn load_by_slug(
    conn: &mut AsyncPgConnection,
    table: SlugTable,
    catalogue: &str,
    rows: &[serde_json::Value],
) -> Result<LoadCounts> {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            if let Some(map) = r.as_object_mut() {
                let attrs = map.get("attributes").cloned().unwrap_or_else(|| serde_json::json!({}));
                map.insert("attributes".into(), with_catalogue(&attrs, catalogue));
                map.entry("status").or_insert_with(|| serde_json::json!("reference"));
                map.entry("aliases").or_insert_with(|| serde_json::json!([]));
            }
            r
        })
        .collect();
    let catalogue = catalogue.to_owned();
    conn.transaction::<_, Error, _>(async |conn| {
        let t = table.table();
        let cols = table.columns().join(", ");
        // What an editor decided outlives a reload: a status set by hand (a forced confirm or
        // reject) stays, and the aliases added by hand or by a merge stay beside the catalogue's.
        let value = |c: &str| match c {
            "status" => format!("CASE WHEN {t}.status IN ('confirmed', 'rejected') THEN {t}.status ELSE excluded.status END"),
            "aliases" => format!(
                "ARRAY(SELECT a FROM unnest(excluded.aliases || {t}.aliases) WITH ORDINALITY AS u(a, i) \
                 GROUP BY a ORDER BY min(i))"
            ),
            c => format!("excluded.{c}"),
        };
        let updates: Vec<String> =
            table.columns().iter().filter(|c| **c != "slug").map(|c| format!("{c} = {}", value(c))).collect();
        let compare_old: Vec<String> = table.columns().iter().map(|c| format!("{t}.{c}")).collect();
        let compare_new: Vec<String> = table.columns().iter().map(|c| value(c)).collect();
        diesel::sql_query(format!("CREATE TEMP TABLE stage_{t} ON COMMIT DROP AS SELECT * FROM {t} WITH NO DATA"))
            .execute(conn)
            .await?;
        for chunk in rows.chunks(BATCH) {
            diesel::sql_query(format!(
                "INSERT INTO stage_{t} SELECT * FROM jsonb_populate_recordset(NULL::stage_{t}, $1)"
            ))
            .bind::<Jsonb, _>(serde_json::Value::Array(chunk.to_vec()))
            .execute(conn)
            .await?;
        }
        diesel::sql_query(format!("UPDATE stage_{t} s SET id = x.id FROM {t} x WHERE x.slug = s.slug")).execute(conn).await?;
        diesel::sql_query(format!("UPDATE stage_{t} SET id = nextval('entities_id_seq') WHERE id IS NULL")).execute(conn).await?;
        diesel::sql_query(format!(
            "INSERT INTO entities (id, entity_type) SELECT s.id, '{}' FROM stage_{t} s \
             WHERE NOT EXISTS (SELECT 1 FROM {t} x WHERE x.id = s.id)",
            table.entity_type()
        ))
        .execute(conn)
        .await?;
        let changed: Vec<Inserted> = diesel::sql_query(format!(
            "INSERT INTO {t} (id, {cols}) SELECT id, {cols} FROM stage_{t} \
             ON CONFLICT (slug) DO UPDATE SET {}, updated_at = now() \
             WHERE ({}) IS DISTINCT FROM ({}) RETURNING (xmax = 0) AS inserted",
            updates.join(", "),
            compare_old.join(", "),
            compare_new.join(", ")
        ))
        .load(conn)
        .await?;
        let new = changed.iter().filter(|c| c.inserted).count() as i64;
        let updated = changed.len() as i64 - new;
        let total = count(conn, &format!("SELECT count(*) AS n FROM stage_{t}")).await?;
        let removed = match table {
            SlugTable::Services => diesel::sql_query(
                "UPDATE services SET unlisted_since = current_date, updated_at = now() \
                 WHERE attributes->>'catalogue' = $1 AND unlisted_since IS NULL \
                 AND slug NOT IN (SELECT slug FROM stage_services)",
            )
            .bind::<Text, _>(&catalogue)
            .execute(conn)
            .await? as i64,
            SlugTable::Projects | SlugTable::Actors => 0,
        };
        if matches!(table, SlugTable::Services) {
            // a LeiKa service points to the OZG service that bundles it
            diesel::sql_query(
                "UPDATE services s SET bundled_by_id = b.id FROM stage_services st JOIN services b \
                 ON b.slug = st.attributes->>'bundled_by' WHERE s.slug = st.slug AND s.bundled_by_id IS DISTINCT FROM b.id",
            )
            .execute(conn)
            .await?;
        }
        Ok(LoadCounts { new, updated, unchanged: total - new - updated, removed })
    })
    .await
}

/// A publisher of an open-data catalogue.
#[derive(Debug, Clone)]
pub struct Publisher {
    /// The catalogue's id of the organisation (`name` in CKAN).
    pub key: String,
    pub title: String,
    pub state_code: Option<String>,
    pub datasets: i64,
    pub homepage: Option<String>,
    pub description: Option<String>,
}

/// Upserts publishers: a publisher is matched to an existing actor by name or alias (and state)
/// before a new one is made; a new one is an `agency` of status `reference`.
pub async fn load_publishers(conn: &mut AsyncPgConnection, catalogue: &str, rows: &[Publisher]) -> Result<LoadCounts> {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Jsonb)]
        attributes: serde_json::Value,
        #[diesel(sql_type = Nullable<Text>)]
        homepage: Option<String>,
    }
    let catalogue = catalogue.to_owned();
    conn.transaction::<_, Error, _>(async |conn| {
        let mut counts = LoadCounts::default();
        for p in rows {
            let slug = format!("{}-{}", crate::text::slugify(&catalogue), crate::text::slugify(&p.key));
            let found: Option<Found> = diesel::sql_query(
                "SELECT id, attributes, homepage FROM actors WHERE slug = $1 OR ((lower(name) = lower($2) OR $2 = ANY(aliases)) \
                 AND (state_code IS NOT DISTINCT FROM $3 OR $3 IS NULL)) \
                 ORDER BY (slug = $1) DESC, (kind = 'municipality') DESC, id LIMIT 1",
            )
            .bind::<Text, _>(&slug)
            .bind::<Text, _>(&p.title)
            .bind::<Nullable<Text>, _>(&p.state_code)
            .get_result(conn)
            .await
            .optional()?;
            let entry = serde_json::json!({ "key": p.key, "datasets": p.datasets });
            match found {
                Some(f) => {
                    let mut attrs = f.attributes.clone();
                    if !attrs.is_object() {
                        attrs = serde_json::json!({});
                    }
                    attrs["publisher"][&catalogue] = entry;
                    let homepage = f.homepage.clone().or_else(|| p.homepage.clone());
                    if attrs != f.attributes || homepage != f.homepage {
                        diesel::sql_query("UPDATE actors SET attributes = $2, homepage = $3, last_seen = now(), updated_at = now() WHERE id = $1")
                            .bind::<BigInt, _>(f.id)
                            .bind::<Jsonb, _>(attrs)
                            .bind::<Nullable<Text>, _>(homepage)
                            .execute(conn)
                            .await?;
                        counts.updated += 1;
                    } else {
                        counts.unchanged += 1;
                    }
                }
                None => {
                    let id: Count = diesel::sql_query("INSERT INTO entities (entity_type) VALUES ('actor') RETURNING id AS n")
                        .get_result(conn)
                        .await?;
                    diesel::sql_query(
                        "INSERT INTO actors (id, kind, name, slug, state_code, status, homepage, description, attributes, first_seen, last_seen) \
                         VALUES ($1, 'agency', $2, $3, $4, 'reference', $5, $6, $7, now(), now())",
                    )
                    .bind::<BigInt, _>(id.n)
                    .bind::<Text, _>(&p.title)
                    .bind::<Text, _>(&slug)
                    .bind::<Nullable<Text>, _>(&p.state_code)
                    .bind::<Nullable<Text>, _>(&p.homepage)
                    .bind::<Nullable<Text>, _>(&p.description)
                    .bind::<Jsonb, _>(serde_json::json!({ "catalogue": catalogue, "publisher": { &catalogue: entry } }))
                    .execute(conn)
                    .await?;
                    counts.new += 1;
                }
            }
        }
        Ok(counts)
    })
    .await
}
