//! Persons and the offices they hold, read from the grammar of German titles.
//!
//! The titles are data (`shared/data/lexicon/titles.toml`): one entry per title in its masculine
//! nominative; the forms are made here (genitive, weak and adjective declension, the feminine
//! "-in", compounds such as "Innenstaatssekretärin" or "Verwaltungsratsvorsitzender").
//!
//! A *title unit* is `[modifier]* TITLE [(ACR)] [owner | portfolio]*`:
//! - modifiers: "Erster", "stellvertretende", "geschäftsführendes"; a former office ("der frühere
//!   Minister", "Altbürgermeister") gives the person but no position;
//! - owner: "des Landkreistages", "der Stadt X", "im Ministerium für ...", "von X": an organisation
//!   found at that place by the gazetteer or discovery;
//! - portfolio: "für Inneres und Sport", "der Justiz und für Europa" (ministers).
//!
//! The person of a unit, in this order: a name right after it ("Ministerin Anna Muster"); a name
//! before it in apposition ("Anna Muster, Präsidentin des Städtetages,", "Anna Muster - Landrätin
//! -"); a name after its comma ("die Landrätin des Kreises X, Anna Muster"); the person of the next
//! unit it is chained to ("Präsidentin des Landkreistages, Landrätin Anna Muster"; "Minister und
//! Chef der Staatskanzlei Max Muster"). A possessive before the title ("durch seinen
//! Vizepräsidenten") makes the last organisation named the owner; a name followed by "(Org)",
//! ", Landkreis X" or "vom/beim Org" names where the office is held.
//!
//! When the text names no owner, the title's owner kind decides: ministers and senators hold a
//! position in the ministry their portfolio names ("Staatsminister der Justiz"), in the one their
//! compound names ("Innenminister") only when the text names that ministry, else in the Land
//! government; state secretaries in the ministry their compound or portfolio names or else the
//! government; in a city-state the Senat unless the text names the Senatsverwaltung; the mayor
//! of a city-state in its government. A later bare title ("Staatsminister X") adds no government
//! position to one already read in the ministry. The person's state is the state of the
//! organisation they serve.
//!
//! Later mentions: the full name, the surname alone (when no other person shares it), and "die
//! Ministerin" when exactly one person holds that title in the text.

use std::sync::LazyLock;

use govgraph_shared::analysis::{EntityType, FoundEntity, FoundRelation};
use govgraph_shared::vocab::Predicate;
use regex::Regex;
use serde::Deserialize;

use super::analysis::Doc;
use super::discovery::candidate;

const TITLES_TOML: &str = include_str!("../../../shared/data/lexicon/titles.toml");

#[derive(Debug, Deserialize)]
struct LexiconFile {
    title: Vec<TitleEntry>,
    modifiers: Modifiers,
    names: NameWords,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Declension {
    Strong,
    Weak,
    Adjective,
    None,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
enum OwnerKind {
    Government,
    Ministry,
    CityState,
    #[default]
    None,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
struct TitleEntry {
    stem: String,
    #[serde(default)]
    feminine: Option<String>,
    declension: Declension,
    #[serde(default = "yes")]
    gendered: bool,
    #[serde(default)]
    compound: bool,
    #[serde(default)]
    owner: OwnerKind,
    #[serde(default)]
    speaks_for: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Modifiers {
    current: Vec<String>,
    former: Vec<String>,
    former_prefixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct NameWords {
    honorifics: Vec<String>,
    particles: Vec<String>,
    not_names: Vec<String>,
    function_words: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Masculine,
    Feminine,
    Either,
}

/// One form of a title: lower-cased, the entry, its gender.
struct Form {
    lower: String,
    chars: usize,
    entry: usize,
    gender: Gender,
}

struct Lexicon {
    titles: Vec<TitleEntry>,
    /// single-word forms, longest first
    forms: Vec<Form>,
    /// multi-word titles ("Chief Information Officer"): (entry, the words)
    phrases: Vec<(usize, String)>,
    modifiers: Modifiers,
    names: NameWords,
    name_re: Regex,
}

/// The forms of a title as (form, gender), made from its declension.
fn forms_of(t: &TitleEntry) -> Vec<(String, Gender)> {
    let s = t.stem.as_str();
    let mut out = Vec::new();
    match t.declension {
        Declension::Strong => {
            out.push((s.to_owned(), Gender::Masculine));
            out.push((format!("{s}s"), Gender::Masculine));
            if !s.ends_with("er") {
                out.push((format!("{s}es"), Gender::Masculine));
            }
        }
        Declension::Weak => {
            out.push((s.to_owned(), Gender::Masculine));
            out.push((format!("{s}en"), Gender::Masculine));
        }
        Declension::Adjective => {
            let base = s.strip_suffix("er").unwrap_or(s);
            out.push((format!("{base}er"), Gender::Masculine));
            out.push((format!("{base}em"), Gender::Masculine));
            out.push((format!("{base}e"), Gender::Either));
            out.push((format!("{base}en"), Gender::Either));
        }
        Declension::None => {
            out.push((s.to_owned(), Gender::Either));
            out.push((format!("{s}s"), Gender::Either));
        }
    }
    if t.gendered && t.declension != Declension::Adjective && t.declension != Declension::None {
        let f = t.feminine.clone().unwrap_or_else(|| format!("{s}in"));
        out.push((format!("{f}nen"), Gender::Feminine));
        out.push((f, Gender::Feminine));
    }
    out
}

fn parse_lexicon(text: &str) -> Result<Lexicon, toml::de::Error> {
    let file: LexiconFile = toml::from_str(text)?;
    let mut forms = Vec::new();
    let mut phrases = Vec::new();
    for (i, t) in file.title.iter().enumerate() {
        if t.stem.contains(' ') {
            phrases.push((i, t.stem.clone()));
            continue;
        }
        for (f, gender) in forms_of(t) {
            let lower = f.to_lowercase();
            forms.push(Form { chars: lower.chars().count(), lower, entry: i, gender });
        }
    }
    forms.sort_by(|a, b| b.chars.cmp(&a.chars).then(a.entry.cmp(&b.entry)));
    let particles = file.names.particles.iter().map(|p| p.replace(' ', r"\s+")).collect::<Vec<_>>().join("|");
    let word = r"\p{Lu}[\p{Ll}'’]+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}[\p{Ll}'’]+)*";
    let name_re = Regex::new(&format!(
        r"^(?:(?:Prof|Dr|Dipl)\.(?:-[\p{{L}}]+\.)?\s*(?:h\.\s?c\.\s*)?(?:mult\.\s*)?)*({word}(?:\s+(?:(?:{particles})\s+)?{word}){{1,3}})"
    ))
    .expect("a valid name pattern");
    Ok(Lexicon { titles: file.title, forms, phrases, modifiers: file.modifiers, names: file.names, name_re })
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| parse_lexicon(TITLES_TOML).expect("titles.toml parses"));

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

/// The city-states, whose government is the Senat.
const CITY_STATES: [&str; 3] = ["HH", "HB", "BE"];

static TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"[\p{L}\p{N}][\p{L}\p{N}\-]*"));
/// A ministry noun of the Länder: "Innenministerium", "Staatsministeriums", "Senatsverwaltung",
/// "Finanzbehörde".
static MINISTRY_NOUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"[\p{L}\-]*(?:[Mm]inisteri(?:um|ums)|[Ss]enatsverwaltung(?:en)?|[Bb]ehörde)\b"));
/// A preposition that ties a person to the organisation right after the name: "vom", "von der",
/// "beim", "bei der"; a bare "von" (group 1) only before a place.
static FROM_ORG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s+(?:vom|von\s+der|von\s+dem|beim|bei\s+der|bei\s+dem|(von))\s+"));
static ACRONYM: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*\(\s*[\p{Lu}][\p{L}\p{N}.\-]{1,14}\s*\)"));
static OWNER_PREP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s+(?:des|der|dem|den|im|vom|von|beim|am|bei\s+der|bei\s+dem|bei|in\s+der|an\s+der|für\s+den|für\s+die|für\s+das)\s+",
    )
});
static PLACE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:Stadt|Gemeinde|Hansestadt|Landeshauptstadt|Kreisstadt|Universitätsstadt|Landkreis(?:es)?|Kreis(?:es)?|Stadtkreis(?:es)?|Markt(?:es)?|Verbandsgemeinde|Samtgemeinde|Amt(?:es)?|Bezirk(?:s|es)?)\s+",
    )
});
/// A genitive phrase the gazetteer does not know: one noun, maybe with adjectives ("des
/// Errichtungsteams", "der neuen Stabsstelle").
static UNKNOWN_NP: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:\p{Ll}+e[nrms]?\s+)*\p{Lu}[\p{L}\p{N}\-]*(?:\s+\p{Lu}[\p{L}\p{N}]*-?\s+und\s+\p{Lu}[\p{L}\p{N}\-]*|-?\s+und\s+\p{Lu}[\p{L}\p{N}\-]*)?",
    )
});
/// A portfolio: "für Inneres, Digitalisierung und Sport", "für den Datenschutz".
static PORTFOLIO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s+((?:für|des|der)\s+(?:den\s+|die\s+|das\s+)?\p{Lu}[\p{L}\-]*(?:(?:,\s+\p{Lu}[\p{L}\-]*)*\s+und\s+(?:für\s+)?(?:den\s+|die\s+|das\s+)?\p{Lu}[\p{L}\-]*)?)",
    )
});
static COORDINATED: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*,?\s*(?:sowie|und)\s+(?:des|der|dem|vom|von|beim)\s+"));
static E_V: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*e\.\s?V\."));
static POSSESSIVE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|\s)(?:[Ss]ein(?:e|en|em|er|es)?|[Ii]hr(?:e|en|em|er|es)?|[Dd]essen|[Dd]eren)\s*$"));
static DEFINITE: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)(?:[Dd]er|[Dd]ie|[Dd]es|[Dd]em|[Dd]en)\s*$"));
static SEP_APPOSITION: LazyLock<Regex> = LazyLock::new(|| re(r"(?:,|\s[-–—])\s*(?:(?:der|die)\s+)?$"));

/// A title at a word: (entry, its nominative as written there with its compound prefix, the
/// compound prefix, gender). `word` is one token.
fn title_of_word(word: &str) -> Option<(usize, String, String, Gender)> {
    let lex = &*LEXICON;
    if !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let lower = word.to_lowercase();
    let lower_chars: Vec<char> = lower.chars().collect();
    for f in &lex.forms {
        if f.chars > lower_chars.len() {
            continue;
        }
        let tail: String = lower_chars[lower_chars.len() - f.chars..].iter().collect();
        if tail != f.lower {
            continue;
        }
        let t = &lex.titles[f.entry];
        // the prefix as written: the word's chars before the form
        let keep = word.chars().count() - f.chars;
        let cut = word.char_indices().nth(keep).map_or(word.len(), |(i, _)| i);
        let prefix = &word[..cut];
        if t.declension == Declension::None && !word.starts_with(&t.stem) {
            continue;
        }
        if !prefix.is_empty() && !t.compound {
            continue;
        }
        if t.not.iter().any(|n| lower.ends_with(&n.to_lowercase())) {
            return None;
        }
        // "Ministerium", "Präsidium" are no titles; neither is a prefix of digits or one letter
        if !prefix.is_empty() && prefix.trim_end_matches('-').chars().count() < 2 {
            continue;
        }
        let nominative = match (t.declension, f.gender) {
            (Declension::Adjective, Gender::Masculine) => t.stem.clone(),
            (Declension::Adjective, _) => format!("{}e", t.stem.strip_suffix("er").unwrap_or(&t.stem)),
            (_, Gender::Feminine) => t.feminine.clone().unwrap_or_else(|| format!("{}in", t.stem)),
            _ => t.stem.clone(),
        };
        // a compound keeps its prefix: "Innen" + "staatssekretärin"
        return Some((f.entry, with_prefix(prefix, &nominative), prefix.to_owned(), f.gender));
    }
    None
}

/// A compound keeps its prefix: "Innen" + "staatssekretärin", "IT-" + "Beauftragter".
fn with_prefix(prefix: &str, nominative: &str) -> String {
    if prefix.is_empty() {
        nominative.to_owned()
    } else if prefix.ends_with('-') {
        format!("{prefix}{nominative}")
    } else {
        format!("{prefix}{}", nominative.to_lowercase())
    }
}

/// A modifier word before a title: Some(true) for a former office, Some(false) for a current one.
fn modifier(word: &str) -> Option<(bool, String)> {
    let lex = &*LEXICON;
    let lower = word.to_lowercase();
    for (former, list) in [(false, &lex.modifiers.current), (true, &lex.modifiers.former)] {
        for m in list {
            if let Some(end) = lower.strip_prefix(m.as_str())
                && ["", "er", "e", "en", "es", "em"].contains(&end)
            {
                let first: String = word.chars().take(1).collect();
                let rest: String = m.chars().skip(1).collect();
                return Some((former, format!("{first}{rest}")));
            }
        }
    }
    None
}

/// The words of a name as (start, end) in `text`; `None` when it is no name.
fn clean_name(doc: &Doc, s: usize, e: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    let text = doc.text;
    let mut words: Vec<(usize, usize)> = TOKEN.find_iter(&text[s..e]).map(|m| (s + m.start(), s + m.end())).collect();
    let bad = |w: &str| {
        lex.names.not_names.iter().any(|n| n == w)
            || lex.names.honorifics.iter().any(|n| n == w)
            || title_of_word(w).is_some()
            || modifier(w).is_some()
    };
    // titles and other words before the name ("Landrätin Anna Muster")
    while let Some(&(a, b)) = words.first() {
        if bad(&text[a..b]) || !text[a..b].chars().next().is_some_and(char::is_uppercase) {
            words.remove(0);
        } else {
            break;
        }
    }
    // a word the gazetteer knows ends the name ("Anna Muster Landkreis Roth")
    if let Some(k) =
        words.iter().position(|&(a, b)| doc.covered(a, b).is_some_and(|x| doc.entities[x].kind != "person"))
    {
        words.truncate(k);
    }
    if let Some(k) = words.iter().position(|&(a, b)| bad(&text[a..b]) || !doc.state_marks_in(a, b).is_empty()) {
        words.truncate(k);
    }
    // a third capitalised word followed by an article is a noun: "Anna Muster Anfang der Woche"
    let capitals = |w: &[(usize, usize)]| {
        w.iter().filter(|&&(a, b)| text[a..b].chars().next().is_some_and(char::is_uppercase)).count()
    };
    if capitals(&words) > 2
        && let Some(&(_, b)) = words.last()
    {
        let next = TOKEN.find(&text[b..]).map(|m| &text[b + m.start()..b + m.end()]);
        if next.is_some_and(|n| lex.names.function_words.iter().any(|f| f == n)) {
            words.pop();
        }
    }
    // a name ends in a capitalised surname
    while words.last().is_some_and(|&(a, b)| !text[a..b].chars().next().is_some_and(char::is_uppercase)) {
        words.pop();
    }
    if capitals(&words) < 2 {
        return None;
    }
    Some((words.first()?.0, words.last()?.1))
}

/// A name starting at `at` (after spaces, an honorific, academic titles).
fn name_after(doc: &Doc, at: usize) -> Option<(usize, usize)> {
    let lex = &*LEXICON;
    let text = doc.text;
    let mut p = at + (text[at..].len() - text[at..].trim_start().len());
    for h in &lex.names.honorifics {
        if let Some(rest) = text[p..].strip_prefix(h.as_str())
            && rest.starts_with(char::is_whitespace)
        {
            p += h.len();
            p += text[p..].len() - text[p..].trim_start().len();
            break;
        }
    }
    let c = lex.name_re.captures(&text[p..])?;
    let m = c.get(1)?;
    clean_name(doc, p + m.start(), p + m.end())
}

/// A name that ends right before `at` in apposition ("Anna Muster, " or "Anna Muster - ").
fn name_before(doc: &Doc, at: usize) -> Option<(usize, usize)> {
    let text = doc.text;
    let window = text[..at].char_indices().rev().nth(80).map_or(0, |(i, _)| i);
    let sep = SEP_APPOSITION.find(&text[window..at])?;
    let end = window + sep.start();
    // the name's words: the capitalised words (and particles) right before the separator
    let head = &text[window..end];
    let tokens: Vec<(usize, usize)> = TOKEN.find_iter(head).map(|m| (window + m.start(), window + m.end())).collect();
    let mut start = None;
    for (k, &(a, b)) in tokens.iter().enumerate().rev() {
        let between = &text[b..tokens.get(k + 1).map_or(end, |t| t.0)];
        let w = &text[a..b];
        let academic = ["Dr", "Prof", "Dipl"].contains(&w) && between.starts_with('.');
        let spaces = between.trim_start_matches('.').chars().all(|c| c == ' ' || c == '\u{a0}');
        if !spaces || (between.starts_with('.') && !academic) {
            break;
        }
        let particle = LEXICON.names.particles.iter().any(|p| p == w);
        if !(w.chars().next().is_some_and(char::is_uppercase) || particle) {
            break;
        }
        start = Some(a);
        if tokens.len() - k >= 5 {
            break;
        }
    }
    let s = start?;
    let (s, e) = clean_name(doc, s, end)?;
    (e == end).then_some((s, e))
}

#[derive(Debug, Clone)]
struct Unit {
    start: usize,
    title_start: usize,
    title_end: usize,
    end: usize,
    entry: usize,
    shown: String,
    prefix: String,
    former: bool,
    possessive: bool,
    definite: bool,
    owners: Vec<usize>,
    portfolio: Option<String>,
}

/// The organisation named at `at`: the longest mention starting there that is no person.
fn org_at(doc: &Doc, at: usize) -> Option<(usize, usize)> {
    doc.mentions
        .iter()
        .filter(|m| m.1 == at && doc.entities[m.0].kind != "person")
        .max_by_key(|m| m.2)
        .map(|m| (m.0, m.2))
}

/// After an organisation's name: its legal form and the Land that completes it ("des Gemeinde-
/// und Städtebundes Thüringen", "des Städtetages e. V.").
fn skip_state_and_form(doc: &Doc, mut end: usize) -> usize {
    let text = doc.text;
    if let Some(t) = TOKEN.find(&text[end..])
        && text[end..end + t.start()].trim().is_empty()
        && !text[end..end + t.start()].contains('\n')
        && !doc.state_marks_in(end + t.start(), end + t.end()).is_empty()
    {
        end += t.end();
    }
    if let Some(v) = E_V.find(&text[end..]) {
        end += v.end();
    }
    end
}

/// The title units of the text, in order.
fn units(doc: &Doc) -> Vec<Unit> {
    let lex = &*LEXICON;
    let text = doc.text;
    let tokens: Vec<(usize, usize)> = TOKEN.find_iter(text).map(|m| (m.start(), m.end())).collect();
    let mut out: Vec<Unit> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let (ts, te) = tokens[k];
        let word = &text[ts..te];
        let mut found = lex.phrases.iter().find_map(|(entry, phrase)| {
            let rest = &text[ts..];
            rest.starts_with(phrase.as_str()).then(|| {
                let end = ts + phrase.len() + usize::from(rest[phrase.len()..].starts_with('s'));
                (*entry, phrase.clone(), String::new(), end)
            })
        });
        if found.is_none() {
            found = title_of_word(word).map(|(entry, shown, prefix, gender)| {
                // "des Vorsitzenden", "dem Beauftragten": masculine
                let t = &lex.titles[entry];
                let head = text[..ts].trim_end();
                let masculine = ["des", "dem", "den", "eines", "einem", "einen", "seines", "seinem", "seinen"]
                    .iter()
                    .any(|a| head.ends_with(a) && !head[..head.len() - a.len()].ends_with(char::is_alphanumeric));
                let shown = if gender == Gender::Either && t.declension == Declension::Adjective && masculine {
                    with_prefix(&prefix, &t.stem)
                } else {
                    shown
                };
                (entry, shown, prefix, te)
            });
        }
        let Some((entry, shown, prefix, title_end)) = found else {
            k += 1;
            continue;
        };
        // modifiers before the title
        let mut start = ts;
        let mut former = lex.modifiers.former_prefixes.iter().any(|p| {
            prefix == *p || prefix.strip_suffix('-') == Some(p.as_str()) && prefix.len() > 1 && prefix != "IT-"
        });
        let mut mods: Vec<String> = Vec::new();
        let mut j = k;
        while j > 0 {
            let (ps, pe) = tokens[j - 1];
            if !text[pe..start].trim().is_empty() {
                break;
            }
            let Some((was, stem)) = modifier(&text[ps..pe]) else { break };
            former |= was;
            if !was {
                mods.insert(0, stem);
            }
            start = ps;
            j -= 1;
        }
        let shown = if mods.is_empty() {
            shown
        } else {
            let gender_end = if shown.ends_with("in") || shown.ends_with('e') { "e" } else { "er" };
            let m: Vec<String> = mods.iter().map(|m| format!("{m}{gender_end}")).collect();
            format!("{} {shown}", m.join(" "))
        };
        let before = &text[text[..start].char_indices().rev().nth(12).map_or(0, |(i, _)| i)..start];
        let possessive = POSSESSIVE.is_match(before);
        let definite = DEFINITE.is_match(before);
        // owners and portfolio after the title
        let mut end = title_end;
        let mut owners = Vec::new();
        let mut portfolio = None;
        // an owner named in words the text does not know, then by its acronym: "des IT-Verbundes
        // Nord (ITVN)" is the organisation the acronym names
        let mut unknown_owner = false;
        for _ in 0..4 {
            if let Some(m) = ACRONYM.find(&text[end..]) {
                if unknown_owner && owners.is_empty() {
                    // the acronym's first letter: a regex match offset on the same string
                    let inner = text[end..end + m.end()].find('(').map(|p| end + p + 1);
                    let inner = inner.map(|i| i + text[i..].len() - text[i..].trim_start().len());
                    if let Some((o, _)) = inner.and_then(|i| org_at(doc, i)) {
                        owners.push(o);
                    }
                }
                unknown_owner = false;
                end += m.end();
                continue;
            }
            if let Some(m) = OWNER_PREP.find(&text[end..]) {
                let at = end + m.end();
                let at2 = PLACE_WORD.find(&text[at..]).map(|p| at + p.end());
                let org = org_at(doc, at).into_iter().chain(at2.and_then(|a| org_at(doc, a))).max_by_key(|o| o.1);
                if let Some((o, oe)) = org {
                    owners.push(o);
                    end = skip_state_and_form(doc, oe);
                    continue;
                }
            }
            if let Some(c) = PORTFOLIO.captures(&text[end..]) {
                let m = c.get(1).expect("group 1");
                // "für" is always a portfolio; "des/der X" only of a minister's office
                let minister = matches!(lex.titles[entry].owner, OwnerKind::Government | OwnerKind::Ministry);
                if m.as_str().starts_with("für") || minister {
                    portfolio = Some(m.as_str().to_owned());
                    end += c.get(0).expect("match").end();
                    continue;
                }
            }
            if let Some(m) = OWNER_PREP.find(&text[end..])
                && let Some(np) = UNKNOWN_NP.find(&text[end + m.end()..])
            {
                end = skip_state_and_form(doc, end + m.end() + np.end());
                unknown_owner = true;
                continue;
            }
            break;
        }
        out.push(Unit {
            start,
            title_start: ts,
            title_end,
            end,
            entry,
            shown,
            prefix,
            former,
            possessive,
            definite,
            owners,
            portfolio,
        });
        // the next token after this unit's title
        while k < tokens.len() && tokens[k].0 < title_end {
            k += 1;
        }
    }
    out
}

/// A ministry of `state` whose names contain `stem` (lower case); a unique one, or the one whose
/// short form is `prefer` ("Innenministerium").
fn ministry_by_word(doc: &mut Doc, state: &str, stem: &str, prefer: Option<&str>, named_only: bool) -> Option<usize> {
    if stem.chars().count() < 4 {
        return None;
    }
    let entries: Vec<_> = doc
        .names
        .entries()
        .iter()
        .filter(|e| {
            e.kind == "ministry"
                && e.state.as_deref() == Some(state)
                && std::iter::once(&e.name).chain(&e.aliases).chain(&e.context).any(|n| n.to_lowercase().contains(stem))
        })
        .collect();
    let pick = match prefer {
        Some(p) if entries.len() > 1 => {
            entries.iter().find(|e| e.context.iter().any(|c| c.eq_ignore_ascii_case(p))).copied()
        }
        _ => None,
    }
    .or_else(|| (entries.len() == 1).then(|| entries[0]))?;
    let found = super::analysis::from_gazetteer(pick);
    if named_only && !ministry_named(doc, state, stem, &found) {
        return None;
    }
    Some(doc.entity(found))
}

/// Whether the text names the ministry `found`: a mention of it or of a ministry of `state` whose
/// name holds `stem` ("des Ministeriums des Innern"), or a ministry noun with the portfolio in
/// the text ("Justizministerium", "Staatsministerium der Justiz", "Senatsverwaltung für Inneres").
fn ministry_named(doc: &Doc, state: &str, stem: &str, found: &FoundEntity) -> bool {
    let mentioned = doc.mentions.iter().any(|m| {
        let e = &doc.entities[m.0];
        e.identity() == found.identity()
            || (e.kind == "ministry"
                && e.state.as_deref().is_none_or(|s| s == state)
                && std::iter::once(&e.name).chain(&e.aliases).any(|n| n.to_lowercase().contains(stem)))
    });
    mentioned
        || MINISTRY_NOUN.find_iter(doc.text).any(|m| {
            // the noun itself ("Finanzministerium") or the next few words ("der Justiz und ...")
            let tail: String = doc.text[m.end()..].chars().take(40).collect();
            m.as_str().to_lowercase().contains(stem)
                || TOKEN.find_iter(&tail).take(5).any(|w| w.as_str().to_lowercase().starts_with(stem))
        })
}

/// The stem of a compound prefix or a portfolio's first noun: "Finanz", "Digitalisierungs" →
/// "finanz", "digitalisierung"; "Inneres", "Innern" → "inner".
fn portfolio_stem(word: &str) -> String {
    let lower = word.trim_end_matches('-').to_lowercase();
    for end in ["ungs", "es", "en", "n", "s", "e"] {
        if let Some(s) = lower.strip_suffix(end)
            && s.chars().count() >= 4
        {
            return if end == "ungs" { format!("{s}ung") } else { s.to_owned() };
        }
    }
    lower
}

/// The ministry the unit's compound prefix ("Finanzstaatssekretär") or portfolio ("Staatsminister
/// der Justiz") names. A member of the government ("Innenminister", owner `government`) is taken
/// for the ministry's only when the text names that ministry; a city-state's senator or state
/// secretary likewise (their Senatsverwaltung or Behörde is named otherwise than the portfolio),
/// while the portfolio of a Land minister and the compound of a state secretary (an official of
/// one ministry) name it themselves.
fn ministry_of(doc: &mut Doc, unit: &Unit, state: &str, owner: OwnerKind) -> Option<usize> {
    let city_state = CITY_STATES.contains(&state);
    let prefix = unit.prefix.trim_end_matches('-');
    let skip = ["Staats", "Landes", "Bundes", "Vize", "Ober", "Haupt", "IT"];
    if !prefix.is_empty() && !skip.contains(&prefix) {
        let named_only = city_state || owner == OwnerKind::Government;
        let prefer = format!("{prefix}ministerium");
        let prefix = prefix.strip_prefix("Staats").unwrap_or(prefix);
        if let Some(m) = ministry_by_word(doc, state, &portfolio_stem(prefix), Some(&prefer), named_only) {
            return Some(m);
        }
        // "Innenstaatssekretär": Innen is the Interior
        let stem = portfolio_stem(prefix);
        if stem == "innen" {
            return ministry_by_word(doc, state, "innenministerium", None, named_only)
                .or_else(|| ministry_by_word(doc, state, "inner", None, named_only));
        }
    }
    let portfolio = unit.portfolio.clone()?;
    let noun =
        TOKEN.find_iter(&portfolio).map(|m| m.as_str()).find(|w| w.chars().next().is_some_and(char::is_uppercase))?;
    ministry_by_word(doc, state, &portfolio_stem(noun), None, city_state)
}

/// The title without the compound prefix that named the ministry: "Finanzstaatssekretär" at the
/// Finanzministerium holds the office "Staatssekretär" there.
fn bare_title(u: &Unit) -> String {
    let p = u.prefix.as_str();
    if p.is_empty() || p.ends_with('-') || ["Staats", "Landes", "Bundes", "Vize", "Ober", "Haupt"].contains(&p) {
        return u.shown.clone();
    }
    let Some(at) = u.shown.find(p) else { return u.shown.clone() };
    let rest = &u.shown[at + p.len()..];
    let mut chars = rest.chars();
    let Some(first) = chars.next() else { return u.shown.clone() };
    format!("{}{}{}", &u.shown[..at], first.to_uppercase(), chars.as_str())
}

fn holds(doc: &mut Doc, person: usize, org: usize, title: Option<String>, at: usize, confidence: f32) {
    let o = &doc.entities[org];
    if o.entity_type != EntityType::Actor || matches!(o.kind.as_str(), "person" | "body") {
        return;
    }
    let sentence = doc.sentence_of(at).unwrap_or((at, at));
    let evidence = doc.span_bytes(sentence);
    doc.relation(FoundRelation {
        subject: person,
        predicate: Predicate::HoldsPosition,
        object: org,
        role: None,
        title,
        date: None,
        evidence,
        method: "pattern:person-title".into(),
        confidence,
    });
}

pub(super) fn persons(doc: &mut Doc) {
    let lex = &*LEXICON;
    let text = doc.text;
    let units = units(doc);
    // the person of each unit: (start, end) of the name
    let mut names: Vec<Option<(usize, usize)>> = vec![None; units.len()];
    // the unit whose name follows it: a place or "(Org)" after the name is its owner
    let mut next_to_name: Vec<bool> = vec![false; units.len()];
    for i in (0..units.len()).rev() {
        let u = &units[i];
        let ws_only = text[u.end..].starts_with(char::is_whitespace);
        // a name after the title (or its comma) must start there, after an honorific or "Dr."
        let right_after = |from: usize, (s, _): &(usize, usize)| {
            text[from..*s]
                .split_whitespace()
                .all(|w| lex.names.honorifics.iter().any(|h| h == w) || w.ends_with('.') || w == ",")
        };
        let direct = if ws_only { name_after(doc, u.end) } else { None };
        let direct = direct.filter(|n| right_after(u.end, n));
        let apposition = || name_before(doc, u.start);
        let comma = || {
            let rest = &text[u.end..];
            let c = rest.strip_prefix(',').or_else(|| rest.trim_start().strip_prefix(','))?;
            let at = u.end + (rest.len() - c.len());
            name_after(doc, at).filter(|n| right_after(at, n))
        };
        let chained = units.get(i + 1).and_then(|next| {
            let gap = text.get(u.end..next.start)?;
            let g = gap.trim();
            (matches!(g, "" | "," | "und" | "sowie") && !gap.contains('\n')).then_some(())?;
            names[i + 1]
        });
        // "..., der Präsidentin des Landkreistages, Landrätin Anna Muster": after an article, a list
        // item whose second title names its person; without one ("Anna Muster, Präsidentin des
        // X, Minister Y") the title is the apposition of the name before it
        let listed = DEFINITE.is_match(text[..u.start].trim_end()) || text[..u.start].trim_end().ends_with(" dem");
        let chained_after_comma = chained.filter(|_| {
            listed
                && units.get(i + 1).and_then(|next| text.get(u.end..next.start)).is_some_and(|g| g.trim() == ",")
                && names[i + 1].is_some_and(|n| n.0 > u.end)
        });
        let before = if direct.is_none() && chained_after_comma.is_none() { apposition() } else { None };
        let after = if direct.is_none() && before.is_none() { comma() } else { None };
        names[i] = direct.or(chained_after_comma).or(before).or(after).or(chained);
        next_to_name[i] = direct.is_some() || after.is_some();
    }
    // "Anna Muster, Präsidentin des X und Landrätin des Kreises Y": the second shares the name
    for i in 1..units.len() {
        if names[i].is_none() && names[i - 1].is_some_and(|n| n.1 <= units[i - 1].start) {
            let gap = &text[units[i - 1].end..units[i].start];
            if gap.trim() == "und" {
                names[i] = names[i - 1];
            }
        }
    }
    let mut people: Vec<(usize, usize)> = Vec::new(); // (entity, entry)
    // (person, government) read from a bare title ("Staatsminister Dr. X") by default
    let mut by_default: Vec<(usize, usize)> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        let Some((ns, ne)) = names[i] else { continue };
        if doc.covered(ns, ne).is_some_and(|x| doc.entities[x].kind != "person") {
            continue;
        }
        let name = &text[ns..ne];
        // owners named in the text
        let mut owners = u.owners.clone();
        let mut affiliations = Vec::new();
        // "Anna Muster (Städtetag X)", "Landrat Max Muster, Landkreis Y,"
        if next_to_name[i] {
            let rest = &text[ne..];
            if let Some(open) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix("(")) {
                let at = ne + (rest.len() - open.len());
                if let Some((o, oe)) = org_at(doc, at)
                    && text[oe..].trim_start().starts_with(')')
                {
                    affiliations.push(o);
                }
            } else if let Some(m) = FROM_ORG.captures(rest) {
                // "Dezernentin Anna Muster vom Kreis Y", "Referent Max Beispiel beim Städtetag":
                // the organisation right after the name; after a bare "von" only a place
                let at = ne + m.get(0).map_or(0, |x| x.end());
                let at2 = PLACE_WORD.find(&text[at..]).map(|p| at + p.end());
                let org = org_at(doc, at).into_iter().chain(at2.and_then(|a| org_at(doc, a))).max_by_key(|o| o.1);
                let bare_von = m.get(1).is_some();
                if let Some((o, _)) = org
                    && doc.entities[o].entity_type == EntityType::Actor
                    && (!bare_von || matches!(doc.entities[o].kind.as_str(), "district" | "municipality"))
                    && owners.is_empty()
                {
                    owners.push(o);
                }
            } else if let Some(c) = rest.strip_prefix(", ") {
                let at = ne + (rest.len() - c.len());
                let at2 = PLACE_WORD.find(&text[at..]).map(|p| at + p.end());
                let org = org_at(doc, at).into_iter().chain(at2.and_then(|a| org_at(doc, a))).max_by_key(|o| o.1);
                if let Some((o, oe)) = org
                    && matches!(doc.entities[o].kind.as_str(), "district" | "municipality")
                    && text[oe..].starts_with([',', '.', ';'])
                    && owners.is_empty()
                {
                    owners.push(o);
                }
            }
        }
        // "durch seinen Vizepräsidenten": the organisation named last in the sentence
        if owners.is_empty() && u.possessive {
            let (ss, _) = doc.sentence_of(u.start).unwrap_or((0, u.start));
            if let Some(o) = doc
                .mentions
                .iter()
                .filter(|m| m.1 >= ss && m.2 <= u.start && doc.entities[m.0].kind != "person")
                .filter(|m| doc.entities[m.0].entity_type == EntityType::Actor)
                .max_by_key(|m| m.1)
            {
                owners.push(o.0);
            }
        }
        let entry = &lex.titles[u.entry];
        // "Staatsminister des Innern des Freistaates Sachsen": the Land names whose ministry it is
        let minister = matches!(entry.owner, OwnerKind::Government | OwnerKind::Ministry);
        if minister
            && let Some(k) = owners.iter().position(|o| doc.entities[*o].kind == "government")
            && let Some(code) = doc.entities[owners[k]].state.clone()
            && let Some(m) = ministry_of(doc, u, &code, entry.owner)
        {
            owners[k] = m;
        }
        let federal = u.prefix.starts_with("Bundes");
        let state = if federal {
            Some("DE".to_owned())
        } else {
            owners.first().and_then(|o| doc.entities[*o].state.clone()).or_else(|| doc.state_at(u.title_start))
        };
        let mut e = candidate(name, EntityType::Actor, "person", state.clone(), "person:title");
        if !u.former {
            e.title = Some(u.shown.clone());
        }
        let person = doc.entity(e);
        doc.mention(person, ns, ne);
        people.push((person, u.entry));
        if u.former {
            continue;
        }
        let title = Some(u.shown.clone());
        if next_to_name[i] && !u.owners.is_empty() {
            coordinated(doc, u, ne, state.as_deref(), &mut people);
        }
        for &o in &owners {
            holds(doc, person, o, title.clone(), u.title_start, 0.8);
        }
        for &o in &affiliations {
            holds(doc, person, o, None, u.title_start, 0.7);
        }
        // "für den Landkreistag X dessen Vorsitzender Y", "für die Stadt Z unterschrieb
        // Oberbürgermeisterin W": who signs for an organisation holds an office there
        if owners.is_empty()
            && affiliations.is_empty()
            && let Some(o) = signing_for(doc, u.title_start)
        {
            owners.push(o);
            holds(doc, person, o, title.clone(), u.title_start, 0.7);
        }
        if !entry.speaks_for.is_empty()
            && owners.is_empty()
            && affiliations.is_empty()
            && matches!(u.prefix.as_str(), "" | "Vize" | "Haupt")
            && let Some(o) = speaking_organisation(doc, u.title_start, &entry.speaks_for)
        {
            holds(doc, person, o, title.clone(), u.title_start, 0.6);
        }
        let explicit_ministry = owners.iter().any(|o| doc.entities[*o].kind == "ministry");
        let explicit_government = owners.iter().any(|o| doc.entities[*o].kind == "government");
        let Some(code) = state else { continue };
        match entry.owner {
            // the most specific organisation known: the minister's ministry, else the government
            OwnerKind::Government if !explicit_ministry => {
                if let Some(m) = ministry_of(doc, u, &code, entry.owner) {
                    holds(doc, person, m, Some(bare_title(u)), u.title_start, 0.75);
                } else if !explicit_government && let Some(g) = doc.reference("government", &code, None) {
                    holds(doc, person, g, title.clone(), u.title_start, 0.75);
                    by_default.push((person, g));
                }
            }
            OwnerKind::Ministry if owners.is_empty() => {
                if let Some(m) = ministry_of(doc, u, &code, entry.owner) {
                    holds(doc, person, m, Some(bare_title(u)), u.title_start, 0.75);
                } else if let Some(g) = doc.reference("government", &code, None) {
                    holds(doc, person, g, title.clone(), u.title_start, 0.75);
                    by_default.push((person, g));
                }
            }
            OwnerKind::CityState if owners.is_empty() && u.prefix.is_empty() => {
                if CITY_STATES.contains(&code.as_str())
                    && let Some(g) = doc.reference("government", &code, None)
                {
                    holds(doc, person, g, title.clone(), u.title_start, 0.7);
                }
            }
            _ => {}
        }
    }
    // the same bare title in a later mention names no other office than the ministry already
    // read: "X, Staatsminister der Justiz ... Staatsminister X sagte" is one position, in the ministry
    let in_ministry: Vec<(usize, Option<String>, Option<String>)> = doc
        .relations
        .iter()
        .filter(|x| x.predicate == Predicate::HoldsPosition && doc.entities[x.object].kind == "ministry")
        .map(|x| (x.subject, doc.entities[x.object].state.clone(), x.title.clone()))
        .collect();
    let entities = &doc.entities;
    doc.relations.retain(|r| {
        let default = r.predicate == Predicate::HoldsPosition && by_default.contains(&(r.subject, r.object));
        !(default && in_ministry.contains(&(r.subject, entities[r.object].state.clone(), r.title.clone())))
    });
    later_mentions(doc, &units, &names, &people);
}

/// The organisation named in "für <Organisation> [unterschrieb] [dessen] <Titel>" right before a
/// title at `at`.
fn signing_for(doc: &Doc, at: usize) -> Option<usize> {
    let (ss, _) = doc.sentence_of(at)?;
    let m = doc.mentions_in(ss, at).into_iter().next_back()?;
    let e = &doc.entities[m.0];
    if e.entity_type != EntityType::Actor || matches!(e.kind.as_str(), "person" | "group") {
        return None;
    }
    let gap = doc.text[m.2..at].split_whitespace().collect::<Vec<_>>();
    let verb = |w: &str| super::agreements::has_stem(w, &super::agreements::LEXICON.verbs.signing) || w == "zeichnete";
    let gap_ok = gap.iter().all(|w| {
        let w = w.trim_end_matches(',');
        verb(w) || ["dessen", "deren", "sein", "seine", "ihr", "ihre", "die", "der"].contains(&w)
    }) && gap.len() <= 2;
    let before = doc.text[ss..m.1].trim_end();
    let for_org = ["für den", "für die", "für das", "für dem", "Für den", "Für die", "Für das"]
        .iter()
        .any(|p| before.ends_with(p));
    (gap_ok && for_org).then_some(m.0)
}

/// The actor a text speaks for at `at`: one of `kinds` that is the subject of the sentence (before
/// `at`) or of the one before ("Der Städtetag begrüßt den Pakt. Präsidentin Anna Muster sagte
/// ...", "Der Landkreis X tritt bei. Landrätin Y erklärte ...").
fn speaking_organisation(doc: &Doc, at: usize, kinds: &[String]) -> Option<usize> {
    let k = doc.sentences.iter().position(|s| s.0 <= at && at < s.1.max(s.0 + 1))?;
    [Some(k), k.checked_sub(1)].into_iter().flatten().find_map(|j| {
        let (ss, se) = doc.sentences[j];
        let end = if j == k { at } else { se };
        let m = doc.mentions_in(ss, end).into_iter().next()?;
        let lead = doc.text[ss..m.1].trim();
        let subject = lead.is_empty() || ["Der", "Die", "Das", "Auch der", "Auch die", "Auch das"].contains(&lead);
        (subject && kinds.iter().any(|k| *k == doc.entities[m.0].kind)).then_some(m.0)
    })
}

/// "die Geschäftsführer des Städtetages, Anna Muster, sowie des Landkreistages, Max Beispiel": the
/// same title at a second organisation, for the name after it.
fn coordinated(doc: &mut Doc, u: &Unit, after: usize, state: Option<&str>, people: &mut Vec<(usize, usize)>) {
    let text = doc.text;
    let Some(m) = COORDINATED.find(&text[after..]) else { return };
    let at = after + m.end();
    let Some((org, oe)) = org_at(doc, at) else { return };
    let oe = skip_state_and_form(doc, oe);
    let Some(rest) = text[oe..].strip_prefix(',') else { return };
    let from = oe + 1;
    let Some((s, e)) = name_after(doc, from) else { return };
    if !text[from..s].trim().is_empty() && !text[from..s].split_whitespace().all(|w| w.ends_with('.')) {
        return;
    }
    let _ = rest;
    let state = doc.entities[org].state.clone().or_else(|| state.map(str::to_owned));
    let mut e2 = candidate(&text[s..e], EntityType::Actor, "person", state, "person:title");
    e2.title = Some(u.shown.clone());
    let p = doc.entity(e2);
    doc.mention(p, s, e);
    people.push((p, u.entry));
    holds(doc, p, org, Some(u.shown.clone()), u.title_start, 0.75);
}

/// Later mentions of the persons found: the full name, the surname alone when no other person
/// has it, "die Ministerin" when exactly one person holds that title.
fn later_mentions(doc: &mut Doc, units: &[Unit], names: &[Option<(usize, usize)>], people: &[(usize, usize)]) {
    let text = doc.text;
    let mut persons: Vec<usize> = people.iter().map(|p| p.0).collect();
    persons.sort();
    persons.dedup();
    let surname = |doc: &Doc, p: usize| doc.entities[p].name.split_whitespace().last().unwrap_or_default().to_owned();
    for &p in &persons {
        let name = doc.entities[p].name.clone();
        let last = surname(doc, p);
        let shared = persons.iter().any(|&q| q != p && surname(doc, q) == last);
        let mut forms = vec![name];
        if !shared && last.chars().count() >= 3 {
            forms.push(last);
        }
        for form in forms {
            for (s, e) in find_word(text, &form) {
                if doc.covered(s, e).is_none() {
                    doc.mention(p, s, e);
                }
            }
        }
    }
    // "Die Ministerin betonte": a bare title after the article, held by one person only
    for (i, u) in units.iter().enumerate() {
        if names[i].is_some() || !u.definite || !u.owners.is_empty() || u.portfolio.is_some() || u.former {
            continue;
        }
        let mut holders: Vec<usize> = people.iter().filter(|p| p.1 == u.entry).map(|p| p.0).collect();
        holders.sort();
        holders.dedup();
        if let [p] = holders[..]
            && doc.covered(u.title_start, u.title_end).is_none()
        {
            doc.mention(p, u.title_start, u.title_end);
        }
    }
}

/// Where `word` stands as a whole word in `text` (bytes).
fn find_word(text: &str, word: &str) -> Vec<(usize, usize)> {
    let inside = |c: char| c.is_alphanumeric() || c == '-';
    text.match_indices(word)
        .filter(|(start, _)| {
            let end = start + word.len();
            !text[..*start].chars().next_back().is_some_and(inside) && !text[end..].starts_with(inside)
        })
        .map(|(start, _)| (start, start + word.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::tagging::analysis::{self, Tagger};

    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| analysis::embedded().expect("the embedded tagger"));

    /// (person, organisation) of every holds_position read from `text`, and the persons found.
    fn read(text: &str) -> (Vec<(String, String)>, Vec<String>) {
        let a = TAGGER.tag("", text, None, None, None).analysis;
        let name = |i: usize| a.entities[i].name.clone();
        let rels = a
            .relations
            .iter()
            .filter(|r| r.predicate == Predicate::HoldsPosition)
            .map(|r| (name(r.subject), name(r.object)))
            .collect();
        let persons = a.entities.iter().filter(|e| e.kind == "person").map(|e| e.name.clone()).collect();
        (rels, persons)
    }

    #[test]
    fn the_lexicon_parses_and_makes_forms() {
        let lex = parse_lexicon(TITLES_TOML).expect("titles.toml parses");
        assert!(lex.titles.len() >= 30);
        let cases = [
            ("Staatssekretärin", Some("Staatssekretärin")),
            ("Innenstaatssekretärin", Some("Innenstaatssekretärin")),
            ("Finanzstaatssekretärs", Some("Finanzstaatssekretär")),
            ("Digitalministerin", Some("Digitalministerin")),
            ("Präsidenten", Some("Präsident")),
            ("Vizepräsidentin", Some("Vizepräsidentin")),
            ("Landrätin", Some("Landrätin")),
            ("Landrates", Some("Landrat")),
            ("Verwaltungsratsvorsitzender", Some("Verwaltungsratsvorsitzender")),
            ("Vorsitzenden", Some("Vorsitzende")),
            ("IT-Beauftragte", Some("IT-Beauftragte")),
            ("Hauptgeschäftsführerin", Some("Hauptgeschäftsführerin")),
            ("Kämmerin", Some("Kämmerin")),
            ("CIO", Some("CIO")),
            // not titles
            ("Ministerium", None),
            ("Präsidium", None),
            ("Landratsamt", None),
            ("Begleiter", None),
            ("Lautsprecher", None),
            ("ministerin", None),
            ("Bürgermeisteramt", None),
        ];
        for (word, want) in cases {
            assert_eq!(title_of_word(word).map(|t| t.1), want.map(str::to_owned), "{word}");
        }
    }

    #[test]
    fn titles_with_names_and_their_owners() {
        // (text, person, organisation the position is held at; "" when none may be read)
        let cases: &[(&str, &str, &str)] = &[
            // title before the name, owner after the title
            (
                "Die Präsidentin des Hessischen Landkreistages, Petra Lindner, lobte den Vertrag.",
                "Petra Lindner",
                "Hessischer Landkreistag",
            ),
            (
                "Der Vorsitzende des Niedersächsischen Städtetages Jan-Ole Brandt eröffnete die Sitzung.",
                "Jan-Ole Brandt",
                "Niedersächsischer Städtetag",
            ),
            (
                "Das erklärte der Geschäftsführer des Bayerischen Gemeindetags, Dr. Tobias Maier.",
                "Tobias Maier",
                "Bayerischer Gemeindetag",
            ),
            // apposition after the name, with a dash, in a relative-free list
            (
                "Jonas Keller, Präsident des Städtetags Baden-Württemberg, unterschrieb.",
                "Jonas Keller",
                "Städtetag Baden-Württemberg",
            ),
            (
                "Miriam von Arnim - Vorsitzende des Landkreistages Brandenburg - stimmte zu.",
                "Miriam von Arnim",
                "Landkreistag Brandenburg",
            ),
            // compound title of a minister in a text that never names the ministry: the government
            (
                "In Hessen stellte Digitalministerin Sabine Roth-Kaiser das Programm vor.",
                "Sabine Roth-Kaiser",
                "Hessische Landesregierung",
            ),
            // compound title of a state secretary: the ministry the compound names
            (
                "In Thüringen unterzeichnete Finanzstaatssekretär Paul Wendt die Vereinbarung.",
                "Paul Wendt",
                "Thüringer Finanzministerium",
            ),
            // a Staatssekretär of a ministry the text does not name: the Land government
            (
                "Im Saarland sagte Staatssekretärin Lea Hoffmann, das Gesetz komme.",
                "Lea Hoffmann",
                "Landesregierung des Saarlandes",
            ),
            // a head of government
            (
                "Niedersachsens Ministerpräsidentin Karin Albers begrüßte die Gäste.",
                "Karin Albers",
                "Landesregierung Niedersachsen",
            ),
            // chained titles share the name; the possessive names the association
            (
                "Der Bayerische Landkreistag wurde durch seinen Vizepräsidenten, Landrat Georg Huber, vertreten.",
                "Georg Huber",
                "Bayerischer Landkreistag",
            ),
            // name then "(Organisation)"
            (
                "Es unterschrieben Bürgermeister Lars Petersen (Hessischer Städte- und Gemeindebund) und andere.",
                "Lars Petersen",
                "Hessischer Städte- und Gemeindebund",
            ),
            // coordination of two organisations with one plural title
            (
                "Die Geschäftsführer des Hessischen Städtetages, Uwe Brandt, sowie des Hessischen Landkreistages, Eva Scholz, waren dabei.",
                "Eva Scholz",
                "Hessischer Landkreistag",
            ),
            // an office no longer held: the person, but no position
            ("Der frühere Präsident des Hessischen Städtetages, Karl Binder, erinnerte daran.", "Karl Binder", ""),
            ("Altbürgermeister Hans Vogt aus Bayern war zu Gast.", "Hans Vogt", ""),
            // a Landrat whose district the text does not name: no guessed owner
            ("In Sachsen sprach Landrätin Ute Krämer über die Pläne.", "Ute Krämer", ""),
            // an association's office without its owner: the association the text speaks for,
            // subject of this sentence or the one before
            (
                "Der Hessische Städtetag begrüßt den neuen Pakt. Präsidentin Oberbürgermeisterin Anna Keller sagte, er komme zur rechten Zeit.",
                "Anna Keller",
                "Hessischer Städtetag",
            ),
            (
                "Der Niedersächsische Landkreistag fordert mehr Geld; Hauptgeschäftsführer Jens Brandt sagte, die Kreise seien am Limit.",
                "Jens Brandt",
                "Niedersächsischer Landkreistag",
            ),
            // a second title after the comma names the person of the first
            (
                "Unterzeichnet wurde er von Staatsminister Karl Probe, der Präsidentin des Hessischen Landkreistages, Landrätin Anna Keller, und weiteren Gästen.",
                "Anna Keller",
                "Hessischer Landkreistag",
            ),
            (
                "Unterzeichnet wurde er von Staatsminister Karl Probe, der Präsidentin des Hessischen Landkreistages, Landrätin Anna Keller, und weiteren Gästen.",
                "Karl Probe",
                "Hessische Landesregierung",
            ),
            // who signs "für" an organisation holds an office there
            (
                "Für das Land unterschrieb die Ministerin, für den Landkreistag Sachsen-Anhalt dessen Präsident Götz Ulrich.",
                "Götz Ulrich",
                "Landkreistag Sachsen-Anhalt",
            ),
            (
                "Den Vertrag zeichneten für den Hessischen Städtetag Geschäftsführerin Eva Probe und für die Stadt Kassel Oberbürgermeister Sven Muster.",
                "Eva Probe",
                "Hessischer Städtetag",
            ),
            // a district or town that is the subject of the sentence before
            (
                "In Sachsen-Anhalt tritt auch der Landkreis Harz dem Verbund bei. Die Kreisverwaltung stimmte zu. Landrat Thomas Beispiel erklärte, man freue sich.",
                "Thomas Beispiel",
                "",
            ),
            (
                "Auch der Landkreis Harz in Sachsen-Anhalt will dem Verbund beitreten. Landrat Thomas Beispiel erklärte, man prüfe den Beitritt.",
                "Thomas Beispiel",
                "Landkreis Harz",
            ),
            // the association only mentioned, not the subject: no guessed owner
            ("Mit dem Hessischen Städtetag wurde gesprochen. Präsident Karl Vogt lobte die Einigung.", "Karl Vogt", ""),
        ];
        for (text, person, org) in cases {
            let (rels, persons) = read(text);
            assert!(persons.iter().any(|p| p == person), "{text}: persons {persons:?}");
            if org.is_empty() {
                assert!(!rels.iter().any(|r| r.0 == *person), "{text}: {rels:?}");
            } else {
                assert!(rels.iter().any(|r| r.0 == *person && r.1 == *org), "{text}: {rels:?}");
            }
        }
    }

    #[test]
    fn no_person_without_a_name() {
        // titles and capitalised words that are no names
        let cases = [
            "Der Präsident des Hessischen Städtetages lobte den Vertrag.",
            "Die Ministerin betonte die Bedeutung der Digitalisierung.",
            "Der Landrat Anfang der Woche war verreist.",
            "Das Ministerium Digitalisierung Verwaltung plant viel.",
            "Ein Begleiter Thomas Richter kam mit.",
            "Die Vorsitzende, die im Mai gewählt wurde, sprach.",
        ];
        for text in cases {
            let (rels, persons) = read(text);
            assert!(persons.is_empty(), "{text}: {persons:?}");
            assert!(rels.is_empty(), "{text}: {rels:?}");
        }
    }

    #[test]
    fn a_minister_holds_the_office_in_the_ministry_only_when_the_text_names_it() {
        // (text, person, organisation of the position); the position must be held at no ministry,
        // Senatsverwaltung or Behörde when the organisation expected is a government
        let cases: &[(&str, &str, &str)] = &[
            // compound title, ministry not named: the Land government, both word orders
            (
                "Niedersachsens Innenminister Tobias Brandt lobte die Einigung.",
                "Tobias Brandt",
                "Landesregierung Niedersachsen",
            ),
            (
                "Tobias Brandt, Finanzminister des Landes Brandenburg, unterzeichnete die Vereinbarung.",
                "Tobias Brandt",
                "Landesregierung Brandenburg",
            ),
            // passive, apposition, feminine
            (
                "Der Vertrag wurde in Nordrhein-Westfalen von Digitalministerin Clara Vogt unterzeichnet.",
                "Clara Vogt",
                "Landesregierung Nordrhein-Westfalen",
            ),
            // the same compound when the text names the ministry: the ministry
            (
                "Das Hessische Ministerium für Digitalisierung und Innovation fördert das Vorhaben, sagte Digitalministerin Sabine Roth-Kaiser.",
                "Sabine Roth-Kaiser",
                "Hessisches Ministerium für Digitalisierung und Innovation",
            ),
            // a Land minister's portfolio names the ministry itself
            (
                "In Dresden unterschrieb der Staatsminister der Finanzen des Freistaates Sachsen, Peter Lorenz, den Vertrag.",
                "Peter Lorenz",
                "Sächsisches Staatsministerium der Finanzen",
            ),
            // a city-state's senator: the Senat, by compound or by portfolio
            (
                "Hamburgs Finanzsenatorin Jana Reuter stellte den Haushalt vor.",
                "Jana Reuter",
                "Freie und Hansestadt Hamburg",
            ),
            (
                "Bremens Innensenator Ole Krüger, der das Vorhaben leitet, sprach von einem Durchbruch.",
                "Ole Krüger",
                "Freie Hansestadt Bremen",
            ),
            (
                "In Berlin sagte die Senatorin für Inneres und Sport, Nora Schulte, das Portal starte bald.",
                "Nora Schulte",
                "Senat von Berlin",
            ),
        ];
        let at_a_ministry = |o: &str| {
            o.contains("inisterium")
                || o.contains("Senatsverwaltung")
                || o.contains("Behörde")
                || o.starts_with("Senator")
        };
        for (text, person, org) in cases {
            let (rels, persons) = read(text);
            assert!(persons.iter().any(|p| p == person), "{text}: persons {persons:?}");
            assert!(rels.iter().any(|r| r.0 == *person && r.1 == *org), "{text}: {rels:?}");
            if !at_a_ministry(org) {
                assert!(!rels.iter().any(|r| r.0 == *person && at_a_ministry(&r.1)), "{text}: {rels:?}");
            }
        }
    }

    #[test]
    fn the_organisation_right_after_the_name() {
        // (text, person, organisation; "" when the person may hold no position)
        let cases: &[(&str, &str, &str)] = &[
            (
                "Der Verband entsandte Dezernentin Julia Brandt vom Städtetag Baden-Württemberg in den Rat.",
                "Julia Brandt",
                "Städtetag Baden-Württemberg",
            ),
            (
                "In Hannover wurde Dezernent Tim Kessler vom Niedersächsischen Städtetag in das Gremium berufen.",
                "Tim Kessler",
                "Niedersächsischer Städtetag",
            ),
            (
                "Es sprach Beigeordnete Karin Maus beim Hessischen Landkreistag über die Pläne.",
                "Karin Maus",
                "Hessischer Landkreistag",
            ),
            (
                "Geschäftsführer Jan Ode von der Landesregierung Brandenburg? Nein: er kam vom Städtetag.",
                "Jan Ode",
                "Landesregierung Brandenburg",
            ),
            // no organisation after the preposition, or a bare "von" before no place
            ("In Sachsen sprach Landrätin Ute Krämer vom Podium aus.", "Ute Krämer", ""),
            ("In Sachsen sprach Dezernent Paul Weber von einer guten Lösung.", "Paul Weber", ""),
        ];
        for (text, person, org) in cases {
            let (rels, persons) = read(text);
            assert!(persons.iter().any(|p| p == person), "{text}: persons {persons:?}");
            if org.is_empty() {
                assert!(!rels.iter().any(|r| r.0 == *person), "{text}: {rels:?}");
            } else {
                assert!(rels.iter().any(|r| r.0 == *person && r.1 == *org), "{text}: {rels:?}");
            }
        }
    }

    #[test]
    fn a_bare_title_again_is_the_same_office_in_the_ministry() {
        // (text, person, organisation held, organisation not held)
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "Dr. Anna Vogt, Staatsministerin der Finanzen des Freistaates Sachsen, eröffnete die Messe. \
                 Später betonte Staatsministerin Dr. Anna Vogt, das Land stehe zu seinen Zusagen.",
                "Anna Vogt",
                "Sächsisches Staatsministerium der Finanzen",
                "Freistaat Sachsen",
            ),
            (
                "Staatsminister Paul Engel sprach in Dresden. Paul Engel, Staatsminister der Finanzen des \
                 Freistaates Sachsen, unterschrieb danach die Vereinbarung.",
                "Paul Engel",
                "Sächsisches Staatsministerium der Finanzen",
                "Freistaat Sachsen",
            ),
            // no ministry read: the bare title holds the office in the government
            ("Staatsministerin Dr. Anna Vogt sprach in Dresden über Sachsen.", "Anna Vogt", "Freistaat Sachsen", ""),
        ];
        for (text, person, held, not_held) in cases {
            let (rels, _) = read(text);
            assert!(rels.iter().any(|r| r.0 == *person && r.1 == *held), "{text}: {rels:?}");
            assert!(!rels.iter().any(|r| r.0 == *person && r.1 == *not_held), "{text}: {rels:?}");
        }
    }

    #[test]
    fn names_in_their_forms_and_later_mentions() {
        let text = "In Hessen eröffnete Staatssekretär Prof. Dr. Anton van der Berg die Tagung. \
                    Van der Berg betonte die Zusammenarbeit. Später sagte Frau Dr. Maria-Luise Schmidt-Weber, \
                    Präsidentin des Hessischen Städtetages: „Wir sind bereit.“ Schmidt-Weber lobte das Land. \
                    Die Präsidentin sagte zudem, es gehe voran.";
        let a = TAGGER.tag("", text, None, None, None).analysis;
        let person = |n: &str| a.entities.iter().find(|e| e.kind == "person" && e.name == n);
        let berg = person("Anton van der Berg").expect("Anton van der Berg");
        assert_eq!(berg.title.as_deref(), Some("Staatssekretär"));
        let sw = person("Maria-Luise Schmidt-Weber").expect("Maria-Luise Schmidt-Weber");
        let texts: Vec<&str> = sw.mentions.iter().map(|m| m.text.as_str()).collect();
        assert!(texts.contains(&"Schmidt-Weber"), "{texts:?}");
        assert!(texts.contains(&"Präsidentin"), "{texts:?}");
        assert_eq!(sw.state.as_deref(), Some("HE"));
        for e in &a.entities {
            assert!(!e.name.contains("Dr.") && !e.name.contains('\n'), "{}", e.name);
        }
        analysis::check_spans(text, &a).expect("spans read back");
    }

    #[test]
    fn an_owner_named_in_unknown_words_then_by_its_acronym() {
        // (text, person, organisation the position is held at; "" when none may be read)
        let cases: &[(&str, &str, &str)] = &[
            // title before the name, no comma
            (
                "Der Verwaltungsratsvorsitzende des IT-Verbundes Schleswig-Holstein (ITV.SH) Jonas Berger unterzeichnete.",
                "Jonas Berger",
                "IT-Verbund Schleswig-Holstein",
            ),
            // feminine title, apposition with commas
            (
                "Die Präsidentin des IT-Dienstleistungszentrums Bayern (IT-DLZ), Karin Huber, stellte das Vorhaben vor.",
                "Karin Huber",
                "IT-Dienstleistungszentrum des Freistaats Bayern",
            ),
            // genitive with an adjective, dative article, honorific
            (
                "Im Beisein dem Geschäftsführer der hessischen Datenzentrale (HZD), Herrn Paul Roth, wurde unterzeichnet.",
                "Paul Roth",
                "Hessische Zentrale für Datenverarbeitung",
            ),
            // negative: an acronym the text does not know names no owner
            ("Der Sprecher des Landesamtes Sachsen (LfQX) Hans Roth äußerte sich.", "Hans Roth", ""),
        ];
        for (text, person, org) in cases {
            let (rels, persons) = read(text);
            assert!(persons.iter().any(|p| p == person), "{text}: persons {persons:?}");
            if org.is_empty() {
                assert!(!rels.iter().any(|r| r.0 == *person), "{text}: {rels:?}");
            } else {
                assert!(rels.iter().any(|r| r.0 == *person && r.1 == *org), "{text}: {rels:?}");
            }
        }
    }
}
