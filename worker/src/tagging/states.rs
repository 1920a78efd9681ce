//! Which states a document concerns. German press texts say it in a few places, and each is
//! weighed by what it tells:
//!
//! | signal | weight |
//! |---|---|
//! | the dateline's place ("KIEL.", "Hamburg/Bremen (dpa) –", "Mainz, 3. Mai 2024"), the source's state | 3 each |
//! | the Land as an actor or the attribute of an institution: "Land Hessen", "Freistaat Sachsen", "Landkreistag Rheinland-Pfalz", "Bayerisches Staatsministerium" (a capitalised adjective is part of a name) | 3 |
//! | a Land's own institution named without the Land: the reference entries whose name carries their Land, with the Land taken off ("Landesbetrieb Daten und Information"), four words or more, when no other Land has that name | 2 |
//! | a name or an adjective of a Land ("in Bayern", "die sächsischen Kommunen") | 2 |
//! | a capital or another city that lies in one Land only (capitalised) | 1 |
//! | a name in a list of three Länder or more ("getragen von Hamburg, Bremen und Niedersachsen") | 1 |
//! | a comparison or example ("wie in Bayern", "nach dem Vorbild Hamburgs", "Länder wie Hessen und Sachsen") | 0 |
//! | a name inside a place name ("Bernau bei Berlin", "Altenholz bei Kiel") | 0 |
//!
//! The best Land is tagged when it scores at least 2 (else, with any score, as the best guess); a
//! further Land only when it scores at least 4 (more than one passing mention) and at least a
//! quarter of the best. DE (the federal level) is tagged from federal markers ("Bundesregierung",
//! "IT-Planungsrat", ...) and is primary only when no Land is tagged. The word lists are data:
//! `shared/data/lexicon/state_signals.toml`.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use govgraph_shared::reference::{ReferenceEntry, StateEntry};
use serde::{Deserialize, Serialize};

const FEDERAL: &str = "DE";
/// What a further Land must score: more than one plain mention.
const SECONDARY_MIN: f32 = 4.0;
/// ... and this share of the best Land.
const SECONDARY_SHARE: f32 = 0.25;
const DATELINE_WEIGHT: f32 = 3.0;
const SOURCE_WEIGHT: f32 = 3.0;

/// The word lists of `shared/data/lexicon/state_signals.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Lexicon {
    passing: Vec<String>,
    place_qualifiers: Vec<String>,
    coordinators: Vec<String>,
    agencies: Vec<String>,
    cities: HashMap<String, Vec<String>>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../shared/data/lexicon/state_signals.toml"))
        .expect("shared/data/lexicon/state_signals.toml parses (checked by a unit test)")
});

/// The passing markers as word sequences.
static PASSING: LazyLock<Vec<Vec<String>>> =
    LazyLock::new(|| LEXICON.passing.iter().map(|m| m.split_whitespace().map(str::to_owned).collect()).collect());

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Signal {
    Name,
    Adjective,
    Capital,
    City,
    /// A Land's own institution named without the Land.
    Institution,
}

/// How a mention reads in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Reading {
    Plain,
    /// The Land as an actor or as the attribute of an institution's name.
    Attribute,
    /// One of three or more Länder in a coordination.
    Listed,
    /// A comparison or an example.
    Passing,
    /// Part of a place name ("Bernau bei Berlin").
    PlaceName,
}

fn weight(signal: Signal, reading: Reading) -> f32 {
    match (signal, reading) {
        (_, Reading::Passing | Reading::PlaceName) => 0.0,
        (Signal::Capital | Signal::City, _) => 1.0,
        (_, Reading::Listed) => 1.0,
        (_, Reading::Attribute) => 3.0,
        (Signal::Name | Signal::Adjective | Signal::Institution, Reading::Plain) => 2.0,
    }
}

fn label(signal: Signal, reading: Reading) -> &'static str {
    match (signal, reading) {
        (_, Reading::Passing) => "passing",
        (_, Reading::PlaceName) => "place-name",
        (_, Reading::Listed) => "listed",
        (Signal::Institution, _) => "institution",
        (Signal::Capital, _) => "capital",
        (Signal::City, _) => "city",
        (_, Reading::Attribute) => "attribute",
        (Signal::Name, _) => "name",
        (Signal::Adjective, _) => "adjective",
    }
}

/// A state tag of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateTag {
    pub code: String,
    pub primary: bool,
    pub score: f32,
    /// What decided it, e.g. `name:3`, `dateline`.
    pub signals: Vec<String>,
}

struct Pattern {
    code: String,
    signal: Signal,
    /// A form of several words ("Land Hessen", "Freistaat Sachsen"): the Land as an actor.
    multiword: bool,
}

/// A state's form found in a text, at byte offsets (the end includes an inflection).
#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    pattern: usize,
    reading: Reading,
}

/// A matcher built once from the states' names, the lexicon and the reference entries.
pub struct StateTagger {
    matcher: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Places a dateline may name (Länder, capitals, cities), lower-cased, with their state.
    places: HashMap<String, String>,
}

impl StateTagger {
    /// The tagger over `states` and the embedded reference entries.
    pub fn new(states: &[StateEntry]) -> StateTagger {
        let entries = govgraph_shared::reference::entries().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "reference entries unreadable: state tagging without institutions");
            Vec::new()
        });
        StateTagger::with_entries(states, &entries)
    }

    /// The tagger over `states` and the institutions of `entries`.
    pub fn with_entries(states: &[StateEntry], entries: &[ReferenceEntry]) -> StateTagger {
        let mut patterns: Vec<(String, String, Signal, bool)> = Vec::new();
        let mut places = HashMap::new();
        for s in states {
            for name in s.names.iter().chain(std::iter::once(&s.name)) {
                if s.code == FEDERAL && name == &s.name {
                    continue; // "Bund" alone is too common a word
                }
                patterns.push((name.to_lowercase(), s.code.clone(), Signal::Name, name.contains(' ')));
                if s.code != FEDERAL {
                    places.insert(name.to_lowercase(), s.code.clone());
                }
            }
            for adj in &s.adjectives {
                patterns.push((adj.to_lowercase(), s.code.clone(), Signal::Adjective, false));
            }
            if let Some(cap) = &s.capital {
                places.insert(cap.to_lowercase(), s.code.clone());
                // a city-state's capital is its name
                if !s.names.iter().chain(std::iter::once(&s.name)).any(|n| n.eq_ignore_ascii_case(cap)) {
                    patterns.push((cap.to_lowercase(), s.code.clone(), Signal::Capital, false));
                }
            }
        }
        for (code, cities) in &LEXICON.cities {
            for city in cities {
                places.insert(city.to_lowercase(), code.clone());
                patterns.push((city.to_lowercase(), code.clone(), Signal::City, false));
            }
        }
        for (stem, code) in institution_stems(states, entries) {
            patterns.push((stem.to_lowercase(), code, Signal::Institution, false));
        }
        // one pattern per string: the state's own forms come before cities and institutions
        patterns.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
        patterns.dedup_by(|a, b| a.0 == b.0);
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("state patterns build an automaton");
        let patterns =
            patterns.into_iter().map(|(_, code, signal, multiword)| Pattern { code, signal, multiword }).collect();
        StateTagger { matcher, patterns, places }
    }

    /// The state forms of `text` with their readings, in order.
    fn hits(&self, text: &str) -> Vec<Hit> {
        // offsets of the lower-cased text must be offsets of `text`
        let lower = govgraph_shared::text::lowercase_in_place(text);
        let mut hits = Vec::new();
        for m in self.matcher.find_iter(&lower) {
            let p = &self.patterns[m.pattern().as_usize()];
            if lower[..m.start()].chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let rest = &lower[m.end()..];
            let suffix_len = match p.signal {
                // adjective endings: -e, -en, -er, -es, -em
                Signal::Adjective => rest.chars().take_while(|c| c.is_alphabetic()).count(),
                // genitive: -s, -es
                _ => ["es", "s"].iter().find(|s| rest.starts_with(**s)).map_or(0, |s| s.len()),
            };
            if p.signal == Signal::Adjective && suffix_len > 2 {
                continue;
            }
            let suffix_bytes = rest.char_indices().nth(suffix_len).map_or(rest.len(), |(i, _)| i);
            if rest[suffix_bytes..].chars().next().is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            // a city's or an institution's name is capitalised ("siegen" is a verb)
            if matches!(p.signal, Signal::Capital | Signal::City | Signal::Institution)
                && !text[m.start()..].chars().next().is_some_and(char::is_uppercase)
            {
                continue;
            }
            hits.push(Hit {
                start: m.start(),
                end: m.end() + suffix_bytes,
                pattern: m.pattern().as_usize(),
                reading: Reading::Plain,
            });
        }
        for h in &mut hits {
            h.reading = self.reading(text, h);
        }
        self.coordinations(text, &mut hits);
        hits
    }

    /// How one mention reads, from the words before it.
    fn reading(&self, text: &str, h: &Hit) -> Reading {
        let p = &self.patterns[h.pattern];
        if p.code == FEDERAL || p.signal == Signal::Institution {
            return Reading::Plain;
        }
        let before = words_before(text, h.start);
        let last = before.words.last().map(|w| w.to_lowercase());
        if let (Some(last), Some(head)) = (&last, before.words.iter().rev().nth(1))
            && LEXICON.place_qualifiers.iter().any(|q| q == last)
            && head.chars().next().is_some_and(char::is_uppercase)
        {
            return Reading::PlaceName;
        }
        let lowered: Vec<String> = before.words.iter().map(|w| w.to_lowercase()).collect();
        let n = lowered.len();
        for marker in PASSING.iter() {
            let k = marker.len();
            // the marker ends at most three words before the name
            for end in (k..=n).rev().take(3) {
                if lowered[end - k..end] == marker[..] {
                    return Reading::Passing;
                }
            }
        }
        let capitalised_attribute = before.attached
            && before.words.last().is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !(before.words.len() == 1 && before.clause_start);
        match p.signal {
            Signal::Name if p.multiword || capitalised_attribute => Reading::Attribute,
            // adjectives are capitalised only in names ("Bayerisches Staatsministerium")
            Signal::Adjective
                if text[h.start..].chars().next().is_some_and(char::is_uppercase)
                    && !(before.words.is_empty() && before.clause_start) =>
            {
                Reading::Attribute
            }
            _ => Reading::Plain,
        }
    }

    /// Coordinations of Länder: a comparison carries over to the names joined to it, and three
    /// Länder or more are a list.
    fn coordinations(&self, text: &str, hits: &mut [Hit]) {
        let land = |h: &Hit| {
            let p = &self.patterns[h.pattern];
            p.code != FEDERAL && p.signal != Signal::Institution
        };
        let mut i = 0;
        while i < hits.len() {
            let mut j = i + 1;
            while j < hits.len() && land(&hits[j - 1]) && land(&hits[j]) {
                let gap = text[hits[j - 1].end..hits[j].start].trim().to_lowercase();
                if !LEXICON.coordinators.contains(&gap) {
                    break;
                }
                j += 1;
            }
            let group = &mut hits[i..j];
            if group.len() > 1 {
                let codes: BTreeSet<&str> = group.iter().map(|h| self.patterns[h.pattern].code.as_str()).collect();
                let passing = group[0].reading == Reading::Passing;
                let listed = codes.len() >= 3;
                for h in group.iter_mut() {
                    if passing && h.reading != Reading::PlaceName {
                        h.reading = Reading::Passing;
                    } else if listed && !matches!(h.reading, Reading::Passing | Reading::PlaceName) {
                        h.reading = Reading::Listed;
                    }
                }
            }
            i = j;
        }
    }

    /// The states a dateline names: the extracted `place`, and at the head of the title or the
    /// text "KIEL. ...", "RHEINLAND-PFALZ – ...", "Hamburg/Bremen (dpa) – ...".
    fn datelines(&self, title: &str, text: &str, place: Option<&str>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let resolve = |p: &str, out: &mut BTreeSet<String>| {
            if let Some(code) = self.places.get(&p.trim().to_lowercase()) {
                out.insert(code.clone());
            }
        };
        if let Some(p) = place {
            resolve(p, &mut out);
        }
        let heads = title.lines().chain(text.lines()).map(str::trim).filter(|l| !l.is_empty()).take(4);
        for line in heads {
            if let Some(places) = dateline_places(line) {
                for p in places.split('/') {
                    resolve(p, &mut out);
                }
            }
        }
        out
    }

    /// Where `text` names a state by its name or adjective (byte offset, code), in order: the state
    /// in force at a position is the last one named before it. Comparisons and place names
    /// ("wie in Bayern", "Bernau bei Berlin") do not change it.
    pub fn positions(&self, text: &str) -> Vec<(usize, String)> {
        self.hits(text)
            .into_iter()
            .filter(|h| {
                let p = &self.patterns[h.pattern];
                matches!(p.signal, Signal::Name | Signal::Adjective)
                    && !matches!(h.reading, Reading::Passing | Reading::PlaceName)
            })
            .map(|h| (h.start, self.patterns[h.pattern].code.clone()))
            .collect()
    }

    /// The states of a document, primary first.
    pub fn tag(&self, title: &str, text: &str, place: Option<&str>, source_state: Option<&str>) -> Vec<StateTag> {
        let mut scores: HashMap<String, (f32, Vec<String>)> = HashMap::new();
        let mut add = |code: &str, weight: f32, signal: String| {
            let e = scores.entry(code.to_owned()).or_default();
            e.0 += weight;
            if !e.1.contains(&signal) {
                e.1.push(signal);
            }
        };
        let full = format!("{title}\n{text}");
        let mut counts: HashMap<(String, &'static str), (u32, f32)> = HashMap::new();
        for h in self.hits(&full) {
            let p = &self.patterns[h.pattern];
            let e = counts.entry((p.code.clone(), label(p.signal, h.reading))).or_default();
            e.0 += 1;
            e.1 += weight(p.signal, h.reading);
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|a, b| a.0.cmp(&b.0));
        for ((code, label), (n, w)) in counts {
            add(&code, w, format!("{label}:{n}"));
        }
        for code in self.datelines(title, text, place) {
            add(&code, DATELINE_WEIGHT, "dateline".into());
        }
        if let Some(code) = source_state {
            add(code, SOURCE_WEIGHT, "source".into());
        }

        let best_land = scores.iter().filter(|(c, _)| *c != FEDERAL).map(|(_, (s, _))| *s).fold(0.0, f32::max);
        let mut tags: Vec<StateTag> = scores
            .iter()
            .filter(|(code, (score, _))| {
                // the federal level and the best Land need 2; a further Land more than one passing mention
                if *code == FEDERAL || *score >= best_land {
                    *score >= 2.0
                } else {
                    *score >= SECONDARY_MIN && *score >= best_land * SECONDARY_SHARE
                }
            })
            .map(|(code, (score, signals))| StateTag {
                code: code.clone(),
                primary: false,
                score: *score,
                signals: signals.clone(),
            })
            .collect();
        // no Land scores 2: the best guess, when there is any
        let best = scores
            .iter()
            .filter(|(c, (s, _))| *c != FEDERAL && *s > 0.0)
            .max_by(|a, b| a.1.0.total_cmp(&b.1.0).then_with(|| b.0.cmp(a.0)));
        if let Some((code, (score, signals))) = best.filter(|_| !tags.iter().any(|t| t.code != FEDERAL)) {
            tags.push(StateTag { code: code.clone(), primary: false, score: *score, signals: signals.clone() });
        }
        // primary: the best Land; DE only when alone
        tags.sort_by(|a, b| {
            (a.code == FEDERAL).cmp(&(b.code == FEDERAL)).then(b.score.total_cmp(&a.score)).then(a.code.cmp(&b.code))
        });
        if let Some(first) = tags.first_mut() {
            first.primary = true;
        }
        tags
    }
}

/// The words before a position in its clause, nearest last.
struct Before<'a> {
    words: Vec<&'a str>,
    /// The first of `words` opens a sentence, a line or the text.
    clause_start: bool,
    /// The last word stands right before the position, one space between ("Landkreistag Hessen").
    attached: bool,
}

/// Up to six words before `at` in the same clause: a sentence end, a comma, a colon or a line
/// break ends the search ("z. B." and other short abbreviations do not).
fn words_before(text: &str, at: usize) -> Before<'_> {
    let from = text.floor_char_boundary(at.saturating_sub(160));
    let mut slice = &text[from..at];
    let mut line_start = from == 0;
    if let Some(nl) = slice.rfind('\n') {
        slice = &slice[nl + 1..];
        line_start = true;
    }
    let attached = slice.ends_with(' ') && !slice.ends_with("  ") && slice.len() > 1;
    let all: Vec<&str> = slice.split_whitespace().collect();
    let mut words = Vec::new();
    let mut clause_start = line_start;
    for (i, w) in all.iter().enumerate().rev() {
        let ends_clause = w.ends_with([',', ';', ':', '!', '?', '–', '—']) || (w.ends_with('.') && !is_abbreviation(w));
        if ends_clause || words.len() == 6 {
            clause_start = ends_clause;
            break;
        }
        words.push(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-'));
        if i == 0 {
            clause_start = line_start;
        }
    }
    words.reverse();
    // a quote or a bracket between the word and the name detaches them
    let attached =
        attached && all.last().is_some_and(|w| w.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.'));
    Before { words, clause_start, attached }
}

/// "z.", "B.", "u.", "Dr.", "Nr.", "bzw." ...: a period that does not end a sentence.
fn is_abbreviation(w: &str) -> bool {
    const LONGER: &[&str] =
        &["bzw.", "ggf.", "inkl.", "bspw.", "sog.", "vgl.", "evtl.", "prof.", "str.", "abs.", "ca."];
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    let letters = w.trim_end_matches('.').chars().filter(|c| c.is_alphabetic()).count();
    letters <= 2 || w.trim_end_matches('.').contains('.') || LONGER.contains(&w.to_lowercase().as_str())
}

static DATELINE_AGENCY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(\p{Lu}[\p{L}\-. ]*?(?:\s*/\s*\p{Lu}[\p{L}\-. ]*?)*)\s*\(([\p{L}/ ]{2,12})\)\s*[-–—:]")
        .expect("dateline pattern")
});
static DATELINE_CAPS: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"^(\p{Lu}[\p{Lu}\-]+(?:\s*/\s*\p{Lu}[\p{Lu}\-]+|\s\p{Lu}[\p{Lu}\-]+)*)\s*(?:\.|\s[-–—:])(?:\s|$)",
    )
    .expect("dateline pattern")
});

/// The place part of a dateline at the head of `line`, e.g. "Hamburg/Bremen" of
/// "Hamburg/Bremen (dpa) –", "KIEL" of "KIEL. Die Landesregierung ...".
fn dateline_places(line: &str) -> Option<&str> {
    if let Some(c) = DATELINE_AGENCY.captures(line) {
        let agency = c.get(2).map_or("", |m| m.as_str()).to_lowercase();
        if agency.split('/').any(|a| LEXICON.agencies.iter().any(|x| x == a.trim())) {
            return c.get(1).map(|m| m.as_str());
        }
    }
    DATELINE_CAPS.captures(line).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// Function words that cannot end an institution's name.
const TRAILING: &[&str] = &[
    "des",
    "der",
    "die",
    "und",
    "von",
    "in",
    "im",
    "für",
    "am",
    "landes",
    "freistaates",
    "freistaats",
    "land",
    "freistaat",
    "freie",
    "freien",
    "hansestadt",
];
/// An institution named without its Land says less when its name is short and generic
/// ("Ministerium der Finanzen" exists in many Länder): a stem has at least this many words.
const STEM_MIN_WORDS: usize = 4;

/// The Land's own institutions named without their Land: from every reference entry of a Land
/// whose name or alias carries the Land ("Landesbetrieb Daten und Information Rheinland-Pfalz",
/// "Bayerisches Staatsministerium für Digitales"), the rest of the name, when it has four words
/// or more and no entry of another Land (or of none) has it.
fn institution_stems(states: &[StateEntry], entries: &[ReferenceEntry]) -> Vec<(String, String)> {
    let mut owners: HashMap<String, (String, BTreeSet<String>)> = HashMap::new();
    for e in entries {
        let owner = e.state.clone().unwrap_or_else(|| "-".into());
        for n in std::iter::once(&e.name).chain(&e.aliases) {
            let stem = states.iter().find(|s| s.code == owner && s.code != FEDERAL).and_then(|s| strip_land(n, s));
            for form in [Some(n.clone()), stem].into_iter().flatten() {
                owners
                    .entry(form.to_lowercase())
                    .or_insert_with(|| (form.clone(), BTreeSet::new()))
                    .1
                    .insert(owner.clone());
            }
        }
    }
    let mut stems: Vec<(String, String)> = Vec::new();
    for e in entries {
        let Some(state) = states.iter().find(|s| Some(&s.code) == e.state.as_ref() && s.code != FEDERAL) else {
            continue;
        };
        for n in std::iter::once(&e.name).chain(&e.aliases) {
            let Some(stem) = strip_land(n, state) else { continue };
            let unique = owners.get(&stem.to_lowercase()).is_some_and(|(_, o)| o.len() == 1);
            if unique && stem.split_whitespace().count() >= STEM_MIN_WORDS && stem.starts_with(char::is_uppercase) {
                stems.push((stem, state.code.clone()));
            }
        }
    }
    stems.sort();
    stems.dedup();
    stems
}

/// `name` without its Land: a trailing name ("... Rheinland-Pfalz", "... des Landes Brandenburg")
/// or a leading adjective ("Bayerisches ..."); None when it does not carry the Land.
fn strip_land(name: &str, state: &StateEntry) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut forms: Vec<Vec<String>> = state
        .names
        .iter()
        .chain(std::iter::once(&state.name))
        .map(|n| n.split_whitespace().map(str::to_lowercase).collect())
        .collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for f in &forms {
        if lower.len() > f.len() && lower[lower.len() - f.len()..] == f[..] {
            let mut rest = &words[..words.len() - f.len()];
            while let Some(last) = rest.last()
                && TRAILING.contains(&last.to_lowercase().as_str())
            {
                rest = &rest[..rest.len() - 1];
            }
            return (!rest.is_empty()).then(|| rest.join(" "));
        }
    }
    let first = lower.first()?;
    for adj in &state.adjectives {
        let adj = adj.to_lowercase();
        if let Some(ending) = first.strip_prefix(adj.as_str())
            && ending.chars().count() <= 2
            && words.len() > 1
        {
            return Some(words[1..].join(" "));
        }
    }
    None
}
#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> StateTagger {
        StateTagger::new(&govgraph_shared::reference::states().unwrap())
    }

    fn codes(tags: &[StateTag]) -> Vec<&str> {
        tags.iter().map(|t| t.code.as_str()).collect()
    }

    /// Rows of (text, the states it is about, primary first).
    fn check(rows: &[(&str, &[&str])]) {
        let t = tagger();
        for (text, want) in rows {
            let tags = t.tag("", text, None, None);
            assert_eq!(codes(&tags), *want, "{text}\n{tags:?}");
        }
    }

    #[test]
    fn the_lexicon_parses() {
        assert!(!LEXICON.passing.is_empty() && !LEXICON.coordinators.is_empty() && !LEXICON.agencies.is_empty());
        assert!(PASSING.iter().all(|m| !m.is_empty()));
        let states = govgraph_shared::reference::states().unwrap();
        for code in LEXICON.cities.keys() {
            assert!(states.iter().any(|s| &s.code == code && s.code != FEDERAL), "unknown Land {code}");
        }
    }

    /// Every city of the lexicon is a municipality of the register in its Land and in no other.
    #[test]
    fn cities_name_one_land_in_the_register() {
        let (_, _, units) = crate::catalog::embedded_catalogue().unwrap();
        let states = govgraph_shared::reference::states().unwrap();
        let code_of =
            |prefix: &str| states.iter().find(|s| s.ags_prefix.as_deref() == Some(prefix)).map(|s| s.code.clone());
        let mut lands: HashMap<String, BTreeSet<String>> = HashMap::new();
        for u in units.iter().filter(|u| u.level == crate::catalog::gv100ad::Level::Municipality) {
            // "Cottbus/Chóśebuz, Stadt" is Cottbus
            let name = u.name.split([',', '/']).next().unwrap_or(&u.name).trim().to_owned();
            if let Some(code) = code_of(u.land()) {
                lands.entry(name).or_default().insert(code);
            }
        }
        let mut wrong = Vec::new();
        for (code, cities) in &LEXICON.cities {
            for city in cities {
                // "Frankfurt an der Oder" is the register's "Frankfurt (Oder)"
                let register = match city.split_once(" an der ") {
                    Some((a, b)) if !lands.contains_key(city) => format!("{a} ({b})"),
                    _ => city.clone(),
                };
                let found = lands.get(&register).cloned().unwrap_or_default();
                if found != BTreeSet::from([code.clone()]) {
                    wrong.push(format!("{city}: {found:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
        // and the names left out are shared
        for shared in ["Neustadt", "Münster", "Frankfurt", "Neunkirchen"] {
            assert!(lands.get(shared).is_none_or(|l| l.len() != 1) || shared == "Frankfurt", "{shared}");
        }
    }

    #[test]
    fn inflections_and_compounds() {
        let t = tagger();
        // one mention of another Land in passing is not what the text is about
        let tags = t.tag(
            "",
            "Die Sächsische Anstalt und der Freistaat Sachsen; die Sachsen-Anhalt-App gibt es woanders.",
            None,
            None,
        );
        assert_eq!(codes(&tags), ["SN"]);
        let tags = t.tag(
            "",
            "Land und kommunale Spitzenverbände Sachsen-Anhalts haben unterzeichnet.",
            Some("Magdeburg"),
            None,
        );
        assert_eq!(codes(&tags), ["ST"]);
        assert!(tags[0].signals.contains(&"dateline".to_string()));
        assert!(
            t.tag("", "In Niedersachsen und Nordwestmecklenburg.", None, None)
                .iter()
                .all(|s| s.code != "SN" && s.code != "MV")
        );
    }

    #[test]
    fn a_capital_in_passing_does_not_add_a_land() {
        let t = tagger();
        let text = "Die Landesregierung des Saarlandes und der Saarländische Städte- und Gemeindetag luden ein; \
                    Prof. Dr. Veith Mehde von der Universität Hannover sprach. Die saarländischen Kommunen und die Bundesregierung.";
        let tags = t.tag("", text, None, None);
        assert_eq!(codes(&tags), ["SL", "DE"]);
        assert!(tags[0].primary && !tags[1].primary);
        // alone, a capital is still the best guess
        assert_eq!(codes(&t.tag("", "Tagung in Hannover.", None, None)), ["NI"]);
    }

    #[test]
    fn comparisons_and_examples_do_not_make_a_text_about_a_land() {
        check(&[
            (
                "Nach dem Vorbild Bayerns will das Land Hessen ein Serviceportal aufbauen. Hessen startet im Herbst.",
                &["HE"],
            ),
            (
                "Wie in Sachsen sollen auch in Thüringen die Kommunen das Portal nutzen. Der Freistaat Thüringen zahlt.",
                &["TH"],
            ),
            (
                "Länder wie Bayern und Baden-Württemberg sind weiter. Das Land Brandenburg will aufholen, \
                 sagte die brandenburgische Ministerin.",
                &["BB"],
            ),
            (
                "Anders als in Nordrhein-Westfalen tragen in Niedersachsen die Landkreise die Kosten. \
                 Der Niedersächsische Landkreistag ist zufrieden.",
                &["NI"],
            ),
            (
                "Im Vergleich zu Hamburg ist Berlin langsam, räumte der Berliner Senat ein; Berlin will schneller werden.",
                &["BE"],
            ),
            (
                "Nach dem Vorbild von Hamburg und Bremen will Sachsen-Anhalt eine Haushaltskooperation. \
                 Sachsen-Anhalts Finanzministerin unterschrieb.",
                &["ST"],
            ),
            // a reporting "wie" is no comparison
            ("Wie das Land Hessen mitteilte, ist die Plattform online.", &["HE"]),
            (
                "Eine ähnliche Plattform gibt es etwa in Bremen. Das Land Berlin hat ihr Portal erneuert; Berlin zahlt.",
                &["BE"],
            ),
        ]);
    }

    #[test]
    fn a_land_in_a_place_name_is_not_that_land() {
        check(&[
            (
                "Die Stadt Falkensee bei Berlin tritt dem Verband bei; auch Schönefeld bei Berlin. \
                 Der Städte- und Gemeindebund Brandenburg begrüßt den Beitritt.",
                &["BB"],
            ),
            (
                "Der Dienstleister mit Sitz in Kronshagen bei Kiel betreut die Kreise. Das Land Niedersachsen \
                 zahlt für die niedersächsischen Kommunen.",
                &["NI"],
            ),
            // "bei" after a lower-case word is no place name: "bei Bayern" is the Land
            ("Die Federführung liegt bei Bayern, das Land Bayern stellt das Personal.", &["BY"]),
        ]);
        let t = tagger();
        let pos = t.positions("Die Stadt Bernau bei Berlin und das Land Brandenburg.");
        assert_eq!(pos.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), ["BB"]);
    }

    #[test]
    fn lists_of_laender_count_little() {
        check(&[
            (
                "Die Anstalt wird von Hamburg, Schleswig-Holstein, Bremen und Sachsen-Anhalt getragen. \
                 Die Landesregierung Sachsen-Anhalt hat den Vertrag verlängert.",
                &["ST"],
            ),
            (
                "Bayern, Hessen, Sachsen sowie Thüringen haben zugestimmt. Im Freistaat Thüringen beginnt \
                 die Umsetzung, die Thüringer Landkreise machen mit.",
                &["TH"],
            ),
        ]);
    }

    #[test]
    fn further_laender_that_take_part() {
        check(&[
            (
                "Die Länder Berlin und Brandenburg vereinbaren ein gemeinsames Portal. Berlin stellt die Technik, \
                 Brandenburg die Fachverfahren.",
                &["BE", "BB"],
            ),
            (
                "Eine Delegation aus Thüringen besuchte den Sächsischen Landkreistag in Dresden. Die Gäste aus \
                 Thüringen informierten sich über die sächsischen Lösungen.",
                &["SN", "TH"],
            ),
            (
                "Das Saarland und Rheinland-Pfalz schließen einen Staatsvertrag; der Landtag Rheinland-Pfalz und der \
                 saarländische Landtag stimmen zu.",
                &["RP", "SL"],
            ),
        ]);
    }

    #[test]
    fn the_lands_own_institutions() {
        check(&[
            ("Der Landkreistag Rheinland-Pfalz begrüßt die Vereinbarung.", &["RP"]),
            ("Das Niedersächsische Ministerium für Inneres hat den Förderaufruf veröffentlicht.", &["NI"]),
            // named without the Land: a long, unique name of a reference entry
            ("Das Ministerium für Inneres, Bauen und Sport hat die Förderbescheide übergeben.", &["SL"]),
            ("Die Ministerin für Inneres, Kommunales, Wohnen und Sport eröffnete die Tagung.", &[]),
            // short and generic: another Land may have one
            ("Das Ministerium der Finanzen hat die Mittel freigegeben.", &[]),
            ("Der Landkreistag und der Städtetag begrüßen die Vereinbarung.", &[]),
        ]);
        let rp = govgraph_shared::reference::states().unwrap().into_iter().find(|s| s.code == "RP").unwrap();
        let by = govgraph_shared::reference::states().unwrap().into_iter().find(|s| s.code == "BY").unwrap();
        let bb = govgraph_shared::reference::states().unwrap().into_iter().find(|s| s.code == "BB").unwrap();
        for (name, state, want) in [
            ("Landkreistag Rheinland-Pfalz", &rp, Some("Landkreistag")),
            ("Bayerisches Staatsministerium für Digitales", &by, Some("Staatsministerium für Digitales")),
            ("IT-Rat des Landes Brandenburg", &bb, Some("IT-Rat")),
            ("Zentrale IT-Stelle", &bb, None),
        ] {
            assert_eq!(strip_land(name, state).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn ambiguous_city_names_do_not_decide() {
        check(&[
            ("Die Fachtagung fand in Neustadt statt.", &[]),
            ("Die Fachtagung fand in Frankfurt statt.", &[]),
            ("Die Fachtagung fand in Frankfurt am Main statt.", &["HE"]),
            ("Die Fachtagung fand in Frankfurt (Oder) statt.", &["BB"]),
            ("Die Fachtagung fand in Halle (Saale) statt.", &["ST"]),
            ("In Rostock und Greifswald starten die Pilotkommunen.", &["MV"]),
        ]);
    }

    #[test]
    fn datelines() {
        let t = tagger();
        for (title, text, want) in [
            ("", "KIEL. Die Landesregierung hat das Gesetz beschlossen.", &["SH"][..]),
            ("Erfurt/Jena (dpa) –", "Die beiden Städte arbeiten zusammen.", &["TH"]),
            ("", "SAARBRÜCKEN – Das Land fördert die Kommunen.", &["SL"]),
            ("", "ROSTOCK. Die Hansestadt startet ein Portal.", &["MV"]),
            ("", "NORDRHEIN-WESTFALEN – Land und Kommunen einigen sich.", &["NW"]),
            ("", "Potsdam (epd) – Die Landesregierung lädt ein.", &["BB"]),
            // not a place, or no agency
            ("", "IT-PLANUNGSRAT – Die Sitzung fand statt.", &["DE"]),
            ("", "BMI. Das Ministerium teilt mit.", &[]),
            ("", "Kommunen (neu) – eine Übersicht.", &[]),
        ] {
            let tags = t.tag(title, text, None, None);
            assert_eq!(codes(&tags), want, "{title} {text}");
        }
    }
}
