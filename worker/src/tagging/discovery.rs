//! What no list holds, found by the patterns of German administrative language. Every entity
//! found here is a `candidate`; its key makes the same candidate one entity across documents.
//!
//! - bodies: a quoted name after or ending in a body noun (Lenkungsausschuss „…“, „Kooperationsrat
//!   für …“), acronym compounds (IKT-Rat); later bare uses of the head noun refer back;
//! - organisations: acronym definitions ("Long Name (ACR)"), legal forms (… GmbH, … AöR),
//!   Zweckverband …, Universität …, Ministerium für …;
//! - agreements: Rahmenvereinbarung über …, Vereinbarung zur …, Positionspapier „…“,
//!   …-Strategie des Landes, Gründung der … GmbH; with the date ("vom 9. Januar 2006", "im Jahr
//!   2006", "am Mittwoch" resolved against the publication date); a bare "die Rahmenvereinbarung"
//!   refers to the last one named, "eine erste Rahmenvereinbarung" is an earlier one;
//! - projects: Projekt X, quoted names after platform nouns, "Long (ACR)" of a project;
//! - persons: a title next to a name ("Finanzstaatssekretär Michael Richter", "Sven Schulze,
//!   Bürgermeister der Stadt Chemnitz", "die Landrätin des Landkreises X, Kerstin Weiss"), with the
//!   position they hold (`holds_position`, the title, the organisation).

use govgraph_shared::analysis::{EntityType, FoundEntity, Status};
use govgraph_shared::text::slugify;
use regex::Regex;

use super::analysis::Doc;
use super::{agreements, bodies, organisations, persons, projects};

/// Runs every kind of discovery, in an order where later kinds see what earlier ones found.
pub fn run(doc: &mut Doc) {
    bodies::bodies(doc);
    organisations::organisations(doc);
    projects::projects(doc);
    agreements::agreements(doc);
    persons::persons(doc);
}

pub(super) fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

pub(crate) fn candidate(
    name: &str,
    entity_type: EntityType,
    kind: &str,
    state: Option<String>,
    rule: &str,
) -> FoundEntity {
    let scope = match (entity_type, kind) {
        (EntityType::Actor, "person") => String::new(),
        _ => state.clone().unwrap_or_default().to_lowercase(),
    };
    FoundEntity {
        id: None,
        name: name.to_owned(),
        entity_type,
        kind: kind.to_owned(),
        state,
        status: Status::Candidate,
        key: format!("{kind}-{}{}{scope}", slugify(name), if scope.is_empty() { "" } else { "-" }),
        aliases: Vec::new(),
        title: None,
        date: None,
        mentions: Vec::new(),
        method: format!("pattern:{rule}"),
    }
}
