//! The reference data shipped with govgraph (`shared/data/`), loaded into the database at start.
//! Loading is an upsert: a second load changes nothing, an edited file updates the rows.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;

use crate::schema::{entities, states};
use crate::{Error, Result};

const STATES_FILE: &str = "shared/data/states.toml";
const STATES_TOML: &str = include_str!("../data/states.toml");

/// One state as the data file describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateEntry {
    pub code: String,
    pub name: String,
    pub ags_prefix: Option<String>,
    pub capital: Option<String>,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub adjectives: Vec<String>,
}

#[derive(Deserialize)]
struct StatesFile {
    state: Vec<StateEntry>,
}

/// The states of `shared/data/states.toml` (16 Länder and DE).
pub fn states() -> Result<Vec<StateEntry>> {
    let file: StatesFile =
        toml::from_str(STATES_TOML).map_err(|e| Error::Reference { file: STATES_FILE, reason: e.to_string() })?;
    Ok(file.state)
}

/// Loads all reference data; idempotent.
pub async fn load(conn: &mut AsyncPgConnection) -> Result<()> {
    let entries = states()?;
    conn.transaction::<_, Error, _>(async |conn| {
        for s in &entries {
            upsert_state(conn, s).await?;
        }
        Ok(())
    })
    .await
}

async fn upsert_state(conn: &mut AsyncPgConnection, s: &StateEntry) -> Result<()> {
    let existing: Option<i64> = states::table.find(&s.code).select(states::entity_id).first(conn).await.optional()?;
    match existing {
        Some(_) => {
            diesel::update(states::table.find(&s.code))
                .set((
                    states::name.eq(&s.name),
                    states::ags_prefix.eq(&s.ags_prefix),
                    states::capital.eq(&s.capital),
                    states::names.eq(&s.names),
                    states::adjectives.eq(&s.adjectives),
                ))
                .execute(conn)
                .await?;
        }
        None => {
            let entity_id: i64 = diesel::insert_into(entities::table)
                .values(entities::entity_type.eq("state"))
                .returning(entities::id)
                .get_result(conn)
                .await?;
            diesel::insert_into(states::table)
                .values((
                    states::code.eq(&s.code),
                    states::entity_id.eq(entity_id),
                    states::name.eq(&s.name),
                    states::ags_prefix.eq(&s.ags_prefix),
                    states::capital.eq(&s.capital),
                    states::names.eq(&s.names),
                    states::adjectives.eq(&s.adjectives),
                ))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_states_file_has_sixteen_laender_and_the_federal_level() {
        let states = super::states().unwrap();
        assert_eq!(states.len(), 17);
        assert_eq!(states.iter().filter(|s| s.ags_prefix.is_some()).count(), 16);
        assert!(states.iter().any(|s| s.code == "DE"));
    }
}
