use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::schema::actors;

/// A municipality or district as the place gazetteer needs it.
#[derive(Debug, Clone, Queryable)]
pub struct PlaceEntry {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub ags: Option<String>,
    pub state_code: Option<String>,
    /// Destatis' type ("Landkreis", "Kreisfreie Stadt", "Stadt", ...).
    pub type_label: Option<String>,
}

impl PlaceEntry {
    /// The listed municipalities and districts.
    pub async fn all(conn: &mut AsyncPgConnection) -> Result<Vec<PlaceEntry>> {
        Ok(actors::table
            .filter(actors::kind.eq_any(["municipality", "district"]))
            .filter(actors::unlisted_since.is_null())
            .select((
                actors::id,
                actors::kind,
                actors::name,
                actors::ags,
                actors::state_code,
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>("attributes->>'type'"),
            ))
            .load(conn)
            .await?)
    }
}
