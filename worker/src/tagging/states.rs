//! Which states a document concerns, from the names of the states and their inflections,
//! adjectives in every ending, capitals, the dateline and the source's default state.
//!
//! Every hit adds to its state's score: a name or an adjective 2, a capital 1 (a capital named in
//! passing, "Universität Hannover", says little), the dateline's place 3, the source's state 3.
//! A Land is tagged when it scores at least 2 and at least a fifth of the best Land; when none
//! does, the best Land with any score. DE (the federal level) is tagged from federal markers
//! ("Bundesregierung", "IT-Planungsrat", ...) and is primary only when no Land is tagged.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use govgraph_shared::reference::StateEntry;
use serde::Serialize;

const FEDERAL: &str = "DE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Signal {
    Name,
    Adjective,
    Capital,
}

impl Signal {
    fn weight(self) -> f32 {
        match self {
            Signal::Name | Signal::Adjective => 2.0,
            Signal::Capital => 1.0,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Signal::Name => "name",
            Signal::Adjective => "adjective",
            Signal::Capital => "capital",
        }
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

/// A matcher built once from the states' names.
pub struct StateTagger {
    matcher: AhoCorasick,
    /// per pattern: state code and signal
    patterns: Vec<(String, Signal)>,
    capitals: HashMap<String, String>,
}

impl StateTagger {
    pub fn new(states: &[StateEntry]) -> StateTagger {
        let mut patterns: Vec<(String, String, Signal)> = Vec::new();
        let mut capitals = HashMap::new();
        for s in states {
            for name in s.names.iter().chain(std::iter::once(&s.name)) {
                if s.code == FEDERAL && name == &s.name {
                    continue; // "Bund" alone is too common a word
                }
                patterns.push((name.to_lowercase(), s.code.clone(), Signal::Name));
            }
            for adj in &s.adjectives {
                patterns.push((adj.to_lowercase(), s.code.clone(), Signal::Adjective));
            }
            if let Some(cap) = &s.capital {
                capitals.insert(cap.to_lowercase(), s.code.clone());
                // a city-state's capital is its name
                if !s.names.iter().any(|n| n.eq_ignore_ascii_case(cap)) {
                    patterns.push((cap.to_lowercase(), s.code.clone(), Signal::Capital));
                }
            }
        }
        patterns.sort();
        patterns.dedup_by(|a, b| a.0 == b.0);
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("state patterns build an automaton");
        StateTagger { matcher, patterns: patterns.into_iter().map(|(_, code, sig)| (code, sig)).collect(), capitals }
    }

    /// Where `text` names a state by its name or adjective (byte offset, code), in order: the state
    /// in force at a position is the last one named before it.
    pub fn positions(&self, text: &str) -> Vec<(usize, String)> {
        // offsets of the lower-cased text must be offsets of `text`
        let lower = govgraph_shared::text::lowercase_in_place(text);
        self.matcher
            .find_iter(&lower)
            .filter(|m| {
                let (_, signal) = &self.patterns[m.pattern().as_usize()];
                *signal != Signal::Capital
                    && !lower[..m.start()].chars().next_back().is_some_and(|c| c.is_alphanumeric())
                    && !lower[m.end()..]
                        .trim_start_matches(|c: char| c.is_alphabetic() && *signal == Signal::Adjective)
                        .trim_start_matches("es")
                        .trim_start_matches('s')
                        .starts_with(|c: char| c.is_alphanumeric())
            })
            .map(|m| (m.start(), self.patterns[m.pattern().as_usize()].0.clone()))
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
        let haystack = format!("{title}\n{text}").to_lowercase();
        let mut counts: HashMap<(String, Signal), u32> = HashMap::new();
        for m in self.matcher.find_iter(&haystack) {
            let (code, signal) = &self.patterns[m.pattern().as_usize()];
            let before = haystack[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let rest = &haystack[m.end()..];
            let suffix_len = match signal {
                // adjective endings: -e, -en, -er, -es, -em
                Signal::Adjective => rest.chars().take_while(|c| c.is_alphabetic()).count(),
                // genitive: -s, -es
                _ => ["es", "s"].iter().find(|s| rest.starts_with(**s)).map_or(0, |s| s.len()),
            };
            if *signal == Signal::Adjective && suffix_len > 2 {
                continue;
            }
            let after = rest[rest.char_indices().nth(suffix_len).map_or(rest.len(), |(i, _)| i)..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            *counts.entry((code.clone(), *signal)).or_default() += 1;
        }
        for ((code, signal), n) in counts {
            add(&code, signal.weight() * n as f32, format!("{}:{n}", signal.label()));
        }
        if let Some(code) = place.and_then(|p| self.capitals.get(&p.to_lowercase())) {
            add(code, 3.0, "dateline".into());
        }
        if let Some(code) = source_state {
            add(code, 3.0, "source".into());
        }

        let best_land = scores.iter().filter(|(c, _)| *c != FEDERAL).map(|(_, (s, _))| *s).fold(0.0, f32::max);
        let mut tags: Vec<StateTag> = scores
            .iter()
            .filter(
                |(code, (score, _))| {
                    if *code == FEDERAL { *score >= 2.0 } else { *score >= 2.0 && *score >= best_land / 5.0 }
                },
            )
            .map(|(code, (score, signals))| StateTag {
                code: code.clone(),
                primary: false,
                score: *score,
                signals: signals.clone(),
            })
            .collect();
        let best = scores
            .iter()
            .filter(|(c, _)| *c != FEDERAL)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> StateTagger {
        StateTagger::new(&govgraph_shared::reference::states().unwrap())
    }

    fn codes(tags: &[StateTag]) -> Vec<&str> {
        tags.iter().map(|t| t.code.as_str()).collect()
    }

    #[test]
    fn inflections_and_compounds() {
        let t = tagger();
        let tags = t.tag(
            "",
            "Die Sächsische Anstalt und der Freistaat Sachsen; die Sachsen-Anhalt-App gibt es woanders.",
            None,
            None,
        );
        assert_eq!(codes(&tags), ["SN", "ST"]);
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
}
