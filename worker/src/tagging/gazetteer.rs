//! Names of known entities found in a text: the reference entries (governments, ministries,
//! associations, IT service providers, bodies, projects), the OZG Themenfelder and the services of
//! the catalogue. One aho-corasick automaton over every surface form, longest match first, at word
//! boundaries. German is handled where the forms are made: genitive and plural endings, adjective
//! endings of a leading adjective, hyphenated coordinations ("Städte- und Gemeindebund" stays one
//! form), "&" and "und" in names, a lower-case first letter for adjectives.
//!
//! A short form in an entry's `context` ("Landesregierung", "Landkreistag", "Innenministerium")
//! means that entry only where the document is about its state: the caller passes the state in
//! force at each position, and a short form no state resolves stays unlinked.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use govgraph_shared::analysis::EntityType;

/// An entry the gazetteer can find.
#[derive(Debug, Clone, PartialEq)]
pub struct GazEntry {
    pub id: Option<i64>,
    pub key: String,
    pub name: String,
    pub entity_type: EntityType,
    pub kind: String,
    pub state: Option<String>,
    pub aliases: Vec<String>,
    pub context: Vec<String>,
    /// `gazetteer:reference`, `gazetteer:catalogue`
    pub method: &'static str,
}

/// How a pattern means its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// wherever it appears
    Global,
    /// only for the entry of the state in force
    Context,
}

#[derive(Debug, Clone)]
struct Meaning {
    entry: usize,
    reading: Reading,
    /// the part of the pattern that is the mention (bytes)
    span: (usize, usize),
}

/// A name found in a text (byte offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
    pub contextual: bool,
}

pub struct NameGazetteer {
    matcher: AhoCorasick,
    patterns: Vec<String>,
    meanings: Vec<Vec<Meaning>>,
    entries: Vec<GazEntry>,
}

const ENDINGS: &[&str] = &["s", "es", "n", "en"];
const ADJECTIVE_ENDINGS: &[&str] = &["e", "er", "es", "en", "em"];
/// Forms shorter than this (in characters) are matched only when written in capitals.
const MIN_LEN: usize = 3;

/// Words that open the attribute of a head noun ("Ministerium für ...", "Amt des ...").
const ATTRIBUTE_WORDS: &[&str] = &["für", "des", "der", "zur", "zum", "von", "vom", "im", "in"];

/// Endings of feminine nouns, whose genitive singular takes no ending ("der Senatsverwaltung").
const FEMININE_SUFFIXES: &[&str] =
    &["ung", "heit", "keit", "schaft", "ion", "tät", "ei", "ur", "anz", "enz", "ik", "in", "kammer", "stelle"];

/// The inflected forms of a surface: the surface, its genitive/plural endings, the endings of a
/// leading adjective ("Sächsische Anstalt" -> "Sächsischen Anstalt").
fn inflections(surface: &str) -> Vec<String> {
    let mut out = vec![surface.to_owned()];
    let last_is_word = surface.chars().last().is_some_and(|c| c.is_alphabetic());
    let acronym = surface.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase());
    if last_is_word && !acronym {
        for e in ENDINGS {
            out.push(format!("{surface}{e}"));
        }
    }
    if let Some((first, rest)) = surface.split_once(' ') {
        let lower = first.to_lowercase();
        let stem = ADJECTIVE_ENDINGS
            .iter()
            .filter(|e| {
                lower.ends_with(*e) && (lower.contains("isch") || lower.contains("ig") || lower.ends_with("er"))
            })
            .max_by_key(|e| e.len())
            .and_then(|e| first.strip_suffix(e));
        if let Some(stem) = stem.filter(|s| s.chars().count() > 3) {
            for e in ADJECTIVE_ENDINGS {
                out.push(format!("{stem}{e} {rest}"));
                for end in ENDINGS {
                    out.push(format!("{stem}{e} {rest}{end}"));
                }
            }
        }
    }
    // the head noun before its attribute takes the genitive ending: "Ministeriums für Inneres",
    // "Landesamtes für Steuern", "Zweckverbands für ..."
    let heads: Vec<String> = surface
        .split_once(' ')
        .filter(|(first, rest)| {
            let second = rest.split(' ').next().unwrap_or_default();
            let capitalised = first.chars().next().is_some_and(char::is_uppercase);
            let acronym = first.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
            let ends_in_letter = first.chars().last().is_some_and(|c| c.is_alphabetic() && c != 's' && c != 'e');
            capitalised
                && !acronym
                && ends_in_letter
                && !FEMININE_SUFFIXES.iter().any(|f| first.ends_with(f))
                && ATTRIBUTE_WORDS.contains(&second)
        })
        .map(|(first, rest)| ["s", "es"].map(|e| format!("{first}{e} {rest}")).to_vec())
        .unwrap_or_default();
    out.extend(heads);
    // a leading adjective may begin a sentence or not
    let more: Vec<String> = out
        .iter()
        .filter_map(|s| {
            let first = s.split(' ').next()?;
            let c = first.chars().next()?;
            let adjective = first.len() > 4 && (first.ends_with('e') || first.ends_with("en"));
            (adjective && s.contains(' ') && c.is_alphabetic()).then(|| {
                let flipped: String =
                    if c.is_uppercase() { c.to_lowercase().collect() } else { c.to_uppercase().collect() };
                format!("{flipped}{}", &s[c.len_utf8()..])
            })
        })
        .collect();
    out.extend(more);
    // "Bauen & Wohnen" is also written "Bauen und Wohnen"
    let with_und: Vec<String> = out.iter().filter(|s| s.contains(" & ")).map(|s| s.replace(" & ", " und ")).collect();
    out.extend(with_und);
    out.sort();
    out.dedup();
    out
}

/// A pattern with its mention span: "[Land] und Kommunen" -> ("Land und Kommunen", 0..4).
fn bracketed(form: &str) -> (String, (usize, usize)) {
    match (form.find('['), form.find(']')) {
        (Some(a), Some(b)) if a < b => {
            let text = form.replace(['[', ']'], "");
            (text, (a, b - 1))
        }
        _ => (form.to_owned(), (0, form.len())),
    }
}

impl NameGazetteer {
    pub fn new(entries: Vec<GazEntry>) -> NameGazetteer {
        let mut by_pattern: HashMap<String, Vec<Meaning>> = HashMap::new();
        let mut add = |pattern: String, meaning: Meaning| {
            let short = pattern.chars().count() < MIN_LEN;
            if pattern.trim().is_empty() || (short && !pattern.chars().all(|c| c.is_uppercase() || c.is_numeric())) {
                return;
            }
            let list = by_pattern.entry(pattern).or_default();
            if !list.iter().any(|m| m.entry == meaning.entry && m.reading == meaning.reading) {
                list.push(meaning);
            }
        };
        for (i, e) in entries.iter().enumerate() {
            let themenfeld = e.kind == "ozg_themenfeld";
            for surface in std::iter::once(&e.name).chain(&e.aliases) {
                if themenfeld && !surface.contains("Themenfeld") {
                    continue;
                }
                for form in inflections(surface) {
                    let len = form.len();
                    add(form, Meaning { entry: i, reading: Reading::Global, span: (0, len) });
                }
            }
            for form in &e.context {
                let (text, span) = bracketed(form);
                if span == (0, text.len()) {
                    for f in inflections(&text) {
                        let len = f.len();
                        add(f, Meaning { entry: i, reading: Reading::Context, span: (0, len) });
                    }
                } else {
                    add(text, Meaning { entry: i, reading: Reading::Context, span });
                }
            }
            if e.kind == "ozg_themenfeld" {
                // a Themenfeld's name alone is ordinary words; after "Themenfeld" it is the project
                for surface in std::iter::once(&e.name).chain(&e.aliases) {
                    for form in inflections(surface) {
                        for lead in ["Themenfeld ", "Themenfeld „", "Themenfeld \"", "Themenfelds ", "OZG-Themenfeld "]
                        {
                            let start = lead.len();
                            let pattern = format!("{lead}{form}");
                            let end = pattern.len();
                            add(pattern, Meaning { entry: i, reading: Reading::Global, span: (start, end) });
                        }
                    }
                }
            }
        }
        let mut patterns: Vec<(String, Vec<Meaning>)> = by_pattern.into_iter().collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("name patterns build an automaton");
        let (strings, meanings) = patterns.into_iter().unzip();
        NameGazetteer { matcher, patterns: strings, meanings, entries }
    }

    pub fn entries(&self) -> &[GazEntry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The patterns of the automaton (for the benchmark's bare scan).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The names in `text`. `state_at(byte)` gives the state in force at a position (for short
    /// forms); `doc_states` are all the document's states (for names several entries share).
    pub fn find(
        &self,
        text: &str,
        doc_states: &[String],
        state_at: &dyn Fn(usize) -> Option<String>,
    ) -> Vec<NameMatch> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = self.matcher.find(aho_corasick::Input::new(text).range(from..)) {
            from = m.end();
            let meanings = &self.meanings[m.pattern().as_usize()];
            let Some(first) = meanings.first() else { continue };
            let (start, end) = (m.start() + first.span.0, m.start() + first.span.1);
            if !boundary_before(text, m.start()) || !boundary_after(text, m.end(), &text[start..end]) {
                // a form cut inside a word ("des Landes" in "des Landesbetriebs") must not hide a
                // name that begins within it: search again from the next character
                from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let global: Vec<&Meaning> = meanings.iter().filter(|x| x.reading == Reading::Global).collect();
            let chosen = if !global.is_empty() {
                pick(&self.entries, &global, |e| e.state.as_ref().is_some_and(|s| doc_states.contains(s)))
                    .map(|x| (x, false))
            } else {
                let here = state_at(start);
                here.and_then(|code| {
                    pick(&self.entries, &meanings.iter().collect::<Vec<_>>(), |e| e.state.as_deref() == Some(&code))
                })
                .map(|x| (x, true))
            };
            if let Some((meaning, contextual)) = chosen {
                let (start, end) = (m.start() + meaning.span.0, m.start() + meaning.span.1);
                out.push(NameMatch { entry: meaning.entry, start, end, contextual });
            }
        }
        out
    }
}

/// One meaning: the only one, or the only one `fits`; else none (never guessed).
fn pick<'a>(entries: &[GazEntry], meanings: &[&'a Meaning], fits: impl Fn(&GazEntry) -> bool) -> Option<&'a Meaning> {
    if let [only] = meanings {
        return (only.reading == Reading::Global || fits(&entries[only.entry])).then_some(*only);
    }
    let fitting: Vec<&&Meaning> = meanings.iter().filter(|m| fits(&entries[m.entry])).collect();
    match fitting.as_slice() {
        [one] => Some(**one),
        _ => None,
    }
}

fn boundary_before(text: &str, at: usize) -> bool {
    !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// After a name: not inside a word. An acronym may be followed by a hyphen ("KISA-Verband").
fn boundary_after(text: &str, at: usize, surface: &str) -> bool {
    match text[at..].chars().next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some('-') => surface.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, name: &str, kind: &str, state: &str, aliases: &[&str], context: &[&str]) -> GazEntry {
        GazEntry {
            id: None,
            key: key.into(),
            name: name.into(),
            entity_type: if kind == "ozg_themenfeld" { EntityType::Project } else { EntityType::Actor },
            kind: kind.into(),
            state: Some(state.into()),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            context: context.iter().map(|s| s.to_string()).collect(),
            method: "gazetteer:reference",
        }
    }

    fn gazetteer() -> NameGazetteer {
        NameGazetteer::new(vec![
            entry("st-lkt", "Landkreistag Sachsen-Anhalt", "municipal_association", "ST", &[], &["Landkreistag"]),
            entry("sl-lkt", "Landkreistag Saarland", "municipal_association", "SL", &[], &["Landkreistag"]),
            entry(
                "st-sgb",
                "Städte- und Gemeindebund Sachsen-Anhalt",
                "municipal_association",
                "ST",
                &[],
                &["Städte- und Gemeindebund"],
            ),
            entry("sakd", "SAKD", "agency", "SN", &["Sächsische Anstalt für kommunale Datenverarbeitung"], &[]),
            entry(
                "st-gov",
                "Landesregierung Sachsen-Anhalt",
                "government",
                "ST",
                &[],
                &["Landesregierung", "[Land] und Kommunen"],
            ),
            entry("bw", "Bauen & Wohnen", "ozg_themenfeld", "DE", &[], &[]),
            entry("kisa", "KISA", "it_service_provider", "SN", &[], &[]),
        ])
    }

    fn found(g: &NameGazetteer, text: &str, state: Option<&str>) -> Vec<(String, String)> {
        let state = state.map(str::to_owned);
        g.find(text, &[], &|_| state.clone())
            .into_iter()
            .map(|m| (g.entries()[m.entry].key.clone(), text[m.start..m.end].to_owned()))
            .collect()
    }

    #[test]
    fn inflection_coordination_and_adjectives() {
        let g = gazetteer();
        let text = "Die Geschäftsführer des Städte- und Gemeindebundes und der Sächsischen Anstalt für kommunale \
                    Datenverarbeitung sowie der KISA-Verbandsvorsitzende.";
        assert_eq!(
            found(&g, text, Some("ST")),
            [
                ("st-sgb".to_owned(), "Städte- und Gemeindebundes".to_owned()),
                ("sakd".to_owned(), "Sächsischen Anstalt für kommunale Datenverarbeitung".to_owned()),
                ("kisa".to_owned(), "KISA".to_owned()),
            ]
        );
        assert!(found(&g, "Die KISAX und BKISA", None).is_empty(), "word boundaries");
    }

    #[test]
    fn a_head_noun_takes_the_genitive_before_its_attribute() {
        let forms = |s: &str| inflections(s);
        let rows = [
            ("Ministerium für Bildung und Digitales", "Ministeriums für Bildung und Digitales", true),
            ("Landesamt für Steuern", "Landesamtes für Steuern", true),
            ("Landesamt für Steuern", "Landesamts für Steuern", true),
            ("Ministerium des Innern", "Ministeriums des Innern", true),
            ("Zweckverband für kommunale IT", "Zweckverbandes für kommunale IT", true),
            // a feminine head, an acronym and a noun without attribute take no such form
            ("Senatsverwaltung für Finanzen", "Senatsverwaltunges für Finanzen", false),
            ("ITDZ Berlin", "ITDZs Berlin", false),
            ("Digitalagentur Thüringen", "Digitalagenturs Thüringen", false),
        ];
        for (name, form, want) in rows {
            let f = forms(name);
            assert_eq!(f.iter().any(|x| x == form), want, "{name} -> {form}: {f:?}");
        }
    }

    #[test]
    fn a_form_cut_inside_a_word_hides_no_name_within_it() {
        let g = NameGazetteer::new(vec![
            entry("sn-land", "Freistaat Sachsen", "government", "SN", &[], &["des [Landes]"]),
            entry("sn-lb", "Landesbetrieb Statistik Sachsen", "agency", "SN", &["Landesbetrieb Statistik"], &[]),
        ]);
        let here = |_: usize| Some("SN".to_owned());
        let rows = [
            ("Vertreter des Landesbetrieb Statistik waren da.", Some("Landesbetrieb Statistik")),
            ("Gäste des Landesbetrieb Statistik Sachsen kamen.", Some("Landesbetrieb Statistik Sachsen")),
            ("Vertreter des Landes waren da.", Some("Landes")),
            ("Vertreter des Landesamtes waren da.", None),
        ];
        for (text, want) in rows {
            let found = g.find(text, &["SN".into()], &here);
            assert_eq!(found.first().map(|m| &text[m.start..m.end]), want, "{text}");
        }
    }

    #[test]
    fn short_forms_need_the_state_in_force() {
        let g = gazetteer();
        assert_eq!(
            found(&g, "Der Landkreistag begrüßt es.", Some("SL")),
            [("sl-lkt".to_owned(), "Landkreistag".to_owned())]
        );
        assert!(found(&g, "Der Landkreistag begrüßt es.", None).is_empty(), "no state: not guessed");
        assert!(found(&g, "Der Landkreistag begrüßt es.", Some("BY")).is_empty(), "no entry for that state");
        assert_eq!(found(&g, "zwischen Land und Kommunen", Some("ST")), [("st-gov".to_owned(), "Land".to_owned())]);
    }

    #[test]
    fn a_themenfeld_is_named_after_the_word_themenfeld() {
        let g = gazetteer();
        assert_eq!(
            found(&g, "die Federführung für das Themenfeld „Bauen und Wohnen“ übernommen", None),
            [("bw".to_owned(), "Bauen und Wohnen".to_owned())]
        );
        assert!(found(&g, "Bauen und Wohnen in der Stadt", None).is_empty());
    }
}
