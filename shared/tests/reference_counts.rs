//! The reference knowledge is complete for every Land: a government, a chancellery, its ministries,
//! its kommunale Spitzenverbände (as many as the Land has), an IT service provider of the Land; the
//! federal level has its Spitzenverbände, the IT-Planungsrat, FITKO and its ministries. Every entry
//! names its source, and no name means two entries of the same state.

use std::collections::{BTreeMap, HashMap};

use govgraph_shared::reference::{ReferenceEntry, entries, states};

fn laender() -> Vec<String> {
    states().unwrap().into_iter().map(|s| s.code).filter(|c| c != "DE").collect()
}

fn of<'a>(all: &'a [ReferenceEntry], state: &str, kind: &str) -> Vec<&'a ReferenceEntry> {
    all.iter().filter(|e| e.state.as_deref() == Some(state) && e.kind == kind).collect()
}

fn is_chancellery(e: &ReferenceEntry) -> bool {
    e.kind == "ministry" && (e.name.contains("kanzlei") || e.key.ends_with("staatsministerium-baden-wuerttemberg"))
}

/// The kommunale Spitzenverbände of each Land as the real world has them: the city-states have
/// none of their own (their cities belong to the Deutscher Städtetag directly); Bayern has four
/// (with the Bezirketag); most have three; where towns and municipalities share one association
/// (Städte- und Gemeindetag, Städte- und Gemeindebund) there are two.
const SPITZENVERBAENDE: &[(&str, usize)] = &[
    ("BW", 3),
    ("BY", 4),
    ("BE", 0),
    ("BB", 2),
    ("HB", 0),
    ("HH", 0),
    ("HE", 3),
    ("MV", 2),
    ("NI", 3),
    ("NW", 3),
    ("RP", 3),
    ("SL", 2),
    ("SN", 2),
    ("ST", 2),
    ("SH", 3),
    ("TH", 2),
];

#[test]
fn every_land_has_government_chancellery_ministries_associations_and_it_provider() {
    let all = entries().unwrap();
    let mut report = BTreeMap::new();
    for code in laender() {
        let governments = of(&all, &code, "government");
        assert_eq!(governments.len(), 1, "{code}: one government");
        let chancelleries: Vec<_> =
            all.iter().filter(|e| e.state.as_deref() == Some(code.as_str()) && is_chancellery(e)).collect();
        assert_eq!(chancelleries.len(), 1, "{code}: one chancellery, got {chancelleries:?}");
        let ministries = of(&all, &code, "ministry").into_iter().filter(|e| !is_chancellery(e)).count();
        assert!(ministries >= 6, "{code}: at least 6 ministries besides the chancellery, got {ministries}");
        let associations = of(&all, &code, "municipal_association").len();
        let expected = SPITZENVERBAENDE.iter().find(|(c, _)| *c == code).map(|(_, n)| *n).unwrap();
        assert_eq!(associations, expected, "{code}: kommunale Spitzenverbände");
        let government_key = &governments[0].key;
        let providers = all
            .iter()
            .filter(|e| e.kind == "it_service_provider" || e.kind == "agency")
            .filter(|e| e.state.as_deref() == Some(code.as_str()) || e.owners.contains(government_key))
            .count();
        assert!(providers >= 1, "{code}: an IT service provider of its own or one it owns");
        report.insert(code, (ministries, associations, providers));
    }
    // the counts per Land, for the record (`cargo test -- --nocapture`)
    for (code, (m, a, p)) in &report {
        println!("{code}: ministries {m}, Spitzenverbände {a}, IT providers {p}");
    }
}

#[test]
fn dataport_is_owned_by_the_northern_laender() {
    let all = entries().unwrap();
    let dataport = all.iter().find(|e| e.name == "Dataport").unwrap();
    for owner in ["sh-landesregierung", "hh-landesregierung", "hb-landesregierung"] {
        assert!(dataport.owners.iter().any(|o| o == owner), "{owner}");
    }
}

#[test]
fn the_federal_level_is_there() {
    let all = entries().unwrap();
    let names: Vec<&str> = all.iter().filter(|e| e.state.as_deref() == Some("DE")).map(|e| e.name.as_str()).collect();
    for name in [
        "Bundesregierung",
        "Deutscher Landkreistag",
        "Deutscher Städtetag",
        "Deutscher Städte- und Gemeindebund",
        "IT-Planungsrat",
        "FITKO",
        "Bundesministerium des Innern und für Heimat",
        "Bundesministerium für Digitales und Staatsmodernisierung",
        "Bundesministerium der Finanzen",
        "Bundeskanzleramt",
        "ITZBund",
        "Vitako",
    ] {
        assert!(names.contains(&name), "federal entry `{name}`");
    }
    assert!(of(&all, "DE", "ministry").len() >= 6, "federal ministries");
}

#[test]
fn every_entry_names_its_source() {
    for e in entries().unwrap() {
        assert!(e.source.starts_with("https://") && e.source.len() > "https://x.de".len() - 1, "{}", e.key);
    }
}

#[test]
fn former_names_are_aliases() {
    let all = entries().unwrap();
    let bw =
        all.iter().find(|e| e.name.starts_with("Ministerium des Inneren, für Digitalisierung und Kommunen")).unwrap();
    assert!(bw.former.iter().any(|f| f.until == 2021));
    assert!(bw.aliases.iter().any(|a| a == "Ministerium für Inneres, Digitalisierung und Migration"));
    assert!(all.iter().filter(|e| !e.former.is_empty()).count() >= 20, "renamed ministries keep their dated names");
}

/// A name that means two entries of the same state could never be resolved: the gazetteer picks by
/// state and would leave it unlinked. Across states the same name may stand (the state decides).
#[test]
fn no_name_means_two_entries_of_one_state() {
    let all = entries().unwrap();
    let mut global: HashMap<(String, String), &str> = HashMap::new();
    let mut context: HashMap<(String, String), &str> = HashMap::new();
    let mut clashes = Vec::new();
    for e in &all {
        let state = e.state.clone().unwrap_or_default();
        let mut own: Vec<String> = e.names().map(str::to_lowercase).collect();
        own.sort();
        own.dedup();
        for n in own {
            if let Some(other) = global.insert((state.clone(), n.clone()), &e.key) {
                clashes.push(format!("`{n}`: {other} and {}", e.key));
            }
        }
        for c in &e.context {
            let c = c.to_lowercase();
            if let Some(other) = context.insert((state.clone(), c.clone()), &e.key)
                && other != e.key
            {
                clashes.push(format!("context `{c}` ({state}): {other} and {}", e.key));
            }
        }
    }
    assert!(clashes.is_empty(), "{clashes:#?}");
}

#[test]
fn no_name_ends_in_a_function_word() {
    const FUNCTION: &[&str] =
        &["der", "die", "das", "des", "dem", "den", "und", "für", "von", "im", "in", "zur", "zum"];
    for e in entries().unwrap() {
        for n in e.names() {
            let last = n.rsplit(' ').next().unwrap_or_default();
            assert!(!FUNCTION.contains(&last), "{}: `{n}`", e.key);
        }
    }
}
