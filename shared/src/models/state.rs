use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::states;

/// A Land, or DE for the federal level.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = states)]
pub struct State {
    pub code: String,
    pub entity_id: i64,
    pub name: String,
    pub ags_prefix: Option<String>,
    pub capital: Option<String>,
    pub names: Vec<String>,
    pub adjectives: Vec<String>,
}

impl State {
    /// All states, the Länder in AGS order, then DE.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<State>> {
        Ok(states::table
            .select(State::as_select())
            .order((states::ags_prefix.asc().nulls_last(), states::code.asc()))
            .load(conn)
            .await?)
    }

    pub async fn find_by_code(conn: &mut AsyncPgConnection, code: &str) -> Result<Option<State>> {
        Ok(states::table.find(code).select(State::as_select()).first(conn).await.optional()?)
    }
}
