//! Discovery of bodies: see [`super::discovery`] for the rules of every kind.

use std::sync::LazyLock;

use govgraph_shared::analysis::{EntityType, FoundEntity, FoundRelation};
use govgraph_shared::vocab::{Predicate, Role};
use regex::Regex;

use super::analysis::Doc;
use super::discovery::{candidate, re};

/// The body nouns organisations.rs checks a name against (kept as it was; the lexicon's `nouns`
/// are what discovery reads).
pub(super) const BODY_NOUNS: &[&str] = &[
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

/// The words of bodies and membership, from `shared/data/lexicon/bodies.toml`.
#[derive(Debug, serde::Deserialize)]
pub(super) struct Lexicon {
    nouns: Vec<String>,
    not_bodies: Vec<String>,
    pub(super) anaphora: Vec<String>,
    roles: Roles,
}

#[derive(Debug, serde::Deserialize)]
struct Roles {
    deputy_chair: Vec<String>,
    chair: Vec<String>,
    guest: Vec<String>,
    member: Vec<String>,
}

const LEXICON_TOML: &str = include_str!("../../../shared/data/lexicon/bodies.toml");

pub(super) static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| toml::from_str(LEXICON_TOML).expect("shared/data/lexicon/bodies.toml parses"));

/// The role cues of the lexicon, compiled once, in the order they decide.
static ROLE_CUES: LazyLock<Vec<(Role, Regex)>> = LazyLock::new(|| {
    let r = &LEXICON.roles;
    [(Role::DeputyChair, &r.deputy_chair), (Role::Chair, &r.chair), (Role::Guest, &r.guest), (Role::Member, &r.member)]
        .into_iter()
        .map(|(role, cues)| (role, re(&format!("(?i)(?:{})", cues.join("|")))))
        .collect()
});

/// The roles of membership a sentence states, with where their cue starts (bytes): deputy_chair,
/// chair, guest, member.
pub(crate) fn roles_in(sentence: &str) -> Vec<(Role, usize)> {
    ROLE_CUES.iter().filter_map(|(role, cue)| cue.find(sentence).map(|m| (*role, m.start()))).collect()
}

/// The body noun a word ends in ("Lenkungsausschusses" -> "Lenkungsausschuss"), if any.
pub(super) fn body_head(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let lex = &*LEXICON;
    for ending in ["", "es", "s", "n"] {
        let Some(stem) = lower.strip_suffix(ending) else { continue };
        if lex.nouns.iter().any(|n| stem.ends_with(n.as_str()))
            && !lex.not_bodies.iter().any(|n| stem.ends_with(n.as_str()))
            && stem.len() > 3
        {
            // the ending was found in the lower-cased word: cut it from the word as written only
            // where the word ends the same way (lower-casing may change lengths)
            return word.strip_suffix(ending).or_else(|| word.strip_suffix(&ending.to_uppercase())).map(str::to_owned);
        }
    }
    None
}

pub(super) static QUOTED: LazyLock<Regex> = LazyLock::new(|| re(r#"[„"»]([^“”"«„\n]{2,90})[“”"«]"#));
pub(super) static ACRONYM_BODY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([A-ZÄÖÜ]{2,}[A-Za-zÄÖÜäöü]*-(?:[A-ZÄÖÜ][a-zäöüß]*)?(?:Rat|Kreis|Ausschuss|Gremium|Kooperationsrat|Lenkungskreis|Beirat|Kommission|Lenkungsrat))(?:es|s)?",
    )
});

/// Where `word` (or `word` with one of `endings`) stands as a whole word in `text` (bytes).
pub(super) fn find_word(text: &str, word: &str, endings: &[&str]) -> Vec<(usize, usize)> {
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

pub(super) fn word_before(text: &str, at: usize) -> Option<(usize, &str)> {
    let head = text[..at].trim_end();
    let start = head
        .char_indices()
        .rfind(|&(_, c)| c.is_whitespace() || "(„\"".contains(c))
        .map_or(0, |(p, c)| p + c.len_utf8());
    let w = &head[start..];
    (!w.is_empty()).then_some((start, w))
}

pub(super) fn bodies(doc: &mut Doc) {
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

static BODY_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-ZÄÖÜ][\wÄÖÜäöüß\-]*"));
static OWNER_ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s+(?:des|der)\s+"));

/// A body of an organisation ("die Verbandsversammlung des Zweckverbandes X", "der Verwaltungsrat
/// der Y GmbH"): a compound body noun followed by the organisation in the genitive. Named as
/// written, and located in that organisation. Read after every organisation is known (from
/// [`super::relations::run`]).
pub(super) fn owned_bodies(doc: &mut Doc) {
    let text = doc.text;
    let words: Vec<(usize, usize)> = BODY_WORD.find_iter(text).map(|m| (m.start(), m.end())).collect();
    for (ws, we) in words {
        let word = &text[ws..we];
        let Some(head) = body_head(word) else { continue };
        // a compound ("Verbandsversammlung"), not a bare "Rat" or "Gruppe"
        let bare = LEXICON.nouns.iter().any(|n| head.to_lowercase() == *n);
        if bare || doc.covered(ws, we).is_some() {
            continue;
        }
        let Some(art) = OWNER_ARTICLE.find(&text[we..]) else { continue };
        let at = we + art.end();
        // the organisation right there, or after the word of its type ("des Zweckverbandes X")
        let type_word = text[at..]
            .split_whitespace()
            .next()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .map(|w| at + w.len() + 1);
        let owns = |e: &FoundEntity| {
            // a body "des Landes" is any of the Land's: too vague to name
            e.entity_type == EntityType::Actor
                && !matches!(e.kind.as_str(), "person" | "body" | "group" | "government")
                && super::relations::complete_name(&e.name)
        };
        let named_here = doc
            .mentions
            .iter()
            .filter(|m| m.1 == at || Some(m.1) == type_word)
            .max_by_key(|m| m.2)
            .copied()
            .filter(|m| owns(&doc.entities[m.0]));
        let (owner, name, end) = match named_here {
            Some(m) => (m.0, format!("{head}{}", &text[we..m.2]), m.2),
            // "die Verbandsversammlung des Zweckverbandes" after "der Zweckverband X": the
            // organisation of that type named last before
            None => {
                let Some(type_end) = type_word else { continue };
                let written = text[at..type_end].trim_end().trim_end_matches([',', '.', ';', ':']);
                let Some(i) = organisation_named_before(doc, ws, written, &owns) else { continue };
                let stem = type_stem(written);
                let owner_name = doc.entities[i].name.clone();
                let short = owner_name.strip_prefix(stem).map_or(owner_name.as_str(), str::trim_start);
                (i, format!("{head}{} {short}", &text[we..at + written.len()]), at + written.len())
            }
        };
        let owner = (owner, 0, end);
        let state = doc.state_at(ws);
        let body = doc.entity(candidate(&name, EntityType::Actor, "body", state, "body:owned"));
        doc.mention(body, ws, owner.2);
        if let Some(sentence) = doc.sentence_of(ws) {
            let evidence = doc.span_bytes(sentence);
            doc.relation(FoundRelation {
                subject: body,
                predicate: Predicate::LocatedIn,
                object: owner.0,
                role: None,
                title: None,
                date: None,
                evidence,
                method: "pattern:body-of".to_owned(),
                confidence: 0.7,
            });
        }
        // the bare compound later in the text is this body
        for (start, end) in find_word(text, &head, &["es", "s"]) {
            if start > ws && doc.covered(start, end).is_none() {
                doc.mention(body, start, end);
            }
        }
    }
}

/// A type word without its genitive ending ("Zweckverbandes" is "Zweckverband").
fn type_stem(word: &str) -> &str {
    word.strip_suffix("es").filter(|w| w.chars().count() > 4).or_else(|| word.strip_suffix('s')).unwrap_or(word)
}

/// The organisation of a type ("Zweckverbandes", "Gesellschaft") mentioned last before `at`:
/// its name holds the type word, or the text writes the type word right before its mention.
fn organisation_named_before(
    doc: &Doc,
    at: usize,
    type_word: &str,
    owns: &dyn Fn(&FoundEntity) -> bool,
) -> Option<usize> {
    let stem = type_stem(type_word);
    if stem.chars().count() < 5 {
        return None;
    }
    doc.mentions
        .iter()
        .filter(|m| m.2 <= at && owns(&doc.entities[m.0]))
        .filter(|m| {
            let e = &doc.entities[m.0];
            e.name.split_whitespace().any(|w| w == stem)
                || doc.text[m.1..m.2].split_whitespace().next() == Some(stem)
                || doc.text[..m.1].trim_end().rsplit(char::is_whitespace).next() == Some(stem)
        })
        .max_by_key(|m| m.1)
        .map(|m| m.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_parses() {
        assert!(LEXICON.nouns.len() > 10 && !LEXICON.anaphora.is_empty());
        assert_eq!(ROLE_CUES.len(), 4);
    }

    #[test]
    fn body_nouns_in_their_forms() {
        let rows: &[(&str, Option<&str>)] = &[
            ("Lenkungsausschusses", Some("Lenkungsausschuss")),
            ("IT-Kooperationsrates", Some("IT-Kooperationsrat")),
            ("Verbandsversammlung", Some("Verbandsversammlung")),
            ("Beirats", Some("Beirat")),
            ("Steuerungsgruppe", Some("Steuerungsgruppe")),
            ("Landkreis", None),
            ("Hausrat", None),
            ("Referat", None),
        ];
        for (word, want) in rows {
            assert_eq!(body_head(word).as_deref(), *want, "{word}");
        }
    }

    #[test]
    fn roles_of_membership_in_german() {
        let rows: &[(&str, Option<&str>)] = &[
            ("Den Vorsitz führt Staatssekretär Karl Berg.", Some("chair")),
            ("Unter dem Vorsitz der Ministerin tagte der Beirat.", Some("chair")),
            ("Unter Leitung des CIO kam die Runde zusammen.", Some("chair")),
            ("Die Präsidentin übernimmt den Vorsitz.", Some("chair")),
            ("Zur stellvertretenden Vorsitzenden wurde die Landrätin gewählt.", Some("deputy_chair")),
            ("Ihr Stellvertreter ist der Bürgermeister.", Some("deputy_chair")),
            ("Der Landesbetrieb nimmt beratend teil.", Some("guest")),
            ("Mit beratender Stimme nehmen die Verbände teil.", Some("guest")),
            ("Die Verbände sind mit Gaststatus vertreten.", Some("guest")),
            ("Dem Gremium gehören die drei Verbände an.", Some("member")),
            ("Im Rat sind die Ministerien vertreten.", Some("member")),
            ("Der Ausschuss ist paritätisch mit Vertretern von Land und Kommunen besetzt.", Some("member")),
            ("Das Gremium setzt sich aus Vertreterinnen der Kreise zusammen.", Some("member")),
            ("Der Städtetag hat sie als Mitglied in den Beirat berufen.", Some("member")),
            // no membership
            ("Der Rat tagte in Kiel.", None),
            ("Die Vorsitzenden der Verbände begrüßten den Beschluss.", None),
            ("Die Kommission empfiehlt eine Reform.", None),
        ];
        for (s, want) in rows {
            assert_eq!(roles_in(s).first().map(|r| r.0.as_str()), *want, "{s}");
        }
    }
}
