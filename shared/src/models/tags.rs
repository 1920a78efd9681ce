//! Storing what the tagging pipeline read out of a document ([`crate::analysis::Analysis`]):
//! candidates become entities (one per key, across documents), mentions replace the document's
//! earlier mentions, relations are upserted and get this document's sentences as evidence. All in
//! one transaction per document, so a re-tag replaces and never duplicates.

use diesel::sql_types::{Array, BigInt, Date, Float4, Int4, Jsonb, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::analysis::{Analysis, EntityType, FoundEntity, Status};
use crate::{Error, Result};

/// What storing one analysis changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TagCounts {
    pub mentions: usize,
    pub relations: usize,
    pub new_entities: usize,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn table_of(t: EntityType) -> (&'static str, &'static str, &'static str) {
    match t {
        EntityType::Actor => ("actors", "actor", "name"),
        EntityType::Project => ("projects", "project", "name"),
        EntityType::Agreement => ("agreements", "agreement", "title"),
        EntityType::Service => ("services", "service", "name"),
    }
}

/// The node of an entity: its id, or the row with its key as slug, or (a candidate) a new row.
async fn resolve(conn: &mut AsyncPgConnection, e: &FoundEntity, new: &mut usize) -> Result<Option<i64>> {
    if let Some(id) = e.id {
        return Ok(Some(id));
    }
    let (table, entity_type, name_col) = table_of(e.entity_type);
    let found: Option<Id> = if let Some(ags) = e.key.strip_prefix("ags:") {
        diesel::sql_query("SELECT id FROM actors WHERE ags = $1 AND kind = $2 LIMIT 1")
            .bind::<Text, _>(ags)
            .bind::<Text, _>(&e.kind)
            .get_result(conn)
            .await
            .ok()
    } else if e.entity_type == EntityType::Service {
        diesel::sql_query("SELECT id FROM services WHERE slug = $1").bind::<Text, _>(&e.key).get_result(conn).await.ok()
    } else {
        diesel::sql_query(format!("UPDATE {table} SET last_seen = now() WHERE slug = $1 RETURNING id"))
            .bind::<Text, _>(&e.key)
            .get_result(conn)
            .await
            .ok()
    };
    if let Some(f) = found {
        return Ok(Some(f.id));
    }
    if e.status == Status::Reference {
        return Ok(None); // a reference entry the database does not hold (yet): nothing to link
    }
    let id: Id = diesel::sql_query(format!("INSERT INTO entities (entity_type) VALUES ('{entity_type}') RETURNING id"))
        .get_result(conn)
        .await?;
    let attributes = serde_json::json!({ "title": e.title, "date": e.date, "found_by": e.method });
    let date = e.date.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let state = e.state.as_deref().filter(|s| s.len() == 2);
    if e.entity_type == EntityType::Agreement {
        diesel::sql_query(
            "INSERT INTO agreements (id, kind, title, slug, aliases, state_code, status, attributes, date_signed, \
             first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $6, 'candidate', $7, $8, now(), now())",
        )
        .bind::<BigInt, _>(id.id)
        .bind::<Text, _>(&e.kind)
        .bind::<Text, _>(&e.name)
        .bind::<Text, _>(&e.key)
        .bind::<Array<Text>, _>(&e.aliases)
        .bind::<Nullable<Text>, _>(state)
        .bind::<Jsonb, _>(attributes)
        .bind::<Nullable<Date>, _>(date)
        .execute(conn)
        .await?;
    } else {
        diesel::sql_query(format!(
            "INSERT INTO {table} (id, kind, {name_col}, slug, aliases, state_code, status, attributes, first_seen, \
             last_seen) VALUES ($1, $2, $3, $4, $5, $6, 'candidate', $7, now(), now())"
        ))
        .bind::<BigInt, _>(id.id)
        .bind::<Text, _>(&e.kind)
        .bind::<Text, _>(&e.name)
        .bind::<Text, _>(&e.key)
        .bind::<Array<Text>, _>(&e.aliases)
        .bind::<Nullable<Text>, _>(state)
        .bind::<Jsonb, _>(attributes)
        .execute(conn)
        .await?;
    }
    *new += 1;
    Ok(Some(id.id))
}

/// The mention methods the tagger owns (replaced on every tagging of a document).
const TAGGER_METHODS: &str = "method LIKE 'gazetteer:%' OR method LIKE 'context:%' OR method LIKE 'pattern:%'";

/// Stores the analysis of a document, replacing what an earlier tagging stored for it.
pub async fn store(conn: &mut AsyncPgConnection, document_id: i64, analysis: &Analysis) -> Result<TagCounts> {
    conn.transaction::<_, Error, _>(async |conn| {
        let mut counts = TagCounts::default();
        let mut ids = Vec::with_capacity(analysis.entities.len());
        for e in &analysis.entities {
            ids.push(resolve(conn, e, &mut counts.new_entities).await?);
        }
        diesel::sql_query(format!("DELETE FROM mentions WHERE document_id = $1 AND ({TAGGER_METHODS})"))
            .bind::<BigInt, _>(document_id)
            .execute(conn)
            .await?;
        for (e, id) in analysis.entities.iter().zip(&ids) {
            let Some(id) = id else { continue };
            for m in &e.mentions {
                counts.mentions += diesel::sql_query(
                    "INSERT INTO mentions (document_id, entity_id, surface, start_offset, end_offset, method, confidence) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                )
                .bind::<BigInt, _>(document_id)
                .bind::<BigInt, _>(id)
                .bind::<Text, _>(&m.text)
                .bind::<Int4, _>(m.start as i32)
                .bind::<Int4, _>(m.end as i32)
                .bind::<Text, _>(&e.method)
                .bind::<Float4, _>(if e.status == Status::Reference { 0.9 } else { 0.6 })
                .execute(conn)
                .await?;
            }
        }
        diesel::sql_query("DELETE FROM evidence WHERE document_id = $1 AND method LIKE 'pattern:%'")
            .bind::<BigInt, _>(document_id)
            .execute(conn)
            .await?;
        for r in &analysis.relations {
            let (Some(s), Some(o)) = (ids[r.subject], ids[r.object]) else { continue };
            let rel: Id = diesel::sql_query(
                "INSERT INTO relations (subject_id, predicate, object_id, role, title, valid_from, confidence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (subject_id, predicate, object_id, coalesce(role, ''), coalesce(title, '')) \
                 DO UPDATE SET updated_at = now(), deleted_at = NULL, \
                   confidence = greatest(relations.confidence, excluded.confidence) RETURNING id",
            )
            .bind::<BigInt, _>(s)
            .bind::<Text, _>(r.predicate)
            .bind::<BigInt, _>(o)
            .bind::<Nullable<Text>, _>(r.role)
            .bind::<Nullable<Text>, _>(r.title.as_deref())
            .bind::<Nullable<Date>, _>(r.date.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))
            .bind::<Float4, _>(r.confidence)
            .get_result(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO evidence (relation_id, document_id, sentence, start_offset, end_offset, method, confidence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind::<BigInt, _>(rel.id)
            .bind::<BigInt, _>(document_id)
            .bind::<Text, _>(&r.evidence.text)
            .bind::<Int4, _>(r.evidence.start as i32)
            .bind::<Int4, _>(r.evidence.end as i32)
            .bind::<Text, _>(&r.method)
            .bind::<Float4, _>(r.confidence)
            .execute(conn)
            .await?;
            counts.relations += 1;
        }
        // a candidate edge no document supports any more is gone
        diesel::sql_query(
            "DELETE FROM relations r WHERE r.status = 'candidate' \
             AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.relation_id = r.id)",
        )
        .execute(conn)
        .await?;
        Ok(counts)
    })
    .await
}

/// A row of the gazetteer: a named node with its kind, state, aliases and context forms.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct GazetteerRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub entity_type: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub slug: String,
    #[diesel(sql_type = Array<Text>)]
    pub aliases: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub state_code: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub context: Vec<String>,
}

impl GazetteerRow {
    /// The reference actors and projects (not the register's places, which have their own
    /// gazetteer) and the OZG services and Themenfelder.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<GazetteerRow>> {
        let context = "coalesce(ARRAY(SELECT jsonb_array_elements_text(attributes->'context')), '{}')";
        Ok(diesel::sql_query(format!(
            "SELECT id, 'actor' AS entity_type, kind, name, slug, aliases, state_code, {context} AS context \
               FROM actors WHERE status = 'reference' AND attributes->>'catalogue' = 'reference' \
             UNION ALL \
             SELECT id, 'project', kind, name, slug, aliases, state_code, {context} FROM projects \
               WHERE status = 'reference' \
             UNION ALL \
             SELECT id, 'service', 'service', name, slug, aliases, NULL, '{{}}'::text[] FROM services \
               WHERE kind = 'ozg' AND unlisted_since IS NULL \
             ORDER BY 1"
        ))
        .load(conn)
        .await?)
    }
}
