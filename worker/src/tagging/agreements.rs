//! Discovery of agreements: see [`super::discovery`] for the rules of every kind.

#![allow(unused_imports)]
use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use govgraph_shared::analysis::{EntityType, FoundEntity, FoundRelation, Status};
use govgraph_shared::text::slugify;
use regex::Regex;

use super::analysis::Doc;
#[allow(unused_imports)]
use super::bodies::*;
use super::discovery::*;
#[allow(unused_imports)]
use super::organisations::*;
#[allow(unused_imports)]
use super::persons::*;
#[allow(unused_imports)]
use super::projects::*;

pub(super) const AGREEMENT_HEADS: &[(&str, &str)] = &[
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

pub(super) static OF_STATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+des\s+(?:Freistaate?s|Landes)\s+([A-ZÄÖÜ][\w\-]+)"));
pub(super) static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+(?:wurde|war)\s+(?:bereits\s+)?im\s+Jahr(?:e)?\s+(\d{4})"));
pub(super) static EARLIER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|\s)(erste|früheren?|bisherigen?|vorherigen?|alten?|ersten)\s*$"));
pub(super) static COMMA_TITLES: LazyLock<Regex> = LazyLock::new(|| re(r"^,\s*(?:(?:Dr|Prof)\.\s*)*"));
pub(super) static COORDINATED: LazyLock<Regex> = LazyLock::new(|| re(r"^,?\s*(?:sowie|und)\s+(?:des|der|dem)\s+"));
pub(super) static COMMA: LazyLock<Regex> = LazyLock::new(|| re(r"^,\s*"));
pub(super) static PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:[Pp]lattform|[Pp]ortal|App|Netz|Anwendung)\w*(?:\s+des\s+\w+)?,\s+(?:dem|der|das|die)\s+[„\x22]([^“\x22]{2,60})[“\x22]",
    )
});
pub(super) static OWNER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:dessen|deren|der|die|sein|seine|ihr|ihre)?\s*(?:[A-ZÄÖÜ][a-zäöüß]+(?:e|er)\s+)?$"));
pub(super) static MINISTRY_PHRASE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+((?:für|des|der)\s+[A-ZÄÖÜ][\w\-]+(?:(?:,\s+|\s+und\s+(?:für\s+)?)[A-ZÄÖÜ][\w\-]+)*)"));
pub(super) static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-ZÄÖÜ][\wÄÖÜäöüß\-]*"));
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
pub(super) static TAIL_STOP: &[&str] = &[
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
pub(super) const TAIL_START: &[&str] = &["über", "zur", "zum", "zu", "für", "zwischen"];

pub(super) fn agreement_head(word: &str) -> Option<(&'static str, &'static str)> {
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

pub(super) fn agreements(doc: &mut Doc) {
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
pub(super) fn tail(rest: &str) -> Option<(String, usize)> {
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
