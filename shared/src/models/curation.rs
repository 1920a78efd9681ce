//! What an editor changes through the API: confirming or rejecting candidates, aliases, merges,
//! sources and harvests. Every change runs in one transaction with its line in `audit_log` (who,
//! what, on which node, with the details), so the log and the graph never disagree.

use diesel::OptionalExtension;
use diesel::sql_types::{BigInt, Jsonb, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::{Error, Result};

async fn audit(conn: &mut AsyncPgConnection, who: &str, action: &str, target: &str, details: Value) -> Result<()> {
    diesel::sql_query("INSERT INTO audit_log (who, action, target, details) VALUES ($1, $2, $3, $4)")
        .bind::<Text, _>(who)
        .bind::<Text, _>(action)
        .bind::<Text, _>(target)
        .bind::<Jsonb, _>(details)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct TypeRow {
    #[diesel(sql_type = Text)]
    entity_type: String,
}

async fn entity_type(conn: &mut AsyncPgConnection, id: i64) -> Result<Option<String>> {
    let row: Option<TypeRow> = diesel::sql_query("SELECT entity_type FROM entities WHERE id = $1")
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .await
        .optional()?;
    Ok(row.map(|r| r.entity_type))
}

fn table(entity_type: &str) -> Option<&'static str> {
    match entity_type {
        "actor" => Some("actors"),
        "project" => Some("projects"),
        "agreement" => Some("agreements"),
        "service" => Some("services"),
        _ => None,
    }
}

/// Sets the status of a node (`confirmed`, `rejected`); false when there is no such node.
pub async fn set_status(conn: &mut AsyncPgConnection, who: &str, id: i64, status: &str) -> Result<bool> {
    conn.transaction::<_, Error, _>(async |conn| {
        let Some(t) = entity_type(conn, id).await?.as_deref().and_then(table) else { return Ok(false) };
        diesel::sql_query(format!("UPDATE {t} SET status = $2, updated_at = now() WHERE id = $1"))
            .bind::<BigInt, _>(id)
            .bind::<Text, _>(status)
            .execute(conn)
            .await?;
        diesel::sql_query("UPDATE entities SET updated_at = now() WHERE id = $1")
            .bind::<BigInt, _>(id)
            .execute(conn)
            .await?;
        audit(conn, who, &format!("set_status:{status}"), &id.to_string(), json!({ "table": t })).await?;
        Ok(true)
    })
    .await
}

/// Sets the status of a relation; false when there is no such relation.
pub async fn set_relation_status(conn: &mut AsyncPgConnection, who: &str, id: i64, status: &str) -> Result<bool> {
    conn.transaction::<_, Error, _>(async |conn| {
        let n = diesel::sql_query("UPDATE relations SET status = $2, updated_at = now() WHERE id = $1")
            .bind::<BigInt, _>(id)
            .bind::<Text, _>(status)
            .execute(conn)
            .await?;
        if n > 0 {
            audit(conn, who, &format!("set_relation_status:{status}"), &format!("relation:{id}"), json!({})).await?;
        }
        Ok(n > 0)
    })
    .await
}

/// Adds an alias to a node; false when there is no such node.
pub async fn add_alias(conn: &mut AsyncPgConnection, who: &str, id: i64, alias: &str) -> Result<bool> {
    conn.transaction::<_, Error, _>(async |conn| {
        let Some(t) = entity_type(conn, id).await?.as_deref().and_then(table) else { return Ok(false) };
        diesel::sql_query(format!(
            "UPDATE {t} SET aliases = array_append(aliases, $2), updated_at = now() \
             WHERE id = $1 AND NOT ($2 = ANY(aliases))"
        ))
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(alias)
        .execute(conn)
        .await?;
        audit(conn, who, "add_alias", &id.to_string(), json!({ "alias": alias })).await?;
        Ok(true)
    })
    .await
}

/// Merges actor `loser` into `survivor`: the loser's name and aliases become aliases of the
/// survivor, its edges, evidence and mentions move, and it stays as a tombstone pointing to the
/// survivor (its id resolves there).
pub async fn merge_actors(conn: &mut AsyncPgConnection, who: &str, survivor: i64, loser: i64) -> Result<()> {
    conn.transaction::<_, Error, _>(async |conn| {
        for (id, side) in [(survivor, "survivor"), (loser, "loser")] {
            if entity_type(conn, id).await?.as_deref() != Some("actor") {
                return Err(Error::Config(format!("the {side} is not an actor")));
            }
        }
        diesel::sql_query(
            "UPDATE actors s SET aliases = (SELECT array_agg(DISTINCT a) FROM unnest(s.aliases || l.name || l.aliases) a \
             WHERE a <> s.name), updated_at = now() FROM actors l WHERE s.id = $1 AND l.id = $2",
        )
        .bind::<BigInt, _>(survivor)
        .bind::<BigInt, _>(loser)
        .execute(conn)
        .await?;
        // edges: move what does not exist on the survivor yet, fold the rest's evidence into it
        for (col, other) in [("subject_id", "object_id"), ("object_id", "subject_id")] {
            diesel::sql_query(format!(
                "UPDATE evidence ev SET relation_id = keep.id FROM relations gone, relations keep \
                 WHERE ev.relation_id = gone.id AND gone.{col} = $2 AND keep.{col} = $1 AND keep.{other} = gone.{other} \
                 AND keep.predicate = gone.predicate AND coalesce(keep.role, '') = coalesce(gone.role, '') \
                 AND coalesce(keep.title, '') = coalesce(gone.title, '') \
                 AND NOT EXISTS (SELECT 1 FROM evidence e2 WHERE e2.relation_id = keep.id \
                   AND coalesce(e2.document_id, 0) = coalesce(ev.document_id, 0) \
                   AND coalesce(e2.start_offset, -1) = coalesce(ev.start_offset, -1) AND e2.method = ev.method)"
            ))
            .bind::<BigInt, _>(survivor)
            .bind::<BigInt, _>(loser)
            .execute(conn)
            .await?;
            diesel::sql_query(format!(
                "DELETE FROM relations gone USING relations keep WHERE gone.{col} = $2 AND keep.{col} = $1 \
                 AND keep.{other} = gone.{other} AND keep.predicate = gone.predicate \
                 AND coalesce(keep.role, '') = coalesce(gone.role, '') AND coalesce(keep.title, '') = coalesce(gone.title, '')"
            ))
            .bind::<BigInt, _>(survivor)
            .bind::<BigInt, _>(loser)
            .execute(conn)
            .await?;
            diesel::sql_query(format!("UPDATE relations SET {col} = $1, updated_at = now() WHERE {col} = $2"))
                .bind::<BigInt, _>(survivor)
                .bind::<BigInt, _>(loser)
                .execute(conn)
                .await?;
        }
        diesel::sql_query(
            "UPDATE mentions m SET entity_id = $1 WHERE entity_id = $2 AND NOT EXISTS (SELECT 1 FROM mentions k \
             WHERE k.document_id = m.document_id AND k.entity_id = $1 AND k.start_offset = m.start_offset)",
        )
        .bind::<BigInt, _>(survivor)
        .bind::<BigInt, _>(loser)
        .execute(conn)
        .await?;
        diesel::sql_query("DELETE FROM mentions WHERE entity_id = $1").bind::<BigInt, _>(loser).execute(conn).await?;
        diesel::sql_query("UPDATE entities SET merged_into = $1, updated_at = now() WHERE id = $2")
            .bind::<BigInt, _>(survivor)
            .bind::<BigInt, _>(loser)
            .execute(conn)
            .await?;
        diesel::sql_query("UPDATE entities SET updated_at = now() WHERE id = $1")
            .bind::<BigInt, _>(survivor)
            .execute(conn)
            .await?;
        audit(conn, who, "merge_actors", &survivor.to_string(), json!({ "merged": loser })).await?;
        Ok(())
    })
    .await
}

/// Adds or updates a source from its configuration; returns its id.
pub async fn put_source(
    conn: &mut AsyncPgConnection,
    who: &str,
    cfg: &crate::sources_config::SourceConfig,
) -> Result<i64> {
    conn.transaction::<_, Error, _>(async |conn| {
        let source = super::Source::upsert_from(conn, cfg, super::source::ORIGIN_API).await?;
        audit(conn, who, "put_source", &cfg.name, json!({ "kind": cfg.kind.as_str(), "url": cfg.url })).await?;
        Ok(source.id)
    })
    .await
}

/// Enables or disables a source; false when there is no such source.
pub async fn set_source_enabled(conn: &mut AsyncPgConnection, who: &str, name: &str, enabled: bool) -> Result<bool> {
    conn.transaction::<_, Error, _>(async |conn| {
        let n = diesel::sql_query("UPDATE sources SET enabled = $2, updated_at = now() WHERE name = $1")
            .bind::<Text, _>(name)
            .bind::<diesel::sql_types::Bool, _>(enabled)
            .execute(conn)
            .await?;
        if n > 0 {
            audit(conn, who, if enabled { "enable_source" } else { "disable_source" }, name, json!({})).await?;
        }
        Ok(n > 0)
    })
    .await
}

/// Queues a harvest of a source for the workers; false when one is queued or running already.
pub async fn request_harvest(conn: &mut AsyncPgConnection, who: &str, name: &str) -> Result<bool> {
    conn.transaction::<_, Error, _>(async |conn| {
        let queued = super::Job::enqueue_harvest(conn, name).await?;
        audit(conn, who, "request_harvest", name, json!({ "queued": queued })).await?;
        Ok(queued)
    })
    .await
}

/// One line of the audit log.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct AuditEntry {
    #[diesel(sql_type = Text)]
    pub who: String,
    #[diesel(sql_type = Text)]
    pub action: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    pub target: Option<String>,
    #[diesel(sql_type = Jsonb)]
    pub details: Value,
    #[diesel(sql_type = diesel::sql_types::Timestamptz)]
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The newest lines of the audit log.
pub async fn audit_log(conn: &mut AsyncPgConnection, limit: i64) -> Result<Vec<AuditEntry>> {
    Ok(diesel::sql_query("SELECT who, action, target, details, at FROM audit_log ORDER BY id DESC LIMIT $1")
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?)
}
