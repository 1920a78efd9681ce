//! Discovery of organisations: see [`super::discovery`] for the rules of every kind.

use std::sync::LazyLock;

use govgraph_shared::analysis::EntityType;
use regex::Regex;

use super::analysis::Doc;
use super::bodies::{BODY_NOUNS, word_before};
use super::discovery::{candidate, re};

pub(super) static ACRONYM_DEF: LazyLock<Regex> = LazyLock::new(|| re(r"\s\(([A-ZÄÖÜ][A-Za-zÄÖÜ0-9.\-]{1,11})\)"));
pub(super) static LEGAL_FORM: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:[A-ZÄÖÜ0-9][\w.&+\-]*\s+){1,4})(GmbH|gGmbH|mbH|AöR|eG|AG|e\.\s?V\.)(?:[^\w]|$)"));
/// "Zweckverband" and the words that may make its name: it starts with a word that has a capital
/// ("Kommunale", "eGo-Saar"); "für die Förderung von ..." after it describes, it does not name.
pub(super) static ZWECKVERBAND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"Zweckverband(?:es|s)?[ \t\u{a0}]+([\w\-]*[A-ZÄÖÜ][\w\-]*(?:[ \t\u{a0}]+(?:[A-ZÄÖÜ][\w\-]*|für|der|des|und|in|im|zur|zum|[a-zäöüß]+(?:e|en|er|es)\b)){0,6})",
    )
});
pub(super) static UNIVERSITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[A-ZÄÖÜ][\w\-]+\s+)?(?:Universität|Hochschule|Fachhochschule|Technische Universität)\s+(?:für\s+[A-ZÄÖÜ][\w\-]+\s+)?[A-ZÄÖÜ][\w\-]+",
    )
});
pub(super) static MINISTRY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|es|en)\s+)?(?:Staatsm|Bundesm|M)inisteriums?\s+(?:für|des|der)\s+(?:[A-ZÄÖÜ][\w\-]*(?:,\s+|\s+und\s+|\s+für\s+|\s+))*?[A-ZÄÖÜ][\w\-]*",
    )
});

pub(super) const FUNCTION_WORDS: &[&str] =
    &["für", "der", "die", "des", "das", "und", "von", "in", "im", "zur", "zum", "den", "dem", "über", "kommunale"];

/// Articles, prepositions and conjunctions: a name never ends in one.
const TRAILING: &[&str] = &[
    "für", "der", "die", "des", "das", "und", "oder", "sowie", "von", "vom", "in", "im", "zur", "zum", "zu", "den",
    "dem", "über", "mit", "bei", "auf", "an", "am", "aus",
];

/// The name without the function words and lower-case adjectives it may end in ("Zweckverband der
/// kommunalen" -> "Zweckverband"); `None` when nothing with a capital is left after its first word.
pub(super) fn trim_name(name: &str) -> Option<&str> {
    let name = cut_at_article(name);
    let mut s = name.trim_end_matches(|c: char| c.is_whitespace() || c == '-' || c == ',');
    while let Some((head, last)) = s.rsplit_once(char::is_whitespace) {
        let lower = !last.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
            && !last.chars().any(|c| c.is_uppercase());
        if TRAILING.contains(&last) || lower {
            s = head.trim_end();
        } else {
            break;
        }
    }
    s.split_whitespace().skip(1).any(|w| w.chars().any(|c| c.is_uppercase() || c.is_numeric())).then_some(s)
}

/// Prepositions that may take an article inside a name ("Zweckverband für die Digitalisierung").
const TAKES_ARTICLE: &[&str] = &["für", "über", "von", "mit", "bei", "auf", "an", "aus", "in", "gegen"];

/// A name ends before the article that starts the clause's next phrase ("Zweckverband X einen
/// Vertrag", "Zweckverband X die Leitung"): an indefinite article, a possessive or demonstrative,
/// or a definite article that no preposition of the name governs.
fn cut_at_article(name: &str) -> &str {
    let mut prev = "";
    for (at, w) in name.split_whitespace().map(|w| (w.as_ptr() as usize - name.as_ptr() as usize, w)).skip(1) {
        let lower = w.to_lowercase();
        let indefinite = ["ein", "eine", "einen", "einem", "einer", "eines"].contains(&lower.as_str())
            || ["sein", "ihr", "dies", "unser", "kein", "jed"].iter().any(|p| lower.starts_with(p));
        let definite = ["die", "das", "den", "dem"].contains(&lower.as_str()) && !TAKES_ARTICLE.contains(&prev);
        if indefinite || definite {
            return name[..at].trim_end();
        }
        prev = w;
    }
    name
}

/// The grammatical gender of a name's head noun, for its leading adjective.
fn gender(noun: &str) -> Option<&'static str> {
    let l = noun.to_lowercase();
    if ["ministerium", "amt", "zentrum", "büro", "rechenzentrum"].iter().any(|n| l.ends_with(n)) {
        Some("es")
    } else if ["anstalt", "zentrale", "stelle", "agentur", "gesellschaft", "behörde", "verwaltung", "kanzlei"]
        .iter()
        .any(|n| l.ends_with(n))
    {
        Some("e")
    } else if ["verband", "tag", "bund", "rat", "betrieb", "dienstleister", "verbund", "ausschuss"]
        .iter()
        .any(|n| l.ends_with(n))
    {
        Some("er")
    } else {
        None
    }
}

/// The nominative of an organisation's name as a text inflects it: the genitive of its head noun
/// ("des Landkreistages", "Ministeriums") and the ending of a leading adjective ("Bayerischen
/// Staatsministerium", "Sächsischen Anstalt") are put back. Other words stay as written.
pub(super) fn nominative(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let Some(head_at) = words.iter().position(|w| gender(&genitive_stem(w)).is_some()) else {
        return name.to_owned();
    };
    let head = genitive_stem(words[head_at]);
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[head_at] = head.clone();
    if head_at == 1 {
        let adj = words[0];
        let adjective = adj.chars().next().is_some_and(char::is_uppercase)
            && ["isch", "sch", "ig", "al", "er"]
                .iter()
                .any(|s| adj.trim_end_matches(['e', 'n', 's', 'r', 'm']).ends_with(s));
        if adjective && let Some(ending) = gender(&head) {
            let stem = ["en", "em", "es", "er", "e"].iter().find_map(|e| adj.strip_suffix(e)).unwrap_or(adj);
            if stem.chars().count() > 3 {
                out[0] = format!("{stem}{ending}");
            }
        }
    }
    out.join(" ")
}

/// "Landkreistages" -> "Landkreistag", "Ministeriums" -> "Ministerium", "Verbands" -> "Verband".
fn genitive_stem(word: &str) -> String {
    for (ending, keep) in
        [("tages", "tag"), ("bundes", "bund"), ("verbandes", "verband"), ("rates", "rat"), ("amtes", "amt")]
    {
        if let Some(stem) = word.strip_suffix(ending) {
            return format!("{stem}{keep}");
        }
    }
    for n in ["ministeriums", "verbands", "tags", "rats", "betriebs", "zentrums", "amts", "ausschusses"] {
        if word.to_lowercase().ends_with(n) {
            let cut = if n.ends_with("ses") { 2 } else { 1 };
            return word[..word.len() - cut].to_owned();
        }
    }
    word.to_owned()
}

/// The words before an acronym definition that make its long form ("Sächsische Anstalt für
/// kommunale Datenverarbeitung (SAKD)").
pub(super) fn long_form(text: &str, end: usize) -> Option<(usize, String)> {
    let head = &text[..end];
    let mut start = end;
    let pieces: Vec<&str> = head.split_inclusive(char::is_whitespace).collect();
    for (words, w) in pieces.iter().rev().enumerate() {
        let t = w.trim();
        let lower = t.to_lowercase();
        let capital = t.chars().next().is_some_and(|c| c.is_uppercase());
        let adjective = (lower.ends_with("e") || lower.ends_with("en") || lower.ends_with("er")) && !capital;
        let function = FUNCTION_WORDS.contains(&t) || (adjective && words > 0);
        if t.is_empty() || t.ends_with([',', '.', ';', ':', ')']) || !(capital || function) || words >= 8 {
            break;
        }
        start -= w.len();
    }
    // a long form starts with a capital letter, and not with an article
    let mut s = &text[start..end];
    while let Some(first) = s.split_whitespace().next() {
        if first.chars().next().is_some_and(|c| c.is_uppercase())
            && ![
                "Der", "Die", "Das", "Den", "Dem", "Des", "Beim", "Im", "Am", "Zum", "Zur", "Vom", "Mit", "Bei", "In",
                "Für", "Durch", "Nach", "Projekt", "Projekts",
            ]
            .contains(&first)
        {
            break;
        }
        s = s[first.len()..].trim_start();
    }
    let s = s.trim();
    // "AKDB angesiedelte Projekt Kommunalportal Bayern": the name starts after a stray adjective
    // or a noun that introduces it
    let words: Vec<&str> = s.split_whitespace().collect();
    let cut = (0..words.len())
        .rev()
        .find(|&i| {
            let w = words[i];
            let adjective = !w.chars().next().is_some_and(char::is_uppercase)
                && !FUNCTION_WORDS.contains(&w)
                && (i == 0 || !FUNCTION_WORDS.contains(&words[i - 1]));
            adjective || ["Projekt", "Projekts", "Vorhaben", "Verfahren"].contains(&w)
        })
        .map_or(0, |i| i + 1);
    let s = if cut > 0 {
        let skip: usize = words[..cut].iter().map(|w| w.len()).sum::<usize>();
        s[s.find(words[cut.min(words.len() - 1)]).filter(|p| *p >= skip).unwrap_or(s.len())..].trim()
    } else {
        s
    };
    (s.split_whitespace().count() >= 2 || s.chars().count() > 12)
        .then(|| (govgraph_shared::text::offset_in(text, s), s.to_owned()))
}

pub(super) fn org_kind(name: &str) -> Option<(EntityType, &'static str)> {
    let l = name.to_lowercase();
    let actor = |k| Some((EntityType::Actor, k));
    if l.contains("ministerium") {
        actor("ministry")
    } else if l.contains("zweckverband")
        || l.contains("datenverarbeitung")
        || l.contains("informationsverarbeitung")
        || l.contains("rechenzentrum")
        || l.contains("it-dienstleist")
        || l.contains("dienstleister")
        || l.contains("anwendergemeinschaft")
        || l.contains("adv-")
        || l.contains("informationstechn")
    {
        if l.starts_with("anstalt") || l.contains(" anstalt") { actor("agency") } else { actor("it_service_provider") }
    } else if l.contains("anstalt")
        || l.contains("amt ")
        || l.ends_with("amt")
        || l.contains("agentur")
        || l.contains("stelle")
    {
        actor("agency")
    } else if l.contains("universität") || l.contains("hochschule") {
        actor("university")
    } else if l.ends_with("verband") || l.ends_with("bund") || l.ends_with("tag") || l.contains("verein") {
        actor("association")
    } else if BODY_NOUNS.iter().any(|n| l.split_whitespace().next().is_some_and(|w| w.ends_with(n))) {
        actor("body")
    } else if ["netz", "plattform", "portal", "shop", "app", "server", "programm", "projekt", "system", "register"]
        .iter()
        .any(|n| l.contains(n))
    {
        Some((EntityType::Project, "project"))
    } else {
        None
    }
}

/// The reference actor of the state in force (or of no or the federal level) that carries `acr`
/// as its name or alias, alone or before a place ("ITDZ" of "ITDZ Berlin", "DVZ" of "DVZ
/// Mecklenburg-Vorpommern").
fn known_acronym(doc: &mut Doc, acr: &str, at: usize) -> Option<usize> {
    let state = doc.state_at(at);
    let names = doc.names;
    let entry = names.entries().iter().find(|e| {
        let here = e.state.is_none() || e.state == state || e.state.as_deref() == Some("DE");
        let named = std::iter::once(&e.name)
            .chain(&e.aliases)
            .any(|n| n == acr || n.strip_prefix(acr).is_some_and(|r| r.starts_with(' ')));
        e.entity_type == EntityType::Actor && here && named
    })?;
    Some(doc.entity(super::analysis::from_gazetteer(entry)))
}

pub(super) fn organisations(doc: &mut Doc) {
    let text = doc.text;
    // Long Name (ACR)
    for c in ACRONYM_DEF.captures_iter(text) {
        let m = c.get(0).unwrap();
        let acr = c[1].to_owned();
        if acr.chars().filter(|c| c.is_uppercase()).count() < 2 {
            continue;
        }
        let acr_span = (c.get(1).unwrap().start(), c.get(1).unwrap().end());
        let Some((start, long)) = long_form(text, m.start()) else { continue };
        let long_end = start + long.len();
        let spanning = doc.mentions.iter().find(|x| x.1 <= start + 1 && x.2 + 1 >= long_end).map(|x| x.0);
        let known = doc.covered(acr_span.0, acr_span.1).or(spanning);
        if let Some(i) = known {
            doc.mention(i, acr_span.0, acr_span.1);
            continue;
        }
        // an acronym a known actor is named by is that actor, whatever the words before it
        if let Some(i) = known_acronym(doc, &acr, start) {
            doc.mention(i, acr_span.0, acr_span.1);
            continue;
        }
        let project_word = word_before(text, start).is_some_and(|(_, w)| w.starts_with("Projekt"));
        let kind = if project_word { Some((EntityType::Project, "project")) } else { org_kind(&long) };
        let Some((entity_type, kind)) = kind else { continue };
        let state = doc.state_at(start);
        let mut e = candidate(&acr, entity_type, kind, state, "acronym");
        e.aliases.push(long.clone());
        let i = doc.entity(e);
        doc.mention(i, start, start + long.len());
        doc.mention(i, acr_span.0, acr_span.1);
    }
    let mut found: Vec<(usize, usize, String, &'static str)> = Vec::new();
    for c in LEGAL_FORM.captures_iter(text) {
        let (words, form) = (c.get(1).unwrap(), c.get(2).unwrap());
        let name = format!("{} {}", words.as_str().trim(), form.as_str());
        let name = name.trim_start_matches(|c: char| !c.is_alphanumeric()).to_owned();
        let l = name.to_lowercase();
        let kind = if ["it", "daten", "digital", "rechenzentrum", "komm", "informat"].iter().any(|k| l.contains(k)) {
            "it_service_provider"
        } else {
            "company"
        };
        found.push((words.start(), form.end(), name, kind));
    }
    for c in ZWECKVERBAND.captures_iter(text) {
        let (m, words) = (c.get(0).unwrap(), c.get(1).unwrap());
        let Some(name) = trim_name(&text[m.start()..words.end()]) else { continue };
        let full = format!("Zweckverband {}", &name[name.find(char::is_whitespace).unwrap_or(0)..].trim_start());
        found.push((m.start(), m.start() + name.len(), full, "it_service_provider"));
    }
    for m in UNIVERSITY.find_iter(text) {
        found.push((m.start(), m.end(), m.as_str().to_owned(), "university"));
    }
    for m in MINISTRY.find_iter(text) {
        found.push((m.start(), m.end(), m.as_str().to_owned(), "ministry"));
    }
    for (start, end, name, kind) in found {
        if doc.covered(start, end).is_some() || name.split_whitespace().count() < 2 {
            continue;
        }
        let Some(name) = trim_name(&name) else { continue };
        let name = nominative(name);
        let registered_association = name.ends_with("e. V.") || name.ends_with("e.V.");
        let kind = if kind == "company"
            && registered_association
            && gender(name.split(' ').next().unwrap_or_default()) == Some("er")
        {
            "association"
        } else {
            kind
        };
        let state = doc.state_at(start);
        let i = doc.entity(candidate(&name, EntityType::Actor, kind, state, "organisation"));
        doc.mention(i, start, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acronym_of_a_known_actor_is_that_actor() {
        use crate::tagging::analysis;
        let tagger = analysis::embedded().expect("the embedded tagger");
        // (text, state, the acronym, the known actor it must resolve to)
        let rows = [
            (
                "Die Senatsverwaltung übergibt ihre Technik dem IT-Dienstleistungszentrum (ITDZ) Berlin.",
                "BE",
                "ITDZ",
                "ITDZ Berlin",
            ),
            (
                "Künftig betreibt das Datenverarbeitungszentrum (DVZ) in Schwerin die Plattform des Landes.",
                "MV",
                "DVZ",
                "DVZ Mecklenburg-Vorpommern",
            ),
        ];
        for (text, state, acr, known) in rows {
            let a = tagger.tag("", text, None, Some(state), None).analysis;
            let names: Vec<&str> = a.entities.iter().map(|e| e.name.as_str()).collect();
            assert!(!names.contains(&acr), "{text}: {names:?}");
            let e = a.entities.iter().find(|e| e.name == known).unwrap_or_else(|| panic!("{text}: {names:?}"));
            assert!(e.mentions.iter().any(|m| m.text == acr), "{text}");
        }
        // an acronym no known actor carries stays a new organisation
        let a = tagger
            .tag("", "Die Musterstädtische Datenzentrale (MSDZ) übernimmt den Betrieb.", None, Some("BE"), None)
            .analysis;
        assert!(a.entities.iter().all(|e| e.name != "ITDZ Berlin"));
    }

    #[test]
    fn names_never_end_in_a_function_word() {
        let rows: &[(&str, Option<&str>)] = &[
            ("Zweckverband der", None),
            ("Zweckverband für", None),
            ("Zweckverband der kommunalen", None),
            ("Zweckverband für die", None),
            ("Zweckverband Kommunale Dienste Nordheide und", Some("Zweckverband Kommunale Dienste Nordheide")),
            ("Zweckverband Digitale Verwaltung im", Some("Zweckverband Digitale Verwaltung")),
            (
                "Zweckverband Elektronische Verwaltung in Westmark",
                Some("Zweckverband Elektronische Verwaltung in Westmark"),
            ),
            ("Ministerium für Inneres, Sport und", Some("Ministerium für Inneres, Sport")),
            ("Zweckverband eKom-Süd", Some("Zweckverband eKom-Süd")),
            // the clause's next phrase starts at its article
            ("Zweckverband Digitale Dienste Westmark einen Vertrag", Some("Zweckverband Digitale Dienste Westmark")),
            ("Zweckverband Kommunale IT Oberland die Leitung", Some("Zweckverband Kommunale IT Oberland")),
            (
                "Zweckverband für die Digitalisierung der Kommunen",
                Some("Zweckverband für die Digitalisierung der Kommunen"),
            ),
            ("Zweckverband Datenverarbeitung Süd seine Satzung", Some("Zweckverband Datenverarbeitung Süd")),
            ("Muster Datenwerk GmbH", Some("Muster Datenwerk GmbH")),
        ];
        for (name, want) in rows {
            assert_eq!(trim_name(name), *want, "{name}");
        }
    }

    #[test]
    fn names_are_stored_in_the_nominative() {
        let rows = [
            ("Bayerischen Staatsministerium für Digitales", "Bayerisches Staatsministerium für Digitales"),
            ("Hessischen Ministeriums der Finanzen", "Hessisches Ministerium der Finanzen"),
            (
                "Sächsischen Anstalt für kommunale Datenverarbeitung",
                "Sächsische Anstalt für kommunale Datenverarbeitung",
            ),
            ("Niedersächsischen Landkreistages", "Niedersächsischer Landkreistag"),
            ("Bayerische Landkreistag", "Bayerischer Landkreistag"),
            ("Kommunalen Rechenzentrums Nordwest", "Kommunales Rechenzentrum Nordwest"),
            ("Landkreistages Musterland e. V.", "Landkreistag Musterland e. V."),
            ("Städtetages Rheinland-Pfalz", "Städtetag Rheinland-Pfalz"),
            ("Zweckverbandes Digitale Kommunen Ostmark", "Zweckverband Digitale Kommunen Ostmark"),
            // already nominative, or no organisation noun: unchanged
            ("Thüringer Finanzministerium", "Thüringer Finanzministerium"),
            ("Ministerium des Innern und für Sport", "Ministerium des Innern und für Sport"),
            ("Deutscher Städtetag", "Deutscher Städtetag"),
            ("Muster Datenwerk GmbH", "Muster Datenwerk GmbH"),
            ("Universität Musterstadt", "Universität Musterstadt"),
        ];
        for (written, nominative_form) in rows {
            assert_eq!(nominative(written), nominative_form, "{written}");
        }
    }

    #[test]
    fn a_zweckverband_is_named_by_words_with_capitals() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                "Die Kreise gründen den Zweckverband Digitale Kommunen Ostmark.",
                Some("Zweckverband Digitale Kommunen Ostmark"),
            ),
            (
                "Mitglied des Zweckverbandes Kommunale Informationstechnik Südheide ist",
                Some("Zweckverband Kommunale Informationstechnik Südheide"),
            ),
            ("Der Zweckverband eKom-Süd übernimmt den Betrieb.", Some("Zweckverband eKom-Süd")),
            ("Sie haben einen Zweckverband für die Förderung digitaler Dienste gegründet.", None),
            ("Die Versammlung des Zweckverbands der kommunalen Rechenzentren tagte.", None),
            ("Ein Zweckverband wird geprüft.", None),
        ];
        for (sentence, want) in rows {
            let got = ZWECKVERBAND.captures(sentence).and_then(|c| {
                let (m, w) = (c.get(0).unwrap(), c.get(1).unwrap());
                let name = trim_name(&sentence[m.start()..w.end()])?;
                Some(format!("Zweckverband {}", name[name.find(' ').unwrap()..].trim_start()))
            });
            assert_eq!(got.as_deref(), *want, "{sentence}");
        }
    }
}
