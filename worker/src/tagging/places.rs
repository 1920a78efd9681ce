//! Municipalities and districts of the register, found in a document's text. A name is linked
//! only when the document's states leave one candidate (a kreisfreie Stadt and its district count
//! as one: the city); a name that stays ambiguous is left unlinked, never guessed.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use govgraph_shared::models::actor::PlaceEntry;
use regex::Regex;

/// The method written into `mentions.method`.
pub const METHOD: &str = "gazetteer:register";

/// Municipality names that are also common German words; they are not matched alone.
const COMMON_WORDS: &[&str] = &[
    "Essen", "Lage", "Wald", "Berg", "Mark", "Hof", "Raum", "Stadt", "Linden", "Weil", "Zell", "Stein", "Ort",
    "Kirchen", "Wiesen", "Au", "Bad", "Haus", "Gern", "Bühl", "Bruck", "Lauf", "Buch", "Selb", "Forst", "Hohen",
    "Wehr", "Lohne", "Weiden", "Garten", "Kappeln", "Land", "Kommunen", "Bund", "Heide", "Rain",
];

/// The words before a county's bare name that make it the county: its Landrat.
const OF_COUNTY: &[&str] = &["Landrat von ", "Landrätin von ", "Landrats von ", "Landrates von ", "Landräte von "];

/// A place found in a text, at byte offsets.
#[derive(Debug, Clone)]
pub struct PlaceHit<'a> {
    pub entry: &'a PlaceEntry,
    pub start: usize,
    pub end: usize,
}

pub struct PlaceGazetteer {
    matcher: AhoCorasick,
    patterns: Vec<String>,
    /// per pattern: the entries it may mean
    candidates: Vec<Vec<usize>>,
    entries: Vec<PlaceEntry>,
}

/// The forms a text uses for an entry.
fn surfaces(e: &PlaceEntry) -> Vec<String> {
    let base = e.name.split(',').next().unwrap_or(&e.name).trim().to_owned();
    // bilingual names ("Cottbus/Chóśebuz"): each part is a name
    let base = base.split('/').next().unwrap_or(&base).trim().to_owned();
    let mut out = Vec::new();
    if e.kind == "district" {
        let is_county = matches!(e.type_label.as_deref(), Some("Landkreis" | "Kreis"));
        if is_county && !base.to_lowercase().contains("kreis") {
            for prefix in ["Landkreis", "Landkreises", "Kreis", "Kreises"] {
                out.push(format!("{prefix} {base}"));
            }
            // the head of a county names it bare: "Landrätin von Merzig-Wadern"
            for head in OF_COUNTY {
                out.push(format!("{head}{base}"));
            }
        } else {
            out.push(base);
        }
    } else {
        out.push(base);
    }
    out.retain(|s| s.chars().count() > 3 && !COMMON_WORDS.contains(&s.as_str()));
    out
}

impl PlaceGazetteer {
    pub fn new(entries: Vec<PlaceEntry>) -> PlaceGazetteer {
        let mut by_surface: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if e.ags.is_none() {
                continue;
            }
            for s in surfaces(e) {
                by_surface.entry(s).or_default().push(i);
            }
        }
        let mut patterns: Vec<(String, Vec<usize>)> = by_surface.into_iter().collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.0.as_str()))
            .expect("place patterns build an automaton");
        let (strings, candidates) = patterns.into_iter().unzip();
        PlaceGazetteer { matcher, patterns: strings, candidates, entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The patterns of the automaton (for the benchmark's bare scan).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The places of `text` with their entries, at byte offsets.
    pub fn find_bytes(&self, text: &str, states: &[String]) -> Vec<PlaceHit<'_>> {
        let mut out = Vec::new();
        for m in self.matcher.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let rest = &text[m.end()..];
            let suffix =
                if rest.starts_with('s') && !rest[1..].starts_with(|c: char| c.is_alphanumeric()) { 1 } else { 0 };
            let after = rest[suffix..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            let mut cands: Vec<&PlaceEntry> = self.candidates[m.pattern().as_usize()]
                .iter()
                .map(|&i| &self.entries[i])
                .filter(|e| e.state_code.as_ref().is_some_and(|s| states.contains(s)))
                .collect();
            // a kreisfreie Stadt is both a district and its one municipality: the city is meant
            if cands.len() == 2 {
                let (a, b) = (cands[0], cands[1]);
                let city = match (a.kind.as_str(), b.kind.as_str()) {
                    ("municipality", "district") if a.ags.as_deref().and_then(|g| g.get(..5)) == b.ags.as_deref() => {
                        Some(a)
                    }
                    ("district", "municipality") if b.ags.as_deref().and_then(|g| g.get(..5)) == a.ags.as_deref() => {
                        Some(b)
                    }
                    _ => None,
                };
                if let Some(city) = city {
                    cands = vec![city];
                }
            }
            let [entry] = cands.as_slice() else { continue };
            // "Landrätin von X": the place is X
            let pattern = &self.patterns[m.pattern().as_usize()];
            let skip = OF_COUNTY.iter().find(|h| pattern.starts_with(*h)).map_or(0, |h| h.len());
            out.push(PlaceHit { entry, start: m.start() + skip, end: m.end() + suffix });
        }
        out
    }
}

/// The name an entry stands under as an entity, in the form a text names it: the register's
/// suffix (", Stadt") dropped, a bilingual name by its German part ("Cottbus/Chóśebuz"; a river
/// qualifier as in "Fürstenberg/Havel" stays), a county with its type ("Landkreis Roth").
pub fn entity_name(e: &PlaceEntry) -> String {
    let base = e.name.split(',').next().unwrap_or(&e.name).trim();
    let base = match base.rsplit_once('/') {
        // the second part of a bilingual name is Sorbian or Frisian: letters German does not use
        Some((german, other)) if other.chars().any(|c| c.is_alphabetic() && !is_german_letter(c)) => german.trim(),
        _ => base,
    };
    match e.type_label.as_deref() {
        Some(label @ ("Landkreis" | "Kreis")) if e.kind == "district" && !base.to_lowercase().contains("kreis") => {
            format!("{label} {base}")
        }
        _ => base.to_owned(),
    }
}

fn is_german_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || "äöüÄÖÜß".contains(c)
}

/// "in Potsdam", "in der Stadt X", "nach X", "im Rathaus von X": the words before a place that
/// make it the venue of an event.
static VENUE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s(])(?:[Ii]n|nach)\s+(?:(?:der|die)\s+(?:Stadt|Gemeinde|Landeshauptstadt|Hansestadt|Kreisstadt|Universitätsstadt)\s+)?$|(?:^|\s)(?:[Ii]m|[Ii]n\s+der|[Ii]n\s+dem|[Aa]uf\s+dem|[Aa]uf\s+der)\s+\p{L}[\p{L}-]*\s+(?:von|in|zu)\s+$",
    )
    .expect("venue pattern")
});

/// After a dateline's place: ", 19. Mai 2025", " – ", " (dpa) –", ". Die Landesregierung".
static DATELINE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\([^)\n]{1,30}\)\s*)?(?:,\s*(?:den\s+|am\s+)?\d|[–—-]\s|\.\s+\p{Lu})")
        .expect("dateline pattern")
});

/// Whether the place at `start..end` (bytes of `text`) is named only as the venue or the
/// dateline of what is reported ("tagte in Potsdam", "Mainz, 3. Mai 2024 –"), not as an actor.
/// The offsets must lie on char boundaries (they come from a match on `text`).
pub fn is_venue(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    if before.trim().is_empty() && DATELINE_AFTER.is_match(&text[end..]) {
        return true;
    }
    // the words of the same clause just before the place
    let from = before.char_indices().rev().nth(40).map_or(0, |(i, _)| i);
    VENUE_BEFORE.is_match(&before[from..])
}

/// The gazetteer of the municipalities and districts in the database.
pub async fn load(pool: &govgraph_shared::db::Pool) -> Result<PlaceGazetteer, crate::WorkerError> {
    let mut conn = pool.get().await.map_err(govgraph_shared::Error::from)?;
    Ok(PlaceGazetteer::new(PlaceEntry::all(&mut conn).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, kind: &str, name: &str, ags: &str, state: &str, t: &str) -> PlaceEntry {
        PlaceEntry {
            id,
            kind: kind.into(),
            name: name.into(),
            ags: Some(ags.into()),
            state_code: Some(state.into()),
            type_label: Some(t.into()),
        }
    }

    fn gazetteer() -> PlaceGazetteer {
        PlaceGazetteer::new(vec![
            entry(1, "district", "Neunkirchen", "10043", "SL", "Landkreis"),
            entry(2, "municipality", "Neunkirchen, Kreisstadt", "10043114", "SL", "Stadt"),
            entry(3, "municipality", "Neunkirchen", "05970036", "NW", "Kreisangehörige Gemeinde"),
            entry(4, "district", "Harz", "15085", "ST", "Landkreis"),
            entry(5, "municipality", "Chemnitz, Stadt", "14511000", "SN", "Kreisfreie Stadt"),
            entry(6, "district", "Chemnitz, Stadt", "14511", "SN", "Kreisfreie Stadt"),
            entry(7, "municipality", "Essen, Stadt", "05113000", "NW", "Kreisfreie Stadt"),
        ])
    }

    #[test]
    fn state_context_decides_and_ambiguity_stays_unlinked() {
        let g = gazetteer();
        let text = "In Neunkirchen fand die Tagung statt; der Landkreis Harz und Chemnitz waren dabei.";
        let ags = |h: &PlaceHit| h.entry.ags.clone().unwrap_or_default();
        let sl: Vec<_> = g.find_bytes(text, &["SL".into()]).iter().map(ags).collect();
        assert_eq!(sl, ["10043114"], "the Kreisstadt, the district's namesake city");
        assert!(
            g.find_bytes(text, &["SL".into(), "NW".into()])
                .iter()
                .all(|m| ags(m) != "10043114" && ags(m) != "05970036"),
            "two states: ambiguous"
        );
        let found = g.find_bytes(text, &["ST".into(), "SN".into()]);
        assert_eq!(found.iter().map(ags).collect::<Vec<_>>(), ["15085", "14511000"]);
        assert_eq!(&text[found[0].start..found[0].end], "Landkreis Harz");
        assert_eq!(found[0].start, text.find("Landkreis Harz").unwrap());
        assert!(g.find_bytes("Das Essen war gut.", &["NW".into()]).is_empty(), "a common word is not a place");
    }

    #[test]
    fn a_county_is_named_bare_after_its_landrat() {
        let g = gazetteer();
        // (text, the county's name as found, or none)
        let rows = [
            ("Die Landrätin von Harz, Erika Beispiel, eröffnete die Sitzung.", Some("Harz")),
            ("Der Kreistag wählte den Landrat von Harz erneut.", Some("Harz")),
            ("Laut Angaben des Landrats von Harz sind alle Ämter angebunden.", Some("Harz")),
            ("Der Landkreis Harz tritt bei.", Some("Landkreis Harz")),
            ("Im Harz gibt es viele Wanderwege.", None),
            ("Der Bürgermeister von Harz sprach.", None),
        ];
        for (text, want) in rows {
            let found = g.find_bytes(text, &["ST".into()]);
            let got = found.first().map(|h| &text[h.start..h.end]);
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn entity_names_are_the_forms_texts_use() {
        let rows = [
            ("municipality", "Weißwasser/O.L./Běła Woda, Stadt", "Stadt", "Weißwasser/O.L."),
            ("municipality", "Bautzen/Budyšin, Stadt", "Stadt", "Bautzen"),
            ("municipality", "Neustadt/Dosse, Stadt", "Stadt", "Neustadt/Dosse"),
            ("municipality", "Chemnitz, Stadt", "Kreisfreie Stadt", "Chemnitz"),
            ("district", "Ostalbkreis", "Landkreis", "Ostalbkreis"),
            ("district", "Havelland", "Landkreis", "Landkreis Havelland"),
            ("district", "Lippe", "Kreis", "Kreis Lippe"),
            ("district", "Chemnitz, Stadt", "Kreisfreie Stadt", "Chemnitz"),
        ];
        for (kind, name, label, want) in rows {
            let e = entry(1, kind, name, "00000", "SN", label);
            assert_eq!(entity_name(&e), want, "{name}");
        }
    }

    #[test]
    fn venues_and_datelines_are_not_actors() {
        // (sentence, place, venue?)
        let rows = [
            ("Der Rat tagte am Montag in Erfurt zum ersten Mal.", "Erfurt", true),
            ("In Schwerin unterzeichneten beide Seiten den Vertrag.", "Schwerin", true),
            ("Die Versammlung findet in der Stadt Wittenberge statt.", "Wittenberge", true),
            ("Die Ministerin reiste nach Görlitz.", "Görlitz", true),
            ("Die Feier fand im Rathaus von Zwickau statt.", "Zwickau", true),
            ("Kiel, 4. März 2023 – Das Land und die Kommunen haben ...", "Kiel", true),
            ("Kiel – Die Landesregierung hat beschlossen ...", "Kiel", true),
            ("Jena (epd) – Die Stadt tritt dem Verband bei.", "Jena", true),
            ("Potsdam. Die Landesregierung und die Kreise haben ...", "Potsdam", true),
            ("Gera (dpa). Der Stadtrat hat entschieden.", "Gera", true),
            ("Die Stadt Zwickau tritt dem Zweckverband bei.", "Zwickau", false),
            ("Erfurt und der Landkreis Gotha unterzeichneten die Vereinbarung.", "Erfurt", false),
            ("Mitglieder sind die Städte Halle und Dessau-Roßlau.", "Halle", false),
            ("Das Land hat mit Görlitz einen Vertrag geschlossen.", "Görlitz", false),
            ("Schwerin, die Landeshauptstadt, übernimmt den Vorsitz.", "Schwerin", false),
            ("Die Oberbürgermeisterin von Jena, Anna Beispiel, sagte ...", "Jena", false),
        ];
        for (text, place, want) in rows {
            let start = text.find(place).unwrap();
            assert_eq!(is_venue(text, start, start + place.len()), want, "{text}");
        }
    }
}
