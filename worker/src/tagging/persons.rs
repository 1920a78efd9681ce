//! Discovery of persons: see [`super::discovery`] for the rules of every kind.

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
use super::projects::*;

pub(super) const TITLE_STEMS: &[&str] = &[
    "ministerpräsident",
    "staatssekretär",
    "staatsminister",
    "minister",
    "oberbürgermeister",
    "bürgermeister",
    "landrat",
    "landrätin",
    "geschäftsführer",
    "präsident",
    "vorsitzende",
    "direktor",
    "beigeordnete",
    "dezernent",
    "senator",
    "staatsrat",
    "staatsrätin",
    "amtsleiter",
    "beauftragte",
    "professor",
    "sprecher",
    "leiter",
    "chief digital officer",
];
pub(super) const TITLE_PREFIXES: &[(&str, &str)] =
    &[("Finanz", "Finanzministerium"), ("Innen", "Innenministerium"), ("Digital", "Digitalministerium")];

pub(super) static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[\wÄÖÜäöüß][\wÄÖÜäöüß\-]*"));
pub(super) static NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:Dr|Prof)\.\s*)*([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\s+(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b",
    )
});
pub(super) static NAME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:Dr|Prof)\.\s*)*([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\s+(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?),\s*(?:der|die)?\s*(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|er)\s+)?$",
    )
});
pub(super) static AFFILIATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s+(?:des|der|von|vom|im|beim|bei\s+der|bei\s+dem|am|an\s+der)\s+(?:(?:Stadt|Gemeinde|Hansestadt|Landeshauptstadt)\s+)?",
    )
});
pub(super) const NOT_NAMES: &[&str] = &[
    "Der",
    "Die",
    "Das",
    "Den",
    "Dem",
    "Des",
    "Ein",
    "Eine",
    "Herr",
    "Frau",
    "Im",
    "In",
    "Am",
    "Mit",
    "Von",
    "Für",
    "Und",
    "Auch",
    "Bei",
    "Nach",
    "Zu",
    "Als",
    "Wie",
    "Stadt",
    "Gemeinde",
    "Land",
    "Landkreis",
    "Bund",
    "Kommunen",
    "Freistaat",
    "Staatssekretär",
    "Bürgermeister",
    "Minister",
    "Digitalisierung",
    "Verwaltung",
    "Zudem",
    "Damit",
    "Dafür",
];

/// A title token: (title as written without a ministry prefix, the ministry it points to).
pub(super) fn title_of(word: &str) -> Option<(String, Option<&'static str>)> {
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let lower = word.to_lowercase();
    let (prefix_part, last) = match word.rfind('-') {
        Some(p) if p + 1 < word.len() => (&word[..p], &word[p + 1..]),
        _ => ("", word),
    };
    let _ = prefix_part;
    let stem = TITLE_STEMS.iter().find(|s| {
        ["", "in", "innen", "en", "er", "r", "s", "n"]
            .iter()
            .any(|e| lower.strip_suffix(e).is_some_and(|rest| rest.ends_with(*s)))
    })?;
    // "Begleiter" is not a title, nor is "Ministerium"
    if lower.ends_with("ium") || (stem == &"leiter" && !lower.ends_with("amtsleiter") && lower.len() > 12) {
        return None;
    }
    for (prefix, ministry) in TITLE_PREFIXES {
        if let Some(rest) = last.strip_prefix(prefix)
            && rest.len() > 4
        {
            let mut t = rest.to_owned();
            let first = t.remove(0).to_uppercase().to_string();
            return Some((format!("{first}{t}"), Some(*ministry)));
        }
    }
    Some((last.to_owned(), None))
}

pub(super) fn valid_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2 && !words.iter().any(|w| NOT_NAMES.contains(w) || title_of(w).is_some())
}

pub(super) fn persons(doc: &mut Doc) {
    let text = doc.text;
    let tokens: Vec<(usize, usize)> = TOKEN.find_iter(text).map(|m| (m.start(), m.end())).collect();
    let mut people: Vec<usize> = Vec::new();
    for (ts, te) in tokens {
        let Some((title, ministry)) = title_of(&text[ts..te]) else { continue };
        let hyphen_org = text[ts..te].rfind('-').and_then(|p| doc.covered(ts, ts + p));
        let after = &text[te..];
        // (a) title, then the name
        let direct = NAME.captures(after.trim_start()).map(|c| {
            let offset = te + (after.len() - after.trim_start().len());
            let m = c.get(1).unwrap();
            (offset + m.start(), offset + m.end())
        });
        let direct = direct.filter(|(s, _)| {
            text[te..*s].trim().len() <= 12
                && text[te..*s].trim().chars().all(|c| c == '.' || c.is_alphabetic() || c.is_whitespace())
        });
        // the organisation the title belongs to ("der Stadt Chemnitz", "des Städte- und Gemeindebundes")
        let phrase_from = direct.map_or(te, |d| d.1);
        let affiliation = AFFILIATION.find(&text[phrase_from..]).and_then(|m| {
            let at = phrase_from + m.end();
            doc.mentions.iter().filter(|x| x.1 == at).max_by_key(|x| x.2).copied()
        });
        // (b) "Name, Title ..." and (c) "Title der Org, Name"
        // only the words just before the title can be its appositive name
        let window = text[..ts].char_indices().rev().nth(90).map_or(0, |(i, _)| i);
        let appositive = NAME_BEFORE.captures(&text[window..ts]).map(|c| {
            let m = c.get(1).unwrap();
            (window + m.start(), window + m.end())
        });
        let trailing = affiliation.and_then(|a| {
            let rest = &text[a.2..];
            let m = COMMA_TITLES.find(rest)?;
            let c = NAME.captures(&rest[m.end()..])?;
            let n = c.get(1).unwrap();
            Some((a.2 + m.end() + n.start(), a.2 + m.end() + n.end()))
        });
        let Some((ns, ne)) = direct.or(trailing).or(appositive) else { continue };
        let name = &text[ns..ne];
        if !valid_name(name) || doc.covered(ns, ne).is_some() {
            continue;
        }
        let state = doc.state_at(ns);
        let mut e = candidate(name, EntityType::Actor, "person", state.clone(), "person:title");
        e.title = Some(title.clone());
        let person = doc.entity(e);
        doc.mention(person, ns, ne);
        people.push(person);
        // where the title is held
        // "für den Städte- und Gemeindebund dessen Geschäftsführer Jens Kramer"
        let before_title = doc
            .mentions
            .iter()
            .filter(|x| x.2 <= ts && OWNER.is_match(&text[x.2..ts]))
            .max_by_key(|x| x.2)
            .map(|x| x.0)
            .filter(|o| doc.entities[*o].kind != "person");
        let org = affiliation.map(|a| a.0).or(hyphen_org).or(before_title).or_else(|| {
            let code = state.clone()?;
            if let Some(form) = ministry {
                return doc.reference("ministry", &code, Some(form));
            }
            let lower = title.to_lowercase();
            if lower.starts_with("ministerpräsident") {
                return doc.reference("government", &code, None);
            }
            if lower.starts_with("staatsminister") || lower.starts_with("minister") {
                let rest = &text[te..text.floor_char_boundary(te + 60)];
                let form = if rest.contains("des Innern") || rest.contains("für Inneres") {
                    Some("Innenministerium")
                } else if rest.contains("der Finanzen") {
                    Some("Finanzministerium")
                } else {
                    None
                };
                if let Some(f) = form {
                    return doc.reference("ministry", &code, Some(f));
                }
                // "Staatsministerin für Digitales": the ministry of that state whose name says so
                let phrase = MINISTRY_PHRASE.captures(rest)?.get(1)?.as_str().to_owned();
                let entry =
                    doc.names.entries().iter().find(|e| {
                        e.kind == "ministry" && e.state.as_deref() == Some(&code) && e.name.contains(&phrase)
                    })?;
                let found = super::analysis::from_gazetteer(entry);
                return Some(doc.entity(found));
            }
            None
        });
        let sentence = doc.sentence_of(ts).unwrap_or((ts, te));
        if let Some(org) = org.filter(|o| doc.entities[*o].kind != "person") {
            doc.relation(FoundRelation {
                subject: person,
                predicate: "holds_position",
                object: org,
                role: None,
                title: Some(title.clone()),
                date: None,
                evidence: doc.span_bytes(sentence),
                method: "pattern:person-title".into(),
                confidence: 0.8,
            });
        }
        // "..., Jürgen Leindecker, sowie des Landkreistags, Heinz-Lothar Theel": the same title
        if let Some((_, _, end)) = affiliation.filter(|_| trailing.is_some()) {
            let rest_start = ne.max(end);
            let co = COORDINATED.find(&text[rest_start..]).map(|m| rest_start + m.end());
            if let Some(at) = co
                && let Some(org2) = doc.mentions.iter().filter(|x| x.1 == at).max_by_key(|x| x.2).copied()
                && let Some(m) = COMMA.find(&text[org2.2..])
                && let Some(c) = NAME.captures(&text[org2.2 + m.end()..])
            {
                let n = c.get(1).unwrap();
                let (s2, e2) = (org2.2 + m.end() + n.start(), org2.2 + m.end() + n.end());
                if valid_name(&text[s2..e2]) {
                    let mut p2 = candidate(&text[s2..e2], EntityType::Actor, "person", state.clone(), "person:title");
                    p2.title = Some(title.clone());
                    let p2 = doc.entity(p2);
                    doc.mention(p2, s2, e2);
                    people.push(p2);
                    doc.relation(FoundRelation {
                        subject: p2,
                        predicate: "holds_position",
                        object: org2.0,
                        role: None,
                        title: Some(title.clone()),
                        date: None,
                        evidence: doc.span_bytes(sentence),
                        method: "pattern:person-title".into(),
                        confidence: 0.75,
                    });
                }
            }
        }
    }
    // later mentions by full name or surname ("sagte Staatssekretär Richter")
    people.sort();
    people.dedup();
    for p in people {
        let name = doc.entities[p].name.clone();
        let surname = name.split_whitespace().last().unwrap_or(&name).to_owned();
        for form in [name, surname] {
            let hits = find_word(text, &form, &[]);
            for (s, e) in hits {
                if doc.covered(s, e).is_none() {
                    doc.mention(p, s, e);
                }
            }
        }
    }
}
