//! Discovery of projects: see [`super::discovery`] for the rules of every kind.

#![allow(unused_imports)]
use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use govgraph_shared::analysis::{EntityType, FoundEntity, FoundRelation, Status};
use govgraph_shared::text::slugify;
use regex::Regex;

#[allow(unused_imports)]
use super::agreements::*;
use super::analysis::Doc;
#[allow(unused_imports)]
use super::bodies::*;
use super::discovery::*;
#[allow(unused_imports)]
use super::organisations::*;
#[allow(unused_imports)]
use super::persons::*;

pub(super) static PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:Projekt|Projekts|Projektes|Vorhaben|Programm|Programms|Initiative|Plattform|App|Portal|Netzwerk)\s+(?:„([^“]{2,60})“|([A-ZÄÖÜ][a-zäöü]*[A-Z0-9][\w\-]*))",
    )
});

pub(super) fn projects(doc: &mut Doc) {
    let text = doc.text;
    for c in PROJECT.captures_iter(text) {
        let Some(name) = c.get(1).or(c.get(2)) else { continue };
        if doc.covered(name.start(), name.end()).is_some() {
            continue;
        }
        let state = doc.state_at(name.start());
        let i = doc.entity(candidate(name.as_str().trim(), EntityType::Project, "project", state, "project"));
        doc.mention(i, name.start(), name.end());
    }
    // quoted names after a platform noun: "die Service-Plattform des Freistaates, das „Amt24“"
    let platform = &*PLATFORM;
    for c in platform.captures_iter(text) {
        let name = c.get(1).unwrap();
        if doc.covered(name.start(), name.end()).is_some() {
            continue;
        }
        let state = doc.state_at(name.start());
        let i = doc.entity(candidate(name.as_str(), EntityType::Project, "platform", state, "project:platform"));
        doc.mention(i, name.start(), name.end());
    }
}
