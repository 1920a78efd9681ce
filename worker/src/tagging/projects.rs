//! Discovery of projects, platforms and programmes: see [`super::discovery`] for the rules of
//! every kind. Known projects come from the reference data (`shared/data/reference/projects.toml`)
//! through the gazetteer; this module finds the names no list holds, by the patterns of German:
//!
//! - a name after a project noun: "das Projekt „Digitale Schule“", "des Programms NordIT@Kiel",
//!   "das Pilotprojekt Smarte Verwaltung", "die Plattform Schulportal.SH" (the nouns in
//!   `shared/data/lexicon/projects.toml`); the noun alone is never a project;
//! - a name that is a product by its form wherever it stands: a name with "@" ("OneIT@Kiel"), a
//!   portal with a Land's suffix ("Bürgerportal.RLP"), an acronym compound with a product head
//!   ("die KDZ-Cloud");
//! - a hyphenated compound that names a programme ("das Digitalnavigatoren-Programm");
//! - quoted names after a platform noun and a comma ("die Service-Plattform des Landes, das „Amt24“").

use std::sync::LazyLock;

use govgraph_shared::analysis::EntityType;
use regex::Regex;
use serde::Deserialize;

use super::agreements::PLATFORM;
use super::analysis::Doc;
use super::discovery::{candidate, re};

const LEXICON_TOML: &str = include_str!("../../../shared/data/lexicon/projects.toml");

#[derive(Debug, Deserialize)]
struct Leads {
    project: Vec<String>,
    programme: Vec<String>,
    platform: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Lexicon {
    leads: Leads,
    product_heads: Vec<String>,
    programme_heads: Vec<String>,
    dot_suffixes: Vec<String>,
    land_names: Vec<String>,
    units: Vec<String>,
    not_name_starts: Vec<String>,
    not_programme_parts: Vec<String>,
}

static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| toml::from_str(LEXICON_TOML).expect("shared/data/lexicon/projects.toml parses"));

fn alternation(words: &[String]) -> String {
    let mut words: Vec<&String> = words.iter().collect();
    // longest first, so that "Projektes" is not cut to "Projekt"
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.iter().map(|w| regex::escape(w)).collect::<Vec<_>>().join("|")
}

/// A capitalised adjective ("Digitale", "Kommunaler", "Gemeinsames", "Neue").
const ADJECTIVE: &str = r"(?:[A-ZÄÖÜ][a-zäöüß]*(?:isch|ig|lich|al|iv|ell|bar|iert|sam|ar|ös|ent|ant|ert|ner)|Neu|Offen|Smart|Sicher|Schnell|Gut|Klug)(?:e|er|es|en|em)";
/// A capitalised noun, or two coordinated ones ("Vorgangs- und Aktenbearbeitung").
const NOUN: &str = r"[A-ZÄÖÜ][\wäöüß]*(?:-\s+(?:und|oder)\s+[A-ZÄÖÜ][\wäöüß\-]*|[\wäöüß\-]*)";
/// A word that is a name by its form: a capital or digit inside, "@" or a dot before a capital
/// ("NordIT@Kiel", "eAkte", "Verwaltung4you", "Bürgerportal.RLP").
const FORMED: &str =
    r"(?:[a-z][A-ZÄÖÜ][\wäöüß\-@]*|[A-ZÄÖÜ][\wäöüß\-]*(?:[A-ZÄÖÜ0-9@]|\.[A-ZÄÖÜ])[\wäöüß\-@]*)(?:\.[A-ZÄÖÜ][\wäöüß]*)?";

/// The name after a project noun: quoted, formed, or a capitalised adjective with its noun.
static AFTER_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    let lx = &*LEXICON;
    re(&format!(
        r"(?:(?P<project>{})|(?P<programme>{})|(?P<platform>{}))\s+(?:[„»«\x22](?P<quoted>[^“»«\x22\n]{{2,60}})[“»«\x22]|(?P<formed>{FORMED})|(?P<phrase>{ADJECTIVE}\s+{NOUN}))",
        alternation(&lx.leads.project),
        alternation(&lx.leads.programme),
        alternation(&lx.leads.platform),
    ))
});

/// Names that are products by their form wherever they stand.
static PRODUCT: LazyLock<Regex> = LazyLock::new(|| {
    let lx = &*LEXICON;
    re(&format!(
        r"(?P<at>[A-ZÄÖÜ][\wäöüß\-]*[a-zäöüA-Z]@[A-ZÄÖÜ][\wäöüß\-]*[\wäöüß])|(?P<dot>[A-ZÄÖÜ][\wäöüß\-]*(?:portal|Portal|plattform|Plattform|konto|Konto|app|App|cloud|Cloud)\.(?:{}))|(?P<acr>[A-ZÄÖÜ]{{2,}}[a-z]?-(?:{}))|(?P<landed>[A-ZÄÖÜ][\wäöüß\-]*(?:portal|konto)\s+(?:{}))",
        alternation(&lx.dot_suffixes),
        alternation(&lx.product_heads),
        alternation(&lx.land_names),
    ))
});

/// "das sächsische Digitalnavigatoren-Programm": a definite article, maybe an adjective, and a
/// hyphenated compound with a programme head.
static PROGRAMME_COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:[Dd]as|[Dd]es|[Dd]em|[Dd]ie|[Dd]er)\s+(?:[a-zäöüß]+(?:e|en|es)\s+)?(?P<name>(?P<first>[A-ZÄÖÜ][a-zäöüß]{{4,}})-(?P<head>{}))",
        alternation(&LEXICON.programme_heads),
    ))
});

/// A unit that carries a project, with the name that follows it ("Koordinierungsstelle OZG-Kommunal").
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?P<name>(?:{})\s+(?P<formed>{FORMED}))", alternation(&LEXICON.units))));

/// "Der digitale Bauantrag ist ein gemeinsames Projekt der Länder": a named thing (an adjective and
/// a noun, the subject at the start of a sentence) that the sentence calls a project.
static CALLED_A_PROJECT: LazyLock<Regex> = LazyLock::new(|| {
    let lx = &*LEXICON;
    let mut leads: Vec<String> = lx.leads.project.clone();
    leads.extend(lx.leads.programme.iter().cloned());
    leads.extend(lx.leads.platform.iter().cloned());
    re(&format!(
        r"(?:^|[.!?]\s+|\n\s*)(?P<article>Der|Die|Das)\s+(?P<adj>[a-zäöüß]+e)\s+(?P<noun>[A-ZÄÖÜ][a-zäöüß]+)\s+(?:ist|war|wird|bleibt)\s+(?:ein|eine)\s+(?:[a-zäöüß\-]+\s+){{0,3}}(?:{})",
        alternation(&leads),
    ))
});

/// The nominative without article: "der digitale Antrag" → "Digitaler Antrag", "das
/// gemeinsame Portal" → "Gemeinsames Portal", "die neue Plattform" → "Neue Plattform".
fn without_article(article: &str, adjective: &str, noun: &str) -> String {
    let ending = match article {
        "Der" => "r",
        "Das" => "s",
        _ => "",
    };
    let mut chars = adjective.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    format!("{first}{}{ending} {noun}", chars.as_str())
}

/// One project found in a text: where its name stands, its nominative name, its kind and rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ProjectFound {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub kind: &'static str,
    pub rule: &'static str,
}

/// A quoted phrase is a name, not a slogan or a quotation: short, no sentence punctuation, no verb
/// ending a clause.
fn quoted_is_name(q: &str) -> bool {
    let q = q.trim();
    let words = q.split_whitespace().count();
    words > 0
        && words <= 6
        && !q.contains(['!', '?', ',', ';', ':'])
        && !q.ends_with('.')
        && q.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c.is_lowercase())
}

/// Drops a dot that ends the sentence ("… des Programms Kiel@Digital.").
fn trim_name(s: &str) -> &str {
    s.trim().trim_end_matches(['.', '-'])
}

/// The nominative of a programme compound's head ("Digitalnavigatoren-Programms" →
/// "Digitalnavigatoren-Programm").
fn programme_nominative(first: &str, head: &str) -> String {
    let head = match head {
        "Programms" | "Programmes" => "Programm",
        "Projekts" | "Projektes" => "Projekt",
        h => h,
    };
    format!("{first}-{head}")
}

/// Every project that the patterns find in `text`, in order of position, without overlaps.
pub(super) fn find_projects(text: &str) -> Vec<ProjectFound> {
    let lx = &*LEXICON;
    let mut out: Vec<ProjectFound> = Vec::new();
    for c in AFTER_LEAD.captures_iter(text) {
        if !starts_word(text, c.get(0).map_or(0, |m| m.start())) {
            continue;
        }
        let kind = if c.name("programme").is_some() {
            "programme"
        } else if c.name("platform").is_some() {
            "platform"
        } else {
            "project"
        };
        let (m, rule) = if let Some(q) = c.name("quoted") {
            if !quoted_is_name(q.as_str()) {
                continue;
            }
            (q, "project:quoted")
        } else if let Some(f) = c.name("formed") {
            // "EU-weit", "KI-gestützter": a compound that ends in a lower-case word is no name
            let last = f.as_str().rsplit('-').next().unwrap_or_default();
            if f.as_str().contains('-') && last.chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
            (f, "project:formed")
        } else if let Some(p) = c.name("phrase") {
            let first = p.as_str().split_whitespace().next().unwrap_or_default();
            if lx.not_name_starts.iter().any(|w| w == first) {
                continue;
            }
            (p, "project:phrase")
        } else {
            continue;
        };
        let name = trim_name(m.as_str());
        let start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
        if name.chars().count() < 2 {
            continue;
        }
        out.push(ProjectFound { start, end: start + name.len(), name: name.to_owned(), kind, rule });
    }
    for c in PRODUCT.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        // "…@Kiel" ends where its word ends; the other forms end in a word of a list
        if !starts_word(text, whole.start) || (c.name("at").is_none() && !ends_word(text, whole.end)) {
            continue;
        }
        let (m, kind, rule) = if let Some(m) = c.name("at") {
            (m, "project", "project:at")
        } else if let Some(m) = c.name("dot") {
            (m, "platform", "project:dotted")
        } else if let Some(m) = c.name("acr") {
            // "eine KI-Plattform" is a kind of thing; "die OZG-Cloud" a thing
            let before = text[..m.start()].trim_end();
            let indefinite = before.rsplit(|c: char| !c.is_alphabetic()).next().is_some_and(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "ein" | "eine" | "einer" | "einem" | "einen" | "eines" | "keine" | "jede" | "jeder"
                )
            });
            if indefinite {
                continue;
            }
            (m, "platform", "project:acronym-compound")
        } else if let Some(m) = c.name("landed") {
            // "Landesportal Sachsen" is cut from "Landesportal Sachsen-Anhalt"
            if text[m.end()..].starts_with('-') {
                continue;
            }
            (m, "platform", "project:portal-of-land")
        } else {
            continue;
        };
        out.push(ProjectFound { start: m.start(), end: m.end(), name: m.as_str().to_owned(), kind, rule });
    }
    for c in PROGRAMME_COMPOUND.captures_iter(text) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        if !starts_word(text, whole.start) || !ends_word(text, whole.end) {
            continue;
        }
        let (Some(m), Some(first), Some(head)) = (c.name("name"), c.name("first"), c.name("head")) else { continue };
        if lx.not_programme_parts.iter().any(|p| p == first.as_str()) {
            continue;
        }
        out.push(ProjectFound {
            start: m.start(),
            end: m.end(),
            name: programme_nominative(first.as_str(), head.as_str()),
            kind: "programme",
            rule: "project:programme-compound",
        });
    }
    for c in UNIT.captures_iter(text) {
        if !starts_word(text, c.get(0).map_or(0, |m| m.start())) {
            continue;
        }
        let (Some(m), Some(f)) = (c.name("name"), c.name("formed")) else { continue };
        let last = f.as_str().rsplit('-').next().unwrap_or_default();
        if f.as_str().contains('-') && last.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let name = trim_name(m.as_str());
        out.push(ProjectFound {
            start: m.start(),
            end: m.start() + name.len(),
            name: name.to_owned(),
            kind: "project",
            rule: "project:unit",
        });
    }
    for c in CALLED_A_PROJECT.captures_iter(text) {
        if !ends_word(text, c.get(0).map_or(0, |m| m.end())) {
            continue;
        }
        let (Some(article), Some(adj), Some(noun)) = (c.name("article"), c.name("adj"), c.name("noun")) else {
            continue;
        };
        if lx.leads.project.iter().chain(&lx.leads.programme).chain(&lx.leads.platform).any(|w| w == noun.as_str()) {
            continue; // "Das neue Portal ist eine Plattform …" names nothing
        }
        out.push(ProjectFound {
            start: adj.start(),
            end: noun.end(),
            name: without_article(article.as_str(), adj.as_str(), noun.as_str()),
            kind: "project",
            rule: "project:called-a-project",
        });
    }
    out.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<ProjectFound> = Vec::new();
    for f in out {
        if kept.last().is_some_and(|k| f.start < k.end) {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// Whether `at` (a char boundary of `text`) starts a word. The patterns of this module check
/// their word boundaries here rather than with `\b`: over German text the regex engine's lazy DFA
/// gives up at a Unicode word boundary and falls back to a much slower engine for the whole text.
fn starts_word(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether `at` (a char boundary of `text`) ends a word.
fn ends_word(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// "Themenfeld", inflected, maybe with "OZG-", before the name of a Themenfeld.
static THEMENFELD: LazyLock<Regex> = LazyLock::new(|| re(r"(?:OZG-)?Themenfeld(?:es|s)?\s+[„\x22]?"));

/// The Themenfeld of the OZG catalogue named after "Themenfeld" in any case ("Koordinator des
/// OZG-Themenfeldes Arbeit und Ruhestand"): the gazetteer knows the names, not every inflection
/// of the word before them. Returns (entry, start, end) of the name.
fn themenfelder(doc: &Doc) -> Vec<(usize, usize, usize)> {
    let entries = doc.names.entries();
    let mut out = Vec::new();
    for m in THEMENFELD.find_iter(doc.text) {
        if !starts_word(doc.text, m.start()) {
            continue;
        }
        let rest = &doc.text[m.end()..];
        // "Bauen & Wohnen" is also written "Bauen und Wohnen"
        let best = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == "ozg_themenfeld")
            .flat_map(|(i, e)| [(i, e.name.trim().to_owned()), (i, e.name.trim().replace(" & ", " und "))])
            // the whole word: "Bauen und Wohnen", not "Bauen und Wohnenden"
            .filter(|(_, n)| {
                !n.is_empty()
                    && rest.starts_with(n.as_str())
                    && !rest[n.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
            .max_by_key(|(_, n)| n.len());
        if let Some((i, n)) = best {
            // the mention is the whole phrase "OZG-Themenfeldes Bauen und Wohnen" (the name alone
            // when it stands in quotes)
            let quoted = m.as_str().ends_with(['„', '"']);
            out.push((i, if quoted { m.end() } else { m.start() }, m.end() + n.len()));
        }
    }
    out
}

/// Takes `start..end` for a name read whole: the known names inside it ("Kiel" in "OneIT@Kiel",
/// "OZG" in "OZG-Cloud") are not mentioned there. False when a mention reaches beyond the span.
fn claim_whole(doc: &mut Doc, start: usize, end: usize) -> bool {
    let inside = doc
        .mentions
        .iter()
        .filter(|m| m.1 < end && start < m.2)
        .all(|m| start <= m.1 && m.2 <= end && m.2 - m.1 < end - start);
    if inside {
        doc.mentions.retain(|m| !(start <= m.1 && m.2 <= end));
    }
    inside
}

pub(super) fn projects(doc: &mut Doc) {
    let text = doc.text;
    for (entry, start, end) in themenfelder(doc) {
        if doc.covered(start, end).is_some() && !claim_whole(doc, start, end) {
            continue;
        }
        let i = doc.entity(super::analysis::from_gazetteer(&doc.names.entries()[entry]));
        doc.mention(i, start, end);
    }
    for f in find_projects(text) {
        // a name whose form makes it one word ("OneIT@Kiel", "OZG-Cloud", "Bürgerportal Saar")
        // is read whole: a known name inside it ("Kiel", "OZG") is not mentioned there
        let whole = matches!(
            f.rule,
            "project:at"
                | "project:dotted"
                | "project:acronym-compound"
                | "project:portal-of-land"
                | "project:formed"
                | "project:unit"
        );
        if doc.covered(f.start, f.end).is_some() && !(whole && claim_whole(doc, f.start, f.end)) {
            continue;
        }
        let state = doc.state_at(f.start);
        let i = doc.entity(candidate(&f.name, EntityType::Project, f.kind, state, f.rule));
        doc.mention(i, f.start, f.end);
    }
    // quoted names after a platform noun: "die Service-Plattform des Freistaates, das „Amt24“"
    for c in PLATFORM.captures_iter(text) {
        let Some(name) = c.get(1) else { continue };
        if doc.covered(name.start(), name.end()).is_some() {
            continue;
        }
        let state = doc.state_at(name.start());
        let i = doc.entity(candidate(name.as_str(), EntityType::Project, "platform", state, "project:platform"));
        doc.mention(i, name.start(), name.end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_parses() {
        let lx = &*LEXICON;
        assert!(lx.leads.project.len() > 5 && !lx.leads.programme.is_empty() && !lx.leads.platform.is_empty());
        assert!(!lx.product_heads.is_empty() && !lx.dot_suffixes.is_empty());
        // every pattern builds
        let _ = (&*AFTER_LEAD, &*PRODUCT, &*PROGRAMME_COMPOUND);
    }

    fn names(text: &str) -> Vec<(String, &'static str)> {
        find_projects(text).into_iter().map(|f| (f.name, f.kind)).collect()
    }

    #[test]
    fn names_after_a_project_noun() {
        // (sentence, expected names)
        let rows: &[(&str, &[&str])] = &[
            ("Das Projekt „Digitale Schule“ startet im Herbst in Kiel.", &["Digitale Schule"]),
            ("Im Rahmen des Programms NordIT@Kiel werden alle Rechner ersetzt.", &["NordIT@Kiel"]),
            ("Das Pilotprojekt Smarte Verwaltung wurde von der Stadt Gera getragen.", &["Smarte Verwaltung"]),
            (
                "Getragen wird das Modellprojekt Kommunale Datenplattform vom Landkreis Harz.",
                &["Kommunale Datenplattform"],
            ),
            (
                "Mit dem Projekt Gemeinsame Vorgangs- und Dokumentenverwaltung wollen die Städte sparen.",
                &["Gemeinsame Vorgangs- und Dokumentenverwaltung"],
            ),
            ("Die Ministerin stellte das Vorhaben »Offene Register« vor.", &["Offene Register"]),
            ("Die App Mein-Rathaus24 ist seit Montag verfügbar.", &["Mein-Rathaus24"]),
            ("Über die Plattform eAkte-Nord laufen künftig alle Akten.", &["eAkte-Nord"]),
            ("Das Land fördert das Leuchtturmprojekt „Verwaltung 4.0“ mit zwei Millionen Euro.", &["Verwaltung 4.0"]),
            ("Die Initiative Digitales Saarland wird fortgesetzt.", &["Digitales Saarland"]),
            ("Die Träger des Projektes „Smart Village“ treffen sich.", &["Smart Village"]),
        ];
        for (text, want) in rows {
            let got: Vec<String> = names(text).into_iter().map(|n| n.0).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn project_nouns_alone_or_before_ordinary_words_are_no_project() {
        let rows: &[&str] = &[
            "Das Projekt wird vom Land gefördert.",
            "Die Plattform steht allen Kommunen offen.",
            "Das Projekt Ende Mai abgeschlossen zu haben, freut die Beteiligten.",
            "Das Programm sieht vor, dass die Kommunen mitwirken.",
            "Das Vorhaben „Wir schaffen das gemeinsam!“ nannte sie ein Versprechen.",
            "Das Projekt „Die Verwaltung, wie sie sein soll, bürgernah und schnell und digital für alle“ lief aus.",
            "Die Initiative Kommunen stärken ist eine Forderung.",
            "Der Minister sagte: „Das Portal ist ein Erfolg.“",
            "Das Vorhaben EU-weit umzusetzen, ist das Ziel.",
        ];
        for text in rows {
            assert_eq!(names(text), Vec::<(String, &str)>::new(), "{text}");
        }
    }

    #[test]
    fn names_that_are_products_by_their_form() {
        let rows: &[(&str, &[(&str, &str)])] = &[
            ("OneIT@Kiel ersetzt die Rechner der Ministerien.", &[("OneIT@Kiel", "project")]),
            ("Die Landesverwaltung stellt auf SmartGov@Hessen um.", &[("SmartGov@Hessen", "project")]),
            ("Der Antrag steht im Bürgerportal.RLP bereit.", &[("Bürgerportal.RLP", "platform")]),
            ("Anträge laufen über das Kommunalkonto.SH der Gemeinden.", &[("Kommunalkonto.SH", "platform")]),
            ("Die Landesregierung entwickelt die KDZ-Cloud als Basisinfrastruktur.", &[("KDZ-Cloud", "platform")]),
            ("Verknüpft wird alles mit dem LVN-Portal des Landes.", &[("LVN-Portal", "platform")]),
            ("Schon 2008 ging das Unternehmensportal Saar online.", &[("Unternehmensportal Saar", "platform")]),
            (
                "Die Anträge stehen im Kommunalportal Hessen und im Bürgerkonto Sachsen-Anhalt.",
                &[("Kommunalportal Hessen", "platform"), ("Bürgerkonto Sachsen-Anhalt", "platform")],
            ),
        ];
        for (text, want) in rows {
            let want: Vec<(String, &str)> = want.iter().map(|(n, k)| ((*n).to_owned(), *k)).collect();
            assert_eq!(names(text), want, "{text}");
        }
        let negatives: &[&str] = &[
            "Schreiben Sie an presse@stk.land.de oder rufen Sie an.",
            "Kontakt: info@kommune.de",
            "Die Gemeinde plant eine KI-Plattform für ihre Bürger.",
            "Eine IT-Cloud ist nicht vorgesehen.",
            "Die Stadt Neuss.NRW ist keine Adresse.",
            "Das Portal Sachsen bietet nichts davon.",
            "Die Kommunen in Sachsen nutzen das Serviceportal zunehmend.",
        ];
        for text in negatives {
            assert_eq!(names(text), Vec::<(String, &str)>::new(), "{text}");
        }
    }

    #[test]
    fn programme_compounds() {
        let rows: &[(&str, &[&str])] = &[
            (
                "Gegenstand waren das sächsische Digitalnavigatoren-Programm und weitere Themen.",
                &["Digitalnavigatoren-Programm"],
            ),
            ("Die Teilnehmer des Digitallotsen-Programms trafen sich in Erfurt.", &["Digitallotsen-Programm"]),
            (
                "Mit der hessischen Zukunftskommunen-Initiative unterstützt das Land Städte.",
                &["Zukunftskommunen-Initiative"],
            ),
            ("Das Förder-Programm des Bundes läuft aus.", &[]),
            ("Ein Datenlabor-Projekt ist geplant.", &[]),
        ];
        for (text, want) in rows {
            let got: Vec<String> = names(text).into_iter().map(|n| n.0).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn units_that_carry_a_project() {
        let rows: &[(&str, &[&str])] = &[
            (
                "Die 2020 gegründete Koordinierungsstelle OZG-Kommunal berät die Gemeinden.",
                &["Koordinierungsstelle OZG-Kommunal"],
            ),
            ("Das Land richtet ein Projektbüro eAkte beim Innenministerium ein.", &["Projektbüro eAkte"]),
            ("Aufgaben übernimmt der Aufbaustab KDZ-Nord.", &["Aufbaustab KDZ-Nord"]),
            ("Die Koordinierungsstelle berät die Gemeinden.", &[]),
            ("Die Kompetenzstelle des Landes hat ihren Sitz in Halle.", &[]),
            ("Eine Koordinierungsstelle EU-weit gibt es nicht.", &[]),
        ];
        for (text, want) in rows {
            let got: Vec<String> = names(text).into_iter().map(|n| n.0).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn things_the_sentence_calls_a_project() {
        let rows: &[(&str, &[&str])] = &[
            (
                "Der digitale Bauantrag ist ein länderübergreifendes Projekt unter Federführung Hessens.",
                &["Digitaler Bauantrag"],
            ),
            (
                "Seit Mai läuft er. Das elektronische Wohngeld war ein gemeinsames Vorhaben von Land und Kommunen.",
                &["Elektronisches Wohngeld"],
            ),
            (
                "Die kommunale Datendrehscheibe wird eine zentrale Plattform für alle Kreise.",
                &["Kommunale Datendrehscheibe"],
            ),
            // negatives: the subject is itself the project noun, not a named thing; no project noun
            ("Das neue Portal ist eine Plattform für alle.", &[]),
            ("Die digitale Verwaltung ist eine Daueraufgabe der Länder.", &[]),
            ("Der zuständige Minister ist ein erfahrener Verwaltungsjurist.", &[]),
            ("Sie sagte, der digitale Antrag sei ein Projekt.", &[]),
        ];
        for (text, want) in rows {
            let got: Vec<String> = names(text).into_iter().map(|n| n.0).collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    static TAGGER: LazyLock<super::super::analysis::Tagger> =
        LazyLock::new(|| super::super::analysis::embedded().expect("the embedded tagger"));

    /// The projects the whole tagger finds in a text: (name, mention texts).
    fn tagged_projects(text: &str) -> Vec<(String, Vec<String>)> {
        let tagged = TAGGER.tag("", text, None, None, None);
        tagged
            .analysis
            .entities
            .into_iter()
            .filter(|e| e.entity_type == EntityType::Project)
            .map(|e| (e.name, e.mentions.into_iter().map(|m| m.text).collect()))
            .collect()
    }

    #[test]
    fn themenfeld_in_its_inflections() {
        // (text, the Themenfeld found, or None)
        let rows: &[(&str, Option<&str>)] = &[
            (
                "Koordinatorin des OZG-Themenfeldes Bauen und Wohnen ist das Land Mecklenburg-Vorpommern.",
                Some("Bauen & Wohnen"),
            ),
            ("Im Rahmen des Themenfeldes Gesundheit arbeiten drei Länder zusammen.", Some("Gesundheit")),
            ("Thüringen führt das Themenfelds „Ein- und Auswanderung“ nicht.", Some("Ein- & Auswanderung")),
            ("Das Themenfeld ist groß und das Wohnen teuer.", None),
        ];
        for (text, want) in rows {
            let got: Vec<String> = tagged_projects(text).into_iter().map(|p| p.0).collect();
            match want {
                Some(w) => assert!(got.iter().any(|g| g == w), "{text}: {got:?}"),
                None => assert!(got.is_empty(), "{text}: {got:?}"),
            }
        }
    }

    #[test]
    fn a_known_name_inside_a_product_name_is_read_whole() {
        let rows: &[(&str, &str)] = &[
            ("Die Ministerien ziehen auf OneIT@Hessen um.", "OneIT@Hessen"),
            ("Das Land baut die OZG-Cloud gemeinsam mit den Kommunen.", "OZG-Cloud"),
            ("Anträge stehen im Kommunalportal.NRW bereit.", "Kommunalportal.NRW"),
        ];
        for (text, want) in rows {
            let got = tagged_projects(text);
            assert!(got.iter().any(|(n, m)| n == want && m.iter().any(|t| t == want)), "{text}: {got:?}");
        }
    }

    #[test]
    fn offsets_are_on_char_boundaries() {
        for text in ["Das Projekt „Öffentliche Räume“ läuft.", "Über Bürgerportal.SH und ÄmterApp@Süd"] {
            for f in find_projects(text) {
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                assert_eq!(&text[f.start..f.end], f.name);
            }
        }
    }
}
