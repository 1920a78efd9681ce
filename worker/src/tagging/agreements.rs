//! Discovery of agreements: see [`super::discovery`] for the rules of every kind.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use govgraph_shared::analysis::{EntityType, FoundEntity};
use govgraph_shared::vocab::Predicate;
use regex::Regex;

use super::analysis::Doc;
use super::bodies::QUOTED;
use super::discovery::{candidate, re};

/// The words of agreeing, from `shared/data/lexicon/agreements.toml`.
#[derive(Debug, serde::Deserialize)]
pub(super) struct Lexicon {
    head: Vec<Head>,
    generic_modifiers: Vec<String>,
    bare_never_named: Vec<String>,
    pub(super) verbs: Verbs,
    tail: Tail,
}

#[derive(Debug, serde::Deserialize)]
struct Head {
    word: String,
    kind: String,
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct Verbs {
    pub(super) signing: Vec<String>,
    pub(super) concluding: Vec<String>,
    pub(super) renewing: Vec<String>,
    pub(super) participles: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Tail {
    start: Vec<String>,
    function: Vec<String>,
    stop: Vec<String>,
}

const LEXICON_TOML: &str = include_str!("../../../shared/data/lexicon/agreements.toml");

pub(super) static LEXICON: LazyLock<Lexicon> =
    LazyLock::new(|| toml::from_str(LEXICON_TOML).expect("shared/data/lexicon/agreements.toml parses"));

/// Whether a word of the text is one of `stems` (a word starting with one, case as written).
pub(super) fn has_stem(text: &str, stems: &[String]) -> bool {
    text.split(|c: char| !c.is_alphanumeric() && c != '-').any(|w| stems.iter().any(|s| w.starts_with(s.as_str())))
}

/// The last three letters, lower-cased, of every head (empty when a head is shorter: then every
/// word is looked at).
static HEAD_ENDS: LazyLock<Vec<[char; 3]>> = LazyLock::new(|| {
    let mut ends = Vec::new();
    for h in &LEXICON.head {
        let chars: Vec<char> = h.word.chars().flat_map(char::to_lowercase).collect();
        let Some(end) = chars.len().checked_sub(3).map(|at| [chars[at], chars[at + 1], chars[at + 2]]) else {
            return Vec::new();
        };
        if !ends.contains(&end) {
            ends.push(end);
        }
    }
    ends
});

/// Whether `word`, without an "s" or "es" ending, ends in the last letters of a head.
fn ends_like_a_head(word: &str) -> bool {
    let mut last = [' '; 5];
    for (slot, c) in last.iter_mut().rev().zip(word.chars().rev()) {
        *slot = c.to_lowercase().next().unwrap_or(c);
    }
    let end = |n: usize| [last[2 - n], last[3 - n], last[4 - n]];
    (0..=2).any(|n| {
        let ending_fits = match n {
            0 => true,
            1 => last[4] == 's',
            _ => last[3] == 'e' && last[4] == 's',
        };
        ending_fits && HEAD_ENDS.contains(&end(n))
    })
}

/// An agreement noun: its head, its kind, whether the word names one by itself (a compound
/// with a specific first part: "E-Government-Pakt", "Kommunalpakt"), and the word in the
/// nominative.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AgreementWord {
    pub(super) head: &'static str,
    pub(super) kind: &'static str,
    pub(super) named: bool,
    pub(super) nominative: String,
}

pub(super) fn agreement_word(word: &str) -> Option<AgreementWord> {
    let mut chars = word.chars();
    let first = chars.next()?;
    // "Rahmenvereinbarung", or a compound like "eGovernment-Pakt"
    if !(first.is_uppercase() || (first.is_lowercase() && chars.next().is_some_and(char::is_uppercase))) {
        return None;
    }
    let lex: &'static Lexicon = &LEXICON;
    // most capitalised words end in no head: a look at the last letters (before an "s" or "es")
    // spares them the lower-casing and the loop over the heads
    if !HEAD_ENDS.is_empty() && !ends_like_a_head(word) {
        return None;
    }
    let lower = word.to_lowercase();
    for h in &lex.head {
        let uninflected = h.word.ends_with("ung") || h.word.ends_with("ie") || h.word.ends_with('a');
        let endings: &[&str] = if uninflected { &[""] } else { &["", "s", "es"] };
        for ending in endings {
            let Some(stem) = lower.strip_suffix(ending) else { continue };
            let Some(modifier) = stem.strip_suffix(h.word.as_str()) else { continue };
            // the ending as written ("Paktes"); a word of other letters is not read
            let Some(nominative) = word.strip_suffix(ending).or_else(|| word.strip_suffix(&ending.to_uppercase()))
            else {
                continue;
            };
            let m = modifier.trim_end_matches('-');
            let generic = m.is_empty() || lex.generic_modifiers.iter().any(|g| g.trim_end_matches('-') == m);
            // a specific first part of at least two letters ("IT-", "Kommunal", "E-Government-")
            let named = !generic
                && m.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !lex.bare_never_named.contains(&h.word);
            return Some(AgreementWord {
                head: h.word.as_str(),
                kind: h.kind.as_str(),
                named,
                nominative: nominative.to_owned(),
            });
        }
    }
    None
}

pub(super) static OF_STATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+des\s+(?:Freistaate?s|Landes)\s+([A-ZÄÖÜ][\w\-]+)"));
pub(super) static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+(?:wurde|war)\s+(?:bereits\s+)?im\s+Jahr(?:e)?\s+(\d{4})"));
pub(super) static EARLIER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|\s)(erste|früheren?|bisherigen?|vorherigen?|alten?|ersten)\s*$"));
pub(super) static PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[Pp]lattform|[Pp]ortal|App|Netz|Anwendung)\w*(?:\s+des\s+\w+)?,\s+(?:dem|der|das|die)\s+[„\x22]([^“\x22]{2,60})[“\x22]",
    )
});
/// A capitalised word, or a compound with a lower-case prefix ("eGovernment-Pakt").
static AGREEMENT_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?:[A-ZÄÖÜ]|\b[a-zäöü][A-ZÄÖÜ])[\wÄÖÜäöüß\-]*"));
pub(super) static DATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:vom|am)\s+(\d{1,2}\.\s*(?:\d{1,2}\.|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s*\d{4})",
    )
});
pub(super) static YEAR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:(?:im\s+Jahr(?:e)?\s+)?(\d{4})\s+(?:beschlossene|verabschiedete|unterzeichnete|geschlossene|vereinbarte)\w*|im\s+Jahr(?:e)?\s+(\d{4}))",
    )
});
pub(super) static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|\s)(?:am|vergangenen|letzten)\s+(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)")
});
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

pub(super) fn agreements(doc: &mut Doc) {
    let text = doc.text;
    let mut last: Vec<(&'static str, usize)> = Vec::new();
    let mut earlier_ones: Vec<usize> = Vec::new();
    let words: Vec<(usize, usize)> = AGREEMENT_WORD.find_iter(text).map(|m| (m.start(), m.end())).collect();
    // the heads of agreements the text names in full ("Rahmenvereinbarung über ..."): a compound of
    // the same head ("die eGovernment-Rahmenvereinbarung") is a short form of that one
    let full_heads: Vec<&'static str> = words
        .iter()
        .filter_map(|&(ws, we)| {
            let aw = agreement_word(&text[ws..we])?;
            let end = doc.sentence_of(ws).map_or(we, |s| s.1.max(we));
            let rest = &text[we..end];
            let quoted = QUOTED.captures(rest).is_some_and(|c| c.get(0).is_some_and(|m| m.start() <= 2));
            (quoted || tail(rest).is_some()).then_some(aw.head)
        })
        .collect();
    let same_family = |a: &str, b: &str| a.ends_with(b) || b.ends_with(a);
    let mut short_forms: Vec<(&'static str, String, usize, usize)> = Vec::new();
    for (ws, we) in words {
        let word = &text[ws..we];
        let Some(aw) = agreement_word(word) else { continue };
        let (head, kind) = (aw.head, aw.kind);
        let word = aw.nominative.as_str();
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
        let verbs = &LEXICON.verbs;
        let signed = has_stem(&text[sentence.0..sentence.1], &verbs.signing)
            || has_stem(&text[sentence.0..sentence.1], &verbs.concluding);
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
        } else if !aw.named
            && ((earlier && (year.is_some() || date.is_some())) || (date.is_some() && DATE_AFTER.is_match(rest)))
        {
            // "eine erste Rahmenvereinbarung ... im Jahr 2006", "die Rahmenvereinbarung vom 3. Mai 2016"
            let y =
                year.clone().or_else(|| date.as_ref().and_then(|d| d.get(..4)).map(str::to_owned)).unwrap_or_default();
            let state_name = state.as_deref().and_then(|s| doc.state_name(s)).unwrap_or_default();
            let alias = EARLIER.find(before).map(|m| format!("{} {word}", m.as_str().trim()));
            (format!("{word} {state_name} {y}").replace("  ", " "), we, alias)
        } else if aw.named
            && let Some(&(_, i)) = last.iter().rev().find(|(_, i)| doc.entities[*i].name == aw.nominative)
        {
            // the same named compound again ("der E-Government-Pakt ... am 3. Mai 2024 ...")
            doc.mention(i, ws, we);
            if doc.entities[i].date.is_none() {
                doc.entities[i].date = date.or(year);
            }
            continue;
        } else if aw.named && full_heads.iter().any(|h| same_family(h, head)) {
            short_forms.push((head, aw.nominative.clone(), ws, we));
            continue;
        } else if aw.named {
            // "E-Government-Pakt", "IT-Staatsvertrag", "Kommunalpakt": the compound is the name;
            // with its state as an alias ("E-Government-Pakt Hessen")
            let state_name = state.as_deref().filter(|s| *s != "DE").and_then(|s| doc.state_name(s));
            (word.to_owned(), we, state_name.map(|n| format!("{word} {n}")))
        } else {
            // a bare "die Rahmenvereinbarung": the one named before (not an earlier one)
            // ("die Vereinbarung" is also the "Kooperationsvereinbarung zur ..." named before)
            let refers = |h: &str| h == head || (aw.nominative.to_lowercase() == head && h.ends_with(head));
            if let Some((_, i)) = last.iter().rev().find(|(h, i)| refers(h) && !earlier_ones.contains(i)) {
                let i = *i;
                doc.mention(i, ws, we);
                if doc.entities[i].date.is_none() {
                    doc.entities[i].date = date;
                }
                continue;
            }
            // a bare agreement noun signed or concluded here, of which the text gives no name:
            // an agreement of its own, named by its purpose ("einen Kooperationsvertrag zur
            // ...") or, once its parties are known, by them (see `name_unnamed`); a more
            // specific word of the same family later is the same one ("die Vereinbarung" ...
            // "die Kooperationsvereinbarung")
            if let Some(&(_, i)) = last.iter().rev().find(|(_, i)| doc.entities[*i].method == UNNAMED_METHOD) {
                doc.mention(i, ws, we);
                let e = &mut doc.entities[i];
                if !e.name.contains(' ') && e.name.chars().count() < aw.nominative.chars().count() {
                    e.name = aw.nominative.clone();
                }
                continue;
            }
            // only a document's one unnamed agreement, of a word that means an agreement (not
            // a decision or a strategy), and not the short form of one named in full elsewhere
            let agreement_kind = kind.ends_with("agreement") || kind.ends_with("treaty");
            if !signed || earlier || !agreement_kind || full_heads.iter().any(|h| same_family(h, head)) {
                continue;
            }
            match purpose(rest) {
                Some((t, len)) => (format!("{word} {t}"), we + len, None),
                None => (word.to_owned(), we, None),
            }
        };
        let unnamed = !aw.named
            && quoted.is_none()
            && tail.is_none()
            && of_state.is_none()
            && !earlier
            && signed
            && !(date.is_some() && DATE_AFTER.is_match(rest));
        let rule = if unnamed { "agreement-unnamed" } else { "agreement" };
        let mut e = candidate(&name, EntityType::Agreement, kind, state.clone(), rule);
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
    // a short form is a mention of the agreement of its family named in full nearest to it
    for (head, short, ws, we) in short_forms {
        let near = last
            .iter()
            .filter(|(h, i)| same_family(h, head) && !earlier_ones.contains(i))
            .min_by_key(|(_, i)| doc.mentions.iter().filter(|m| m.0 == *i).map(|m| m.1.abs_diff(ws)).min())
            .map(|(_, i)| *i);
        if let Some(i) = near {
            doc.mention(i, ws, we);
            if !doc.entities[i].aliases.contains(&short) && doc.entities[i].name != short {
                doc.entities[i].aliases.push(short);
            }
        }
    }
    founding(doc);
}

/// The method of an agreement found by a bare noun that the text does not name.
pub(super) const UNNAMED_METHOD: &str = "pattern:agreement-unnamed";

/// What an agreement is for, from the words after its noun, and their length in bytes: a tail
/// ("zur Digitalisierung der Schulen"), also after "als Basis/Grundlage" ("als Basis für die
/// Umsetzung der IT-Konsolidierung"); the carrying out of a feminine noun is left out ("für die
/// Umsetzung der X" is "zur X").
pub(super) fn purpose(rest: &str) -> Option<(String, usize)> {
    let lead = PURPOSE_LEAD.find(rest).map_or(0, |m| m.end());
    let (t, len) = tail(&rest[lead..])?;
    // feminine nouns keep their form in the genitive: "der Registermodernisierung" is "zur
    // Registermodernisierung"; a masculine or neuter genitive ("des Ausbaus") stays as written
    let t = match CARRYING_OUT.find(&t) {
        Some(m) => format!("zur {}", &t[m.end()..]),
        None => t,
    };
    Some((t, lead + len))
}

static PURPOSE_LEAD: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*als\s+(?:Basis|Grundlage|Rahmen|Fundament)\s+"));
static CARRYING_OUT: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:für\s+die|zur)\s+(?:Umsetzung|Durchführung|Realisierung|Verwirklichung)\s+der\s+"));

/// Names the agreements found by a bare noun without a purpose once their parties are known:
/// "Kooperationsvereinbarung Land Hessen und ITV.SH" (a Land's government by its Land, an
/// organisation by its acronym where it has one); a purpose-named one gets its Land when its
/// name has none. Run after the relations.
pub(super) fn name_unnamed(doc: &mut Doc) {
    for i in 0..doc.entities.len() {
        if doc.entities[i].method != UNNAMED_METHOD {
            continue;
        }
        let mut parties: Vec<usize> = doc
            .relations
            .iter()
            .filter(|r| r.object == i && r.predicate == Predicate::PartyTo)
            .map(|r| r.subject)
            .filter(|p| doc.entities[*p].kind != "group")
            .collect();
        parties.dedup();
        // the Land first, as it signs: "Land Hessen und ..."
        parties.sort_by_key(|p| doc.entities[*p].kind != "government");
        let e = &doc.entities[i];
        let state = e.state.clone().filter(|s| s != "DE");
        let state_name = state.as_deref().and_then(|s| doc.state_name(s)).map(str::to_owned);
        let mut name = e.name.clone();
        // the Land's own government alone: the agreement is the Land's ("... Rheinland-Pfalz")
        let only_government = parties.len() == 1
            && doc.entities[parties[0]].kind == "government"
            && doc.entities[parties[0]].state == state;
        if !name.contains(' ') && (1..=2).contains(&parties.len()) && !only_government {
            let short: Vec<String> = parties.iter().map(|p| party_short_name(doc, *p)).collect();
            name = format!("{name} {}", short.join(" und "));
        }
        let governments = parties.iter().filter(|p| doc.entities[**p].kind == "government").count();
        if let Some(n) = &state_name
            && !name.contains(n.as_str())
            && (governments == 0 || only_government)
        {
            name = format!("{name} {n}");
        }
        if name != doc.entities[i].name {
            let e = &mut doc.entities[i];
            let old = std::mem::replace(&mut e.name, name);
            let year = e.key.rsplit('-').next().filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
            let mut key = candidate(&e.name, EntityType::Agreement, &e.kind, e.state.clone(), "agreement").key;
            if let Some(y) = year.filter(|y| !e.name.contains(*y)) {
                key = format!("{key}-{y}");
            }
            e.key = key;
            if !e.aliases.contains(&old) {
                e.aliases.push(old);
            }
        }
    }
}

/// How an agreement's name calls a party: a Land's government by its Land ("Land Hessen",
/// "Hamburg"), an organisation by its acronym where it has one, else by its name.
fn party_short_name(doc: &Doc, p: usize) -> String {
    let e = &doc.entities[p];
    if e.kind == "government"
        && let Some(n) = e.state.as_deref().and_then(|s| doc.state_name(s))
    {
        let city = matches!(e.state.as_deref(), Some("BE" | "HH" | "HB"));
        return if city { n.to_owned() } else { format!("Land {n}") };
    }
    let acronym = |a: &&String| {
        !a.contains(' ')
            && a.chars().filter(|c| c.is_uppercase()).count() >= 2
            && a.chars().count() < e.name.chars().count()
    };
    e.aliases.iter().filter(acronym).min_by_key(|a| a.len()).cloned().unwrap_or_else(|| e.name.clone())
}

/// The words of an agreement's name after its head, and their length in bytes: from a
/// preposition that starts a name ("über", "zur", ...) up to the end of the nominal phrase (a
/// verb, a preposition of the clause, punctuation); never ending in a function word or an
/// adjective without its noun.
pub(super) fn tail(rest: &str) -> Option<(String, usize)> {
    let lex = &*LEXICON;
    let first = rest.split_whitespace().next()?;
    if !lex.tail.start.iter().any(|w| w == first) {
        return None;
    }
    // (word, end of the word in `rest`, is it a content word)
    let mut taken: Vec<(String, usize, bool)> = Vec::new();
    let mut pos = 0;
    let mut paren = false;
    let verb = |w: &str| has_stem(w, &lex.verbs.signing) || has_stem(w, &lex.verbs.concluding);
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
        let bare = w.trim_end_matches([',', '.', ';', ':', '“', '"', ')', '‘', '«']);
        let mut chars = bare.chars();
        let c0 = chars.next();
        // "Informationstechnik", "IT", "eGovernment", "2030"
        let content = c0.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || (c0.is_some_and(char::is_lowercase) && chars.next().is_some_and(char::is_uppercase));
        let function = lex.tail.function.iter().any(|f| f == bare);
        let adjective =
            !content && !function && ["e", "en", "er", "es", "em"].iter().any(|e| bare.ends_with(e)) && bare.len() > 3;
        if lex.tail.stop.iter().any(|f| f == bare) || (!content && verb(bare)) || !(content || function || adjective) {
            break;
        }
        let word_end = pos - (piece.len() - piece.trim_end().len()) - (w.len() - bare.len());
        taken.push((bare.to_owned(), word_end, content));
        if bare.len() != w.len() {
            break;
        }
    }
    // an adjective stands before its noun: "zur gemeinsamen Einführung", not "... gemeinsamen die"
    if let Some(cut) = taken.windows(2).position(|p| {
        let adj = !p[0].2 && !lex.tail.function.iter().any(|f| *f == p[0].0);
        let next_ok = p[1].2 || !lex.tail.function.iter().any(|f| *f == p[1].0);
        adj && !next_ok
    }) {
        taken.truncate(cut + 1);
    }
    while taken.last().is_some_and(|w| !w.2) {
        taken.pop();
    }
    let len = taken.last()?.1;
    let name: Vec<&str> = taken.iter().map(|w| w.0.as_str()).collect();
    Some((name.join(" "), len.min(rest.len())))
}

pub(super) static FOUNDING: LazyLock<Regex> = LazyLock::new(|| re(r"Gründung\s+(?:der|einer|eines|des)\s+"));
pub(super) static FOUNDED_ON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:zum|am)\s+(\d{1,2}\.\s*(?:\d{1,2}\.|Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s*\d{4})\s+gegründet",
    )
});

/// "die Gründung einer kommunalen IT-Gesellschaft ... Die „KOMM24 GmbH“ soll zum 1. Juli 2019
/// gegründet werden": a founding, named after the company it founds.
pub(super) fn founding(doc: &mut Doc) {
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

pub(super) fn is_company(e: &FoundEntity) -> bool {
    e.entity_type == EntityType::Actor
        && ["GmbH", "mbH", "AG", "eG", "AöR"]
            .iter()
            .any(|f| e.name.ends_with(f) || e.aliases.iter().any(|a| a.ends_with(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_parses() {
        assert!(LEXICON.head.len() > 10);
        assert!(!LEXICON.verbs.signing.is_empty() && !LEXICON.verbs.participles.is_empty());
    }

    #[test]
    fn agreement_words_in_their_forms() {
        // (word, Some((named, nominative))) or None
        let rows: &[(&str, Option<(bool, &str)>)] = &[
            ("Rahmenvereinbarung", Some((false, "Rahmenvereinbarung"))),
            ("Kooperationsvertrages", Some((false, "Kooperationsvertrag"))),
            ("Staatsvertrags", Some((false, "Staatsvertrag"))),
            ("Verwaltungsabkommens", Some((false, "Verwaltungsabkommen"))),
            ("E-Government-Paktes", Some((true, "E-Government-Pakt"))),
            ("eGovernment-Pakts", Some((true, "eGovernment-Pakt"))),
            ("Digitalpakt", Some((true, "Digitalpakt"))),
            ("IT-Staatsvertrag", Some((true, "IT-Staatsvertrag"))),
            ("Kommunalpaktes", Some((true, "Kommunalpakt"))),
            ("Schul-Charta", Some((true, "Schul-Charta"))),
            // a strategy or decision is named by more than its compound
            ("E-Government-Strategie", Some((false, "E-Government-Strategie"))),
            ("Errichtungsbeschlusses", Some((false, "Errichtungsbeschluss"))),
            ("Absichtserklärung", Some((false, "Absichtserklärung"))),
            ("Zielvereinbarung", Some((false, "Zielvereinbarung"))),
            ("Partnerschaftsvertrag", Some((false, "Partnerschaftsvertrag"))),
            // plurals speak of agreements in general
            ("Vereinbarungen", None),
            ("Rahmenvereinbarungen", None),
            ("Verträge", None),
            ("Pakte", None),
            // not agreements
            ("Vertragsstrafe", None),
            ("paktieren", None),
            ("Beschlussvorlage", None),
        ];
        for (word, want) in rows {
            let got = agreement_word(word).map(|a| (a.named, a.nominative));
            assert_eq!(got, want.map(|(n, s)| (n, s.to_owned())), "{word}");
        }
    }

    #[test]
    fn the_purpose_of_an_agreement_without_the_carrying_out() {
        let rows: &[(&str, Option<&str>)] = &[
            (" zur Digitalisierung der Grundschulen unterzeichnet", Some("zur Digitalisierung der Grundschulen")),
            (
                " als Basis für die Umsetzung der Registermodernisierung in Hessen.",
                Some("zur Registermodernisierung in Hessen"),
            ),
            (" als Grundlage für den Betrieb des Rechenzentrums", Some("für den Betrieb des Rechenzentrums")),
            (" zur Durchführung des Breitbandausbaus im Kreis", Some("zur Durchführung des Breitbandausbaus im Kreis")),
            (" über die gemeinsame Beschaffung von Software", Some("über die gemeinsame Beschaffung von Software")),
            // no purpose: a date, parties, a verb, "als" of a comparison
            (" am 3. Mai 2024 unterzeichnet", None),
            (" zwischen dem Land und den Kreisen", None),
            (" als erste ihrer Art", None),
        ];
        for (rest, want) in rows {
            assert_eq!(purpose(rest).map(|t| t.0), want.map(str::to_owned), "{rest}");
        }
    }

    #[test]
    fn names_run_to_the_end_of_the_nominal_phrase() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                " zur gemeinsamen Einführung von eGovernment in Thüringen unterzeichnet",
                Some("zur gemeinsamen Einführung von eGovernment in Thüringen"),
            ),
            (
                " über die Zusammenarbeit in den Bereichen IT und Statistik zwischen Land und Kommunen",
                Some("über die Zusammenarbeit in den Bereichen IT und Statistik"),
            ),
            (
                " zur Mitnutzung der Basisdienste des Landes durch die Kreise",
                Some("zur Mitnutzung der Basisdienste des Landes"),
            ),
            (" über den Betrieb der Leitstelle.", Some("über den Betrieb der Leitstelle")),
            (
                " für die Digitalisierung der Schulen wurde 2021 geschlossen",
                Some("für die Digitalisierung der Schulen"),
            ),
            // never ends in a function word or an adjective without its noun
            (" zur gemeinsamen und", None),
            (" über die", None),
            (" zur digitalen vereinbaren die Partner", None),
            // no name: parties, a date, a verb
            (" zwischen Land und Kommunen", None),
            (" vom 3. Mai 2019", None),
            (" wurde unterzeichnet", None),
        ];
        for (rest, want) in rows {
            assert_eq!(tail(rest).map(|t| t.0), want.map(str::to_owned), "{rest}");
        }
    }

    #[test]
    fn signing_verbs_in_their_forms() {
        let v = &LEXICON.verbs;
        for s in [
            "Sie unterzeichneten den Vertrag.",
            "bei der Unterzeichnung",
            "Sie haben unterschrieben.",
            "setzten ihre Unterschrift",
        ] {
            assert!(has_stem(s, &v.signing), "{s}");
        }
        for s in ["Der Entwurf ist unterschriftsreif.", "schließlich stimmte der Rat zu", "Die Vereinbarung gilt."] {
            assert!(!has_stem(s, &v.signing), "{s}");
        }
        for s in [
            "Land und Kommunen schließen einen Pakt.",
            "Der Pakt wurde fortgeschrieben.",
            "Sie einigten sich.",
            "Die Stadt ist dem Abkommen beigetreten.",
        ] {
            assert!(has_stem(s, &v.concluding), "{s}");
        }
        assert!(!has_stem("Schließlich tagte der Rat.", &v.concluding));
    }
}
