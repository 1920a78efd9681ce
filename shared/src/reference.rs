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

/// The files of reference entries (`shared/data/reference/`): actors and projects a document may
/// name, each with a stable key, aliases, and the short forms that mean it only in a document
/// about its state.
const ENTRY_FILES: &[(&str, &str)] = &[
    ("shared/data/reference/governments.toml", include_str!("../data/reference/governments.toml")),
    ("shared/data/reference/ministries.toml", include_str!("../data/reference/ministries.toml")),
    ("shared/data/reference/associations.toml", include_str!("../data/reference/associations.toml")),
    ("shared/data/reference/it_providers.toml", include_str!("../data/reference/it_providers.toml")),
    ("shared/data/reference/bodies.toml", include_str!("../data/reference/bodies.toml")),
    ("shared/data/reference/projects.toml", include_str!("../data/reference/projects.toml")),
];

/// One reference entry: an actor (government, ministry, association, IT service provider, agency,
/// body) or a project (programme, platform, portal, network).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEntry {
    pub key: String,
    pub name: String,
    #[serde(rename = "type")]
    pub entry_type: String,
    pub kind: String,
    pub state: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Short forms that mean this entry only in a document about its state; `[...]` marks the part
    /// of a longer form that is the mention ("[Land] und Kommunen").
    #[serde(default)]
    pub context: Vec<String>,
    pub homepage: Option<String>,
    pub note: Option<String>,
    /// Where the entry's facts come from (the official website, or the page that states them).
    pub source: String,
    /// Names the entry bore before ("Ministerium für Inneres, Digitalisierung und Migration" until
    /// 2021): ministries are renamed with every coalition. [`entries`] adds them to `aliases`, so a
    /// text of any year finds the one node.
    #[serde(default)]
    pub former: Vec<FormerName>,
    /// The keys of the entries that own or carry it (the Länder behind Dataport).
    #[serde(default)]
    pub owners: Vec<String>,
}

/// A former name and the year it was given up (and, where known, the year it was taken).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormerName {
    pub name: String,
    pub until: u16,
    pub from: Option<u16>,
}

impl ReferenceEntry {
    /// The canonical name and every alias (former names included once [`entries`] has run).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Deserialize)]
struct EntryFile {
    #[serde(default)]
    entry: Vec<ReferenceEntry>,
}

const ACTOR_KINDS: &[&str] = &[
    "government",
    "ministry",
    "municipality",
    "district",
    "municipal_association",
    "it_service_provider",
    "company",
    "agency",
    "university",
    "body",
    "person",
    "group",
    "association",
    "region",
    "other",
];
const PROJECT_KINDS: &[&str] = &["project", "platform", "programme", "network", "ozg_themenfeld", "portal", "other"];

/// All reference entries, checked: unique keys, known types, kinds and state codes.
pub fn entries() -> Result<Vec<ReferenceEntry>> {
    let codes: Vec<String> = states()?.into_iter().map(|s| s.code).collect();
    let mut out: Vec<ReferenceEntry> = Vec::new();
    let mut keys = std::collections::HashSet::new();
    for (file, text) in ENTRY_FILES {
        let parsed: EntryFile = toml::from_str(text).map_err(|e| Error::Reference { file, reason: e.to_string() })?;
        for e in parsed.entry {
            let bad = |reason: String| Error::Reference { file, reason: format!("entry `{}`: {reason}", e.key) };
            let kinds = match e.entry_type.as_str() {
                "actor" => ACTOR_KINDS,
                "project" => PROJECT_KINDS,
                other => return Err(bad(format!("unknown type `{other}` (actor or project)"))),
            };
            if !kinds.contains(&e.kind.as_str()) {
                return Err(bad(format!("unknown {} kind `{}`", e.entry_type, e.kind)));
            }
            if let Some(state) = &e.state
                && !codes.contains(state)
            {
                return Err(bad(format!("unknown state `{state}`")));
            }
            if !keys.insert(e.key.clone()) {
                return Err(bad("the key is used twice".into()));
            }
            if !e.source.starts_with("https://") {
                return Err(bad(format!("the source `{}` is not an https URL", e.source)));
            }
            if let Some(f) =
                e.former.iter().find(|f| !(1949..=2100).contains(&f.until) || f.from.is_some_and(|y| y > f.until))
            {
                return Err(bad(format!("former name `{}`: implausible years", f.name)));
            }
            let mut e = e;
            for f in &e.former {
                if f.name != e.name && !e.aliases.contains(&f.name) {
                    e.aliases.push(f.name.clone());
                }
            }
            out.push(e);
        }
    }
    if let Some((e, owner)) = out.iter().find_map(|e| e.owners.iter().find(|o| !keys.contains(*o)).map(|o| (e, o))) {
        return Err(Error::Reference {
            file: "shared/data/reference",
            reason: format!("entry `{}`: unknown owner `{owner}`", e.key),
        });
    }
    Ok(out)
}

/// Loads the reference entries as `reference` actors and projects (slug = key); idempotent.
pub async fn load_entries(conn: &mut AsyncPgConnection) -> Result<crate::models::catalog::LoadCounts> {
    use crate::models::catalog::{SlugTable, load_by_slug};
    let all = entries()?;
    let row = |e: &ReferenceEntry| {
        serde_json::json!({
            "kind": e.kind, "name": e.name, "slug": e.key, "aliases": e.aliases, "state_code": e.state,
            "homepage": e.homepage, "description": e.note,
            "attributes": { "context": e.context, "source": e.source, "former": e.former, "owners": e.owners },
        })
    };
    let actors: Vec<_> = all.iter().filter(|e| e.entry_type == "actor").map(row).collect();
    let projects: Vec<_> = all.iter().filter(|e| e.entry_type == "project").map(row).collect();
    let mut counts = load_by_slug(conn, SlugTable::Actors, "reference", &actors).await?;
    let p = load_by_slug(conn, SlugTable::Projects, "reference", &projects).await?;
    counts.new += p.new;
    counts.updated += p.updated;
    counts.unchanged += p.unchanged;
    Ok(counts)
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
    .await?;
    load_entries(conn).await?;
    Ok(())
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
