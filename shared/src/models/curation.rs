//! What an editor changes through the API: confirming or rejecting candidates, aliases, merges,
//! sources and harvests. Every change runs in one transaction with its line in `audit_log` (who,
//! what, on which node, with the details), so the log and the graph never disagree.

use diesel::OptionalExtension;
use diesel::sql_types::{BigInt, Jsonb, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Value, json};

use crate::ids::{ActorId, EntityId, KindId, RelationId};
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

/// Why a change to a node was not made (besides the database failing).
#[derive(Debug, thiserror::Error)]
pub enum CurationError {
    /// No row of the id's table has the id (a kind id of another kind is not found either).
    #[error("there is no {table} row {id}")]
    NotFound { table: &'static str, id: EntityId },
    /// A reference node (the reference data, a register's unit) would be rejected, confirmed
    /// away from `reference` or merged away: that needs `force`.
    #[error("`{name}` is a reference node (reference data or a register's unit): {what} needs `force: true`")]
    Reference { name: String, what: &'static str },
    #[error("an actor cannot be merged into itself")]
    SelfMerge,
    #[error(transparent)]
    Db(#[from] Error),
}

impl From<diesel::result::Error> for CurationError {
    fn from(e: diesel::result::Error) -> Self {
        CurationError::Db(e.into())
    }
}

#[derive(diesel::QueryableByName)]
struct KindRow {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The status of the nodes that the reference data and the registers load.
pub const REFERENCE: &str = "reference";

/// The row of a node, locked for the rest of the transaction. It must be of the id's kind, not
/// merely share its number with a row of another table.
async fn lock(conn: &mut AsyncPgConnection, id: KindId) -> Result<KindRow, CurationError> {
    let name = if matches!(id, KindId::Agreement(_)) { "title" } else { "name" };
    let row: Option<KindRow> = diesel::sql_query(format!(
        "SELECT k.status, k.{name} AS name FROM {} k JOIN entities e ON e.id = k.id \
         WHERE k.id = $1 AND e.entity_type = $2 FOR UPDATE OF k",
        id.table()
    ))
    .bind::<BigInt, _>(id.entity())
    .bind::<Text, _>(id.entity_type())
    .get_result(conn)
    .await
    .optional()?;
    row.ok_or(CurationError::NotFound { table: id.table(), id: id.entity() })
}

/// Locks a node that `what` would change, refusing a reference node without `force`; true when
/// a reference node is forced.
async fn guard(
    conn: &mut AsyncPgConnection,
    id: KindId,
    force: bool,
    what: &'static str,
) -> Result<bool, CurationError> {
    let row = lock(conn, id).await?;
    match (row.status == REFERENCE, force) {
        (false, _) => Ok(false),
        (true, true) => Ok(true),
        (true, false) => Err(CurationError::Reference { name: row.name, what }),
    }
}

/// Sets the status of a node (`confirmed`, `rejected`, `candidate`). A reference node changes
/// only with `force` (its status takes it out of the reference data the gazetteer reads); the
/// audit line says whether it was forced.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    who: &str,
    id: KindId,
    status: crate::vocab::Status,
    force: bool,
) -> Result<(), CurationError> {
    conn.transaction::<_, CurationError, _>(async |conn| {
        let forced = guard(conn, id, force, "changing its status").await?;
        diesel::sql_query(format!("UPDATE {} SET status = $2, updated_at = now() WHERE id = $1", id.table()))
            .bind::<BigInt, _>(id.entity())
            .bind::<Text, _>(status)
            .execute(conn)
            .await?;
        diesel::sql_query("UPDATE entities SET updated_at = now() WHERE id = $1")
            .bind::<BigInt, _>(id.entity())
            .execute(conn)
            .await?;
        let details = json!({ "table": id.table(), "forced": forced });
        audit(conn, who, &format!("set_status:{status}"), &id.to_string(), details).await?;
        Ok(())
    })
    .await
}

/// Sets the status of a relation; false when there is no such relation.
pub async fn set_relation_status(
    conn: &mut AsyncPgConnection,
    who: &str,
    id: RelationId,
    status: crate::vocab::Status,
) -> Result<bool> {
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

/// Adds an alias to a node. An alias is not a rename (the name stays), so a reference node takes
/// one without `force`.
pub async fn add_alias(conn: &mut AsyncPgConnection, who: &str, id: KindId, alias: &str) -> Result<(), CurationError> {
    conn.transaction::<_, CurationError, _>(async |conn| {
        lock(conn, id).await?;
        diesel::sql_query(format!(
            "UPDATE {} SET aliases = array_append(aliases, $2), updated_at = now() \
             WHERE id = $1 AND NOT ($2 = ANY(aliases))",
            id.table()
        ))
        .bind::<BigInt, _>(id.entity())
        .bind::<Text, _>(alias)
        .execute(conn)
        .await?;
        audit(conn, who, "add_alias", &id.to_string(), json!({ "alias": alias, "forced": false })).await?;
        Ok(())
    })
    .await
}

/// Merges actor `loser` into `survivor`: the loser's name and aliases become aliases of the
/// survivor, its edges, evidence and mentions move, and it stays as a tombstone pointing to the
/// survivor (its id resolves there). A reference actor is merged away only with `force`.
pub async fn merge_actors(
    conn: &mut AsyncPgConnection,
    who: &str,
    survivor: ActorId,
    loser: ActorId,
    force: bool,
) -> Result<(), CurationError> {
    if survivor == loser {
        return Err(CurationError::SelfMerge);
    }
    conn.transaction::<_, CurationError, _>(async |conn| {
        // both rows locked in the order of their ids (two merges never wait for each other in a
        // circle); the survivor keeps its name, so a reference actor survives without force
        let what = "merging it into another actor";
        let forced = if survivor < loser {
            lock(conn, survivor.into()).await?;
            guard(conn, loser.into(), force, what).await?
        } else {
            let forced = guard(conn, loser.into(), force, what).await?;
            lock(conn, survivor.into()).await?;
            forced
        };
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
        audit(conn, who, "merge_actors", &survivor.to_string(), json!({ "merged": loser, "forced": forced })).await?;
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
        let source = super::Source::upsert_from(conn, cfg, super::source::SourceOrigin::Api).await?;
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
