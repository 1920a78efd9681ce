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

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use govgraph_shared::analysis::{EntityType, FoundEntity, FoundRelation, Status};
use govgraph_shared::text::slugify;
use regex::Regex;

use super::analysis::Doc;

pub fn run(doc: &mut Doc) {
    bodies(doc);
    organisations(doc);
    projects(doc);
    agreements(doc);
    persons(doc);
}

fn re(pattern: &str) -> Regex {
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

// ---------------------------------------------------------------- bodies

const BODY_NOUNS: &[&str] = &[
    "rat",
    "ausschuss",
    "gruppe",
    "gremium",
    "konferenz",
    "kommission",
    "beirat",
    "runde",
    "board",
    "komitee",
    "lenkungskreis",
    "arbeitskreis",
    "steuerungskreis",
];

/// The body noun a word ends in ("Lenkungsausschusses" -> "Lenkungsausschuss"), if any.
fn body_head(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    for ending in ["", "es", "s", "n"] {
        let Some(stem) = lower.strip_suffix(ending) else { continue };
        if BODY_NOUNS.iter().any(|n| stem.ends_with(n)) && !stem.ends_with("landkreis") && stem.len() > 3 {
            // the ending was found in the lower-cased word: cut it from the word as written only
            // where the word ends the same way (lower-casing may change lengths)
            return word.strip_suffix(ending).or_else(|| word.strip_suffix(&ending.to_uppercase())).map(str::to_owned);
        }
    }
    None
}

static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#"[„"»]([^“”"«„\n]{2,90})[“”"«]"#));
static ACRONYM_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([A-ZÄÖÜ]{2,}[A-Za-zÄÖÜäöü]*-(?:[A-ZÄÖÜ][a-zäöüß]*)?(?:Rat|Kreis|Ausschuss|Gremium|Kooperationsrat|Lenkungskreis|Beirat|Kommission|Lenkungsrat))(?:es|s)?",
    )
});

/// Where `word` (or `word` with one of `endings`) stands as a whole word in `text` (bytes).
fn find_word(text: &str, word: &str, endings: &[&str]) -> Vec<(usize, usize)> {
    let inside = |c: char| c.is_alphanumeric() || c == '-';
    text.match_indices(word)
        .filter_map(|(start, _)| {
            if text[..start].chars().next_back().is_some_and(inside) {
                return None;
            }
            let after = start + word.len();
            let end = endings
                .iter()
                .map(|e| after + e.len())
                .find(|e| text.get(after..*e).is_some_and(|x| endings.contains(&x)) && !text[*e..].starts_with(inside))
                .unwrap_or(after);
            (!text[end..].starts_with(inside)).then_some((start, end))
        })
        .collect()
}

fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let head = text[..at].trim_end();
    let start = head
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || "(„\"".contains(c))
        .map_or(0, |(p, c)| p + c.len_utf8());
    let w = &head[start..];
    (!w.is_empty()).then_some((start, w))
}

fn bodies(doc: &mut Doc) {
    let text = doc.text;
    let mut heads: Vec<(String, usize)> = Vec::new();
    for c in QUOTED.captures_iter(text) {
        let (whole, inner) = (c.get(0).unwrap(), c.get(1).unwrap());
        let q = inner.as_str().trim();
        let before = word_before(text, whole.start()).filter(|(s, _)| text[*s..whole.start()].trim().len() < 40);
        let (name, start, head) = match before.and_then(|(s, w)| body_head(w).map(|h| (s, h))) {
            Some((s, head)) => (format!("{head} {q}"), s, head),
            None => match q.split_whitespace().next().and_then(body_head) {
                Some(head) if q.split_whitespace().count() >= 2 => (q.to_owned(), inner.start(), head),
                _ => continue,
            },
        };
        if doc.covered(start, whole.end()).is_some() {
            continue;
        }
        let state = doc.state_at(start);
        let i = doc.entity(candidate(&name, EntityType::Actor, "body", state, "body:quoted"));
        doc.mention(i, start, inner.end());
        heads.push((head, i));
    }
    for c in ACRONYM_BODY.captures_iter(text) {
        let m = c.get(0).unwrap();
        let inside = |ch: char| ch.is_alphanumeric();
        if text[m.end()..].starts_with(inside) || text[..m.start()].chars().next_back().is_some_and(inside) {
            continue;
        }
        if doc.covered(m.start(), m.end()).is_some() {
            continue;
        }
        let state = doc.state_at(m.start());
        let name = c[1].to_owned();
        let i = doc.entity(candidate(&name, EntityType::Actor, "body", state, "body:acronym"));
        doc.mention(i, m.start(), m.end());
    }
    // "der Lenkungsausschuss" later in the text is the body named before
    for (head, entity) in heads {
        for (start, end) in find_word(text, &head, &["es", "s"]) {
            if doc.covered(start, end).is_none() {
                doc.mention(entity, start, end);
            }
        }
    }
}

// ---------------------------------------------------------------- organisations

static ACRONYM_DEF: LazyLock<Regex> = LazyLock::new(|| re(r"\s\(([A-ZÄÖÜ][A-Za-zÄÖÜ0-9.\-]{1,11})\)"));
static LEGAL_FORM: LazyLock<Regex> =
    LazyLock::new(|| re(r"((?:[A-ZÄÖÜ0-9][\w.&+\-]*\s+){1,4})(GmbH|gGmbH|mbH|AöR|eG|AG|e\.\s?V\.)(?:[^\w]|$)"));
static ZWECKVERBAND: LazyLock<Regex> = LazyLock::new(|| {
    re(r"Zweckverband(?:es|s)?\s+((?:[A-ZÄÖÜ][\w\-]*|für|der|des|und)(?:\s+(?:[A-ZÄÖÜ][\w\-]*|für|der|des|und)){0,5})")
});
static UNIVERSITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[A-ZÄÖÜ][\w\-]+\s+)?(?:Universität|Hochschule|Fachhochschule|Technische Universität)\s+(?:für\s+[A-ZÄÖÜ][\w\-]+\s+)?[A-ZÄÖÜ][\w\-]+",
    )
});
static MINISTRY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|es|en)\s+)?(?:Staatsm|Bundesm|M)inisterium\s+(?:für|des|der)\s+(?:[A-ZÄÖÜ][\w\-]*(?:,\s+|\s+und\s+|\s+für\s+|\s+))*?[A-ZÄÖÜ][\w\-]*",
    )
});

const FUNCTION_WORDS: &[&str] =
    &["für", "der", "die", "des", "das", "und", "von", "in", "im", "zur", "zum", "den", "dem", "über", "kommunale"];

/// The words before an acronym definition that make its long form ("Sächsische Anstalt für
/// kommunale Datenverarbeitung (SAKD)").
fn long_form(text: &str, end: usize) -> Option<(usize, String)> {
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

fn org_kind(name: &str) -> Option<(EntityType, &'static str)> {
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

fn organisations(doc: &mut Doc) {
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
        let m = c.get(0).unwrap();
        let name = c[1].trim_end_matches([' ', '-']).trim_end_matches(" und").trim_end_matches(" der").to_owned();
        let full = format!("Zweckverband {name}");
        found.push((m.start(), m.start() + "Zweckverband ".len() + name.len(), full, "it_service_provider"));
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
        let state = doc.state_at(start);
        let i = doc.entity(candidate(&name, EntityType::Actor, kind, state, "organisation"));
        doc.mention(i, start, end);
    }
}

// ---------------------------------------------------------------- projects

static PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:Projekt|Projekts|Projektes|Vorhaben|Programm|Programms|Initiative|Plattform|App|Portal|Netzwerk)\s+(?:„([^“]{2,60})“|([A-ZÄÖÜ][a-zäöü]*[A-Z0-9][\w\-]*))",
    )
});

fn projects(doc: &mut Doc) {
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

// ---------------------------------------------------------------- agreements

const AGREEMENT_HEADS: &[(&str, &str)] = &[
    ("rahmenvereinbarung", "framework_agreement"),
    ("kooperationsvereinbarung", "cooperation_agreement"),
    ("verwaltungsvereinbarung", "administrative_agreement"),
    ("zielvereinbarung", "agreement"),
    ("vereinbarung", "agreement"),
    ("staatsvertrag", "state_treaty"),
    ("kooperationsvertrag", "cooperation_agreement"),
    ("positionspapier", "position_paper"),
    ("absichtserklärung", "agreement"),
    ("strategie", "strategy"),
    ("abkommen", "agreement"),
    ("charta", "agreement"),
    ("pakt", "agreement"),
];

static OF_STATE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s+des\s+(?:Freistaate?s|Landes)\s+([A-ZÄÖÜ][\w\-]+)"));
static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+(?:wurde|war)\s+(?:bereits\s+)?im\s+Jahr(?:e)?\s+(\d{4})"));
static EARLIER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|\s)(erste|früheren?|bisherigen?|vorherigen?|alten?|ersten)\s*$"));
static COMMA_TITLES: LazyLock<Regex> = LazyLock::new(|| re(r"^,\s*(?:(?:Dr|Prof)\.\s*)*"));
static COORDINATED: LazyLock<Regex> = LazyLock::new(|| re(r"^,?\s*(?:sowie|und)\s+(?:des|der|dem)\s+"));
static COMMA: LazyLock<Regex> = LazyLock::new(|| re(r"^,\s*"));
static PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[Pp]lattform|[Pp]ortal|App|Netz|Anwendung)\w*(?:\s+des\s+\w+)?,\s+(?:dem|der|das|die)\s+[„\x22]([^“\x22]{2,60})[“\x22]",
    )
});
static OWNER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:dessen|deren|der|die|sein|seine|ihr|ihre)?\s*(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|er)\s+)?$"));
static MINISTRY_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+((?:für|des|der)\s+[A-ZÄÖÜ][\w\-]+(?:(?:,\s+|\s+und\s+(?:für\s+)?)[A-ZÄÖÜ][\w\-]+)*)"));
static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-ZÄÖÜ][\wÄÖÜäöüß\-]*"));
static DATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:vom|am)\s+(\d{1,2}\.\s*(?:\d{1,2}\.|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s*\d{4})",
    )
});
static YEAR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:im\s+Jahr(?:e)?\s+)?(\d{4})\s+(?:beschlossene|verabschiedete|unterzeichnete|geschlossene|vereinbarte)\w*|im\s+Jahr(?:e)?\s+(\d{4}))",
    )
});
static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|\s)(?:am|vergangenen|letzten)\s+(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)")
});
static TAIL_STOP: &[&str] = &[
    "vom",
    "am",
    "durch",
    "mit",
    "wurde",
    "wird",
    "ist",
    "hat",
    "haben",
    "sind",
    "soll",
    "kann",
    "zwischen",
    "als",
    "sowie",
    "ab",
    "bis",
    "seit",
    "gelegt",
    "unterzeichnet",
    "geschlossen",
    "beschlossen",
];
const TAIL_START: &[&str] = &["über", "zur", "zum", "zu", "für", "zwischen"];

fn agreement_head(word: &str) -> Option<(&'static str, &'static str)> {
    let l = word.to_lowercase();
    let l = l.trim_end_matches("en").trim_end_matches('s');
    AGREEMENT_HEADS
        .iter()
        .find(|(h, _)| l.ends_with(h) && (l.len() == h.len() || l.len() > h.len() + 1))
        .map(|(h, k)| (*h, *k))
        .filter(|_| word.chars().next().is_some_and(char::is_uppercase))
}

/// The date of a relative weekday ("am Mittwoch") before the publication date.
pub fn weekday_before(published: NaiveDate, day: &str) -> Option<NaiveDate> {
    let target = match day {
        "Montag" => Weekday::Mon,
        "Dienstag" => Weekday::Tue,
        "Mittwoch" => Weekday::Wed,
        "Donnerstag" => Weekday::Thu,
        "Freitag" => Weekday::Fri,
        "Samstag" => Weekday::Sat,
        "Sonntag" => Weekday::Sun,
        _ => return None,
    };
    (1..=7).map(|d| published - Duration::days(d)).find(|d| d.weekday() == target)
}

fn agreements(doc: &mut Doc) {
    let text = doc.text;
    let mut last: Vec<(&'static str, usize)> = Vec::new();
    let mut earlier_ones: Vec<usize> = Vec::new();
    let words: Vec<(usize, usize)> = WORD.find_iter(text).map(|m| (m.start(), m.end())).collect();
    for (ws, we) in words {
        let word = &text[ws..we];
        let Some((head, kind)) = agreement_head(word) else { continue };
        if doc.covered(ws, we).is_some() {
            continue;
        }
        let sentence = doc.sentence_of(ws).unwrap_or((ws, we));
        let before = &text[sentence.0..ws];
        let rest = &text[we..sentence.1.max(we)];
        let state = doc.state_at(ws);
        // the name: a quoted name, a tail ("über die Zusammenarbeit ..."), or the state and year
        let quoted = QUOTED.captures(rest).filter(|c| c.get(0).unwrap().start() <= 2);
        let tail = if quoted.is_none() { tail(rest) } else { None };
        let of_state = OF_STATE.captures(rest);
        let mut date = DATE_AFTER
            .captures(&rest[tail.as_ref().map_or(0, |t| t.1)..])
            .and_then(|c| super::super::extract::dates::find_german(&c[1]).map(|d| d.0.to_string()));
        let year = YEAR_BEFORE.captures(before).and_then(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_owned()));
        // "Eine erste Rahmenvereinbarung wurde im Jahr 2006 unterzeichnet"
        let year = year.or_else(|| YEAR_AFTER.captures(rest).map(|c| c[1].to_owned()));
        let this_year = before.contains("in diesem Jahr") || rest.contains("in diesem Jahr");
        let year = year.or_else(|| this_year.then(|| doc.published.map(|d| d.year().to_string())).flatten());
        let earlier = EARLIER.is_match(before);
        let signed = ["unterzeichn", "unterschrieb", "Unterschrift", "geschlossen", "beschlossen", "verabschied"]
            .iter()
            .any(|v| text[sentence.0..sentence.1].contains(v));
        if date.is_none()
            && signed
            && let (Some(p), Some(c)) = (doc.published, WEEKDAY.captures(&text[sentence.0..sentence.1]))
        {
            date = weekday_before(p, &c[1]).map(|d| d.to_string());
        }
        let (name, end, alias) = if let Some(q) = &quoted {
            let whole = q.get(0).unwrap();
            (q[1].trim().to_owned(), we + whole.end(), Some(format!("{word} {}", q[1].trim())))
        } else if let Some((t, len)) = &tail {
            (format!("{word} {t}"), we + len, None)
        } else if let (Some(c), Some(y)) = (&of_state, &year) {
            let whole = c.get(0).unwrap();
            (format!("{word} {} {y}", &c[1]), we + whole.end(), Some(format!("{word} des {}", &c[1])))
        } else if (earlier && (year.is_some() || date.is_some())) || (date.is_some() && DATE_AFTER.is_match(rest)) {
            // "eine erste Rahmenvereinbarung ... im Jahr 2006", "die Rahmenvereinbarung vom 3. Mai 2016"
            let y =
                year.clone().or_else(|| date.as_ref().and_then(|d| d.get(..4)).map(str::to_owned)).unwrap_or_default();
            let state_name = state.as_deref().and_then(|s| doc.state_name(s)).unwrap_or_default();
            let alias = EARLIER.find(before).map(|m| format!("{} {word}", m.as_str().trim()));
            (format!("{word} {state_name} {y}").replace("  ", " "), we, alias)
        } else {
            // a bare "die Rahmenvereinbarung": the one named before (not an earlier one)
            if let Some((_, i)) = last.iter().rev().find(|(h, i)| *h == head && !earlier_ones.contains(i)) {
                let i = *i;
                doc.mention(i, ws, we);
                if doc.entities[i].date.is_none() {
                    doc.entities[i].date = date;
                }
            }
            continue;
        };
        let mut e = candidate(&name, EntityType::Agreement, kind, state.clone(), "agreement");
        let dated = date.clone().or_else(|| year.clone());
        if let Some(y) =
            dated.as_ref().and_then(|d| d.get(..4)).map(str::to_owned).filter(|y| !name.contains(y.as_str()))
        {
            e.key = format!("{}-{y}", e.key);
        }
        e.date = dated;
        e.aliases.extend(alias);
        let i = doc.entity(e);
        doc.mention(i, ws, end.min(sentence.1.max(end)));
        last.push((head, i));
        if earlier && quoted.is_none() && tail.is_none() {
            earlier_ones.push(i);
        }
    }
    founding(doc);
}

/// The words of an agreement's name after its head, and their length in bytes.
fn tail(rest: &str) -> Option<(String, usize)> {
    let first = rest.split_whitespace().next()?;
    if !TAIL_START.contains(&first) {
        return None;
    }
    let mut taken = Vec::new();
    let mut len = 0;
    let mut pos = 0;
    let mut paren = false;
    for piece in rest.split_inclusive(char::is_whitespace) {
        pos += piece.len();
        let w = piece.trim();
        if w.is_empty() {
            continue;
        }
        if paren || w.starts_with('(') {
            paren = !w.ends_with(')');
            continue;
        }
        let bare = w.trim_end_matches([',', '.', ';', ':', '“', '"', ')']);
        let capital = bare.chars().next().is_some_and(char::is_uppercase);
        let function = [
            "über", "zur", "zum", "zu", "für", "die", "der", "den", "dem", "des", "das", "in", "im", "und", "von",
            "bei",
        ]
        .contains(&bare);
        let adjective = !capital && ["e", "en", "er", "es", "em"].iter().any(|e| bare.ends_with(e)) && bare.len() > 3;
        if TAIL_STOP.contains(&bare) || !(capital || function || adjective) {
            break;
        }
        taken.push(bare.to_owned());
        len = pos - (piece.len() - piece.trim_end().len()) - (w.len() - bare.len());
        if bare.len() != w.len() {
            break;
        }
    }
    while taken.last().is_some_and(|w| !w.chars().next().is_some_and(char::is_uppercase)) {
        taken.pop();
    }
    let content = taken.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    (content >= 1).then(|| (taken.join(" "), len.min(rest.len())))
}

static FOUNDING: LazyLock<Regex> = LazyLock::new(|| re(r"Gründung\s+(?:der|einer|eines|des)\s+"));
static FOUNDED_ON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:zum|am)\s+(\d{1,2}\.\s*(?:\d{1,2}\.|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s*\d{4})\s+gegründet",
    )
});

/// "die Gründung einer kommunalen IT-Gesellschaft ... Die „KOMM24 GmbH“ soll zum 1. Juli 2019
/// gegründet werden": a founding, named after the company it founds.
fn founding(doc: &mut Doc) {
    let text = doc.text;
    let hits: Vec<(usize, usize)> = FOUNDING.find_iter(text).map(|m| (m.start(), m.end())).collect();
    for (start, after) in hits {
        let Some(sentence) = doc.sentence_of(start) else { continue };
        // the company named right there, or in one of the next three sentences
        let named_here = doc.mentions_in(after, sentence.1).into_iter().find(|m| is_company(&doc.entities[m.0]));
        let later = || {
            let idx = doc.sentences.iter().position(|s| *s == sentence)?;
            doc.sentences.iter().skip(idx + 1).take(3).find_map(|s| {
                doc.mentions_in(s.0, s.1).into_iter().find(|m| is_company(&doc.entities[m.0])).map(|m| (m, *s))
            })
        };
        let (company, where_founded) = match named_here {
            Some(m) => (m, sentence),
            None => match later() {
                Some(x) => x,
                None => continue,
            },
        };
        let company_name = doc.entities[company.0].name.clone();
        let date = FOUNDED_ON
            .captures(&text[where_founded.0..where_founded.1])
            .and_then(|c| super::super::extract::dates::find_german(&c[1]).map(|d| d.0.to_string()));
        let state = doc.state_at(start);
        let mut e = candidate(
            &format!("Gründung der {company_name}"),
            EntityType::Agreement,
            "founding",
            state,
            "agreement:founding",
        );
        e.date = date;
        let i = doc.entity(e);
        let end = text[after..sentence.1].find([',', '.', ';']).map_or(sentence.1, |p| after + p);
        doc.mention(i, start, end);
    }
}

fn is_company(e: &FoundEntity) -> bool {
    e.entity_type == EntityType::Actor
        && ["GmbH", "mbH", "AG", "eG", "AöR"]
            .iter()
            .any(|f| e.name.ends_with(f) || e.aliases.iter().any(|a| a.ends_with(f)))
}

// ---------------------------------------------------------------- persons

const TITLE_STEMS: &[&str] = &[
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
const TITLE_PREFIXES: &[(&str, &str)] =
    &[("Finanz", "Finanzministerium"), ("Innen", "Innenministerium"), ("Digital", "Digitalministerium")];

static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[\wÄÖÜäöüß][\wÄÖÜäöüß\-]*"));
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:Dr|Prof)\.\s*)*([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\s+(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b",
    )
});
static NAME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:Dr|Prof)\.\s*)*([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\s+(?:(?:von|van|de|zu)\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?),\s*(?:der|die)?\s*(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|er)\s+)?$",
    )
});
static AFFILIATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s+(?:des|der|von|vom|im|beim|bei\s+der|bei\s+dem|am|an\s+der)\s+(?:(?:Stadt|Gemeinde|Hansestadt|Landeshauptstadt)\s+)?",
    )
});
const NOT_NAMES: &[&str] = &[
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
fn title_of(word: &str) -> Option<(String, Option<&'static str>)> {
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

fn valid_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2 && !words.iter().any(|w| NOT_NAMES.contains(w) || title_of(w).is_some())
}

fn persons(doc: &mut Doc) {
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
