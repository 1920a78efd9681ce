//! One document from text to [`Analysis`]: states, then the names of known entities (gazetteer
//! and register), then discovery, then relations. Deterministic: the same text and the same
//! gazetteer give the same analysis, so re-tagging never changes what it need not.

use chrono::NaiveDate;
use govgraph_shared::analysis::{Analysis, EntityType, FoundEntity, FoundRelation, Span, Status};
use govgraph_shared::models::actor::PlaceEntry;
use govgraph_shared::vocab::Predicate;

use super::gazetteer::{GazEntry, NameGazetteer};
use super::places::PlaceGazetteer;
use super::{StateTag, StateTagger, discovery, relations, sentences};

/// Everything needed to tag documents, built once.
pub struct Tagger {
    pub states: StateTagger,
    pub names: NameGazetteer,
    pub places: Option<PlaceGazetteer>,
    state_names: Vec<(String, String)>,
}

/// The document being read: its text, sentences, states and what has been found so far.
pub struct Doc<'a> {
    pub text: &'a str,
    pub sentences: Vec<(usize, usize)>,
    pub states: Vec<String>,
    pub published: Option<NaiveDate>,
    state_marks: Vec<(usize, String)>,
    pub entities: Vec<FoundEntity>,
    /// (entity, start, end) in bytes of `text`
    pub mentions: Vec<(usize, usize, usize)>,
    pub relations: Vec<FoundRelation>,
    pub names: &'a NameGazetteer,
    pub(super) state_names: &'a [(String, String)],
}

impl<'a> Doc<'a> {
    /// The state in force at a byte offset: the last state named before it among the document's
    /// states, else the document's primary state.
    pub fn state_at(&self, at: usize) -> Option<String> {
        // a Land named before wins over a federal word ("Bund und Ländern") in between
        self.state_marks
            .iter()
            .rev()
            .find(|(p, code)| *p <= at && code != "DE" && self.states.contains(code))
            .map(|(_, c)| c.clone())
            .or_else(|| self.states.iter().find(|c| *c != "DE").cloned())
            .or_else(|| self.states.first().cloned())
    }

    /// The states named inside a byte range, in order.
    pub fn state_marks_in(&self, start: usize, end: usize) -> Vec<String> {
        self.state_marks.iter().filter(|(p, _)| *p >= start && *p < end).map(|(_, c)| c.clone()).collect()
    }

    /// A state's short name ("Sachsen").
    pub fn state_name(&self, code: &str) -> Option<&str> {
        self.state_names.iter().find(|(c, _)| c == code).map(|(_, n)| n.as_str())
    }

    /// Adds an entity (or finds it by its identity) and returns its index.
    pub fn entity(&mut self, e: FoundEntity) -> usize {
        if let Some(i) = self.entities.iter().position(|x| x.identity() == e.identity()) {
            let x = &mut self.entities[i];
            for a in e.aliases {
                if a != x.name && !x.aliases.contains(&a) {
                    x.aliases.push(a);
                }
            }
            if x.title.is_none() {
                x.title = e.title;
            }
            if x.date.is_none() {
                x.date = e.date;
            }
            return i;
        }
        self.entities.push(e);
        self.entities.len() - 1
    }

    /// Records a mention over `start..end` (bytes of `text`). A span that does not lie on char
    /// boundaries is a bug of the rule that found it: it is dropped (and fails debug builds, so
    /// that the property tests name the rule).
    pub fn mention(&mut self, entity: usize, start: usize, end: usize) {
        let valid = start <= end && self.text.is_char_boundary(start) && self.text.is_char_boundary(end);
        debug_assert!(valid, "a mention off char boundaries: {start}..{end}");
        if !valid {
            return;
        }
        if !self.mentions.iter().any(|m| m.0 == entity && m.1 == start) {
            self.mentions.push((entity, start, end));
        }
    }

    /// The entity mentioned over `start..end`, if a mention overlaps it.
    pub fn covered(&self, start: usize, end: usize) -> Option<usize> {
        self.mentions.iter().find(|m| m.1 < end && start < m.2).map(|m| m.0)
    }

    /// The mentions inside a byte range, in order.
    pub fn mentions_in(&self, start: usize, end: usize) -> Vec<(usize, usize, usize)> {
        let mut v: Vec<_> = self.mentions.iter().filter(|m| m.1 >= start && m.2 <= end).copied().collect();
        v.sort_by_key(|m| m.1);
        v
    }

    /// The sentence holding a byte offset.
    pub fn sentence_of(&self, at: usize) -> Option<(usize, usize)> {
        self.sentences.iter().find(|s| s.0 <= at && at < s.1.max(s.0 + 1)).copied()
    }

    /// The reference entry of a kind for a state (the government of Saxony, ...).
    pub fn reference(&mut self, kind: &str, state: &str, context_form: Option<&str>) -> Option<usize> {
        let entry = self.names.entries().iter().find(|e| {
            e.kind == kind
                && e.state.as_deref() == Some(state)
                && context_form.is_none_or(|f| e.context.iter().any(|c| c == f))
        })?;
        let found = from_gazetteer(entry);
        Some(self.entity(found))
    }

    pub fn relation(&mut self, r: FoundRelation) {
        if r.subject == r.object {
            return;
        }
        let same = |x: &FoundRelation| {
            x.subject == r.subject && x.predicate == r.predicate && x.object == r.object && x.role == r.role
        };
        if !self.relations.iter().any(same) {
            self.relations.push(r);
        }
    }

    /// A sentence as evidence, in bytes (made characters when the analysis is finished).
    pub fn span_bytes(&self, (start, end): (usize, usize)) -> Span {
        Span { start, end, text: self.text[start..end].to_owned() }
    }

    /// A span of the text as [`Span`] (bytes to characters).
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.text[..start].chars().count();
        let text = self.text[start..end].to_owned();
        Span { start: s, end: s + text.chars().count(), text }
    }
}

/// The entity a gazetteer entry stands for.
pub fn from_gazetteer(e: &GazEntry) -> FoundEntity {
    FoundEntity {
        id: e.id,
        name: e.name.clone(),
        entity_type: e.entity_type,
        kind: e.kind.clone(),
        state: e.state.clone(),
        status: Status::Reference,
        key: e.key.clone(),
        aliases: e.aliases.clone(),
        title: None,
        date: None,
        mentions: Vec::new(),
        method: e.method.to_owned(),
    }
}

/// What the analysis of a document gives, with its states.
pub struct Tagged {
    pub states: Vec<StateTag>,
    pub analysis: Analysis,
}

impl Tagger {
    pub fn new(states: StateTagger, names: NameGazetteer, places: Option<PlaceGazetteer>) -> Tagger {
        let state_names = govgraph_shared::reference::states()
            .map(|all| all.into_iter().map(|s| (s.code, s.name)).collect())
            .unwrap_or_default();
        Tagger { states, names, places, state_names }
    }

    /// Reads one document. `title` is read for names too (a press release's title often names
    /// the agreement), but mentions and evidence point into `text` only.
    pub fn tag(
        &self,
        title: &str,
        text: &str,
        place: Option<&str>,
        source_state: Option<&str>,
        published: Option<NaiveDate>,
    ) -> Tagged {
        let states = self.states.tag(title, text, place, source_state);
        let codes: Vec<String> = states.iter().map(|s| s.code.clone()).collect();
        // the title is read as the first paragraph; its offsets are dropped at the end
        let full = if title.trim().is_empty() { text.to_owned() } else { format!("{title}\n\n{text}") };
        let base = full.len() - text.len();
        let analysis = self.read(&full, base, codes, published);
        Tagged { states, analysis }
    }

    fn read(&self, full: &str, base: usize, states: Vec<String>, published: Option<NaiveDate>) -> Analysis {
        let mut doc = Doc {
            text: full,
            sentences: sentences::split(full),
            state_marks: self.states.positions(full),
            states,
            published,
            entities: Vec::new(),
            mentions: Vec::new(),
            relations: Vec::new(),
            names: &self.names,
            state_names: &self.state_names,
        };
        self.find_names(&mut doc);
        discovery::run(&mut doc);
        relations::run(&mut doc);
        super::agreements::name_unnamed(&mut doc);
        finish(doc, base)
    }

    fn find_names(&self, doc: &mut Doc) {
        let state_at = |at: usize| doc.state_at(at);
        let names = self.names.find(doc.text, &doc.states, &state_at);
        let places = self.places.as_ref().map(|p| p.find_bytes(doc.text, &doc.states)).unwrap_or_default();
        for m in names {
            let entry = &self.names.entries()[m.entry];
            // a service of the catalogue is meant only where the text speaks of it as a service
            if entry.entity_type == EntityType::Service
                && !service_context(doc.text, doc.sentence_of(m.start).unwrap_or((0, doc.text.len())), m.start, m.end)
            {
                continue;
            }
            let mut e = from_gazetteer(entry);
            if m.contextual {
                e.method = "context:state".into();
            }
            let i = doc.entity(e);
            doc.mention(i, m.start, m.end);
        }
        // a municipality named only as the venue or dateline of what is reported is a place of
        // the document, not an actor of it
        let actor_place = |ags: &Option<String>| {
            places.iter().any(|q| &q.entry.ags == ags && !super::places::is_venue(doc.text, q.start, q.end))
        };
        let keep: Vec<bool> = places
            .iter()
            .map(|p| {
                // Berlin and Hamburg are each a Land and its one municipality: the Land is meant
                let city_state = matches!(p.entry.state_code.as_deref(), Some("BE" | "HH"));
                !city_state && (p.entry.kind != "municipality" || actor_place(&p.entry.ags))
            })
            .collect();
        for (p, keep) in places.iter().zip(keep) {
            // a longer name of the gazetteer wins over a place inside it ("Landkreistag Saarland")
            if !keep || doc.covered(p.start, p.end).is_some() {
                continue;
            }
            let name = super::places::entity_name(p.entry);
            let mut aliases = if name != p.entry.name { vec![p.entry.name.clone()] } else { Vec::new() };
            let (mut name, mut key, mut start) =
                (name, format!("ags:{}", p.entry.ags.clone().unwrap_or_default()), p.start);
            // "Amt Niemegk": the Amt (a union of municipalities) named after its seat is meant
            if p.entry.kind == "municipality" && doc.text[..p.start].ends_with("Amt ") {
                aliases = vec![name.clone()];
                name = format!("Amt {name}");
                key = format!("amt:{}", p.entry.ags.clone().unwrap_or_default());
                start = p.start - "Amt ".len();
            }
            let e = FoundEntity {
                id: (p.entry.id > 0 && !key.starts_with("amt:")).then_some(p.entry.id),
                name,
                entity_type: EntityType::Actor,
                kind: p.entry.kind.clone(),
                state: p.entry.state_code.clone(),
                status: Status::Reference,
                key,
                aliases,
                title: None,
                date: None,
                mentions: Vec::new(),
                method: super::places::METHOD.to_owned(),
            };
            let i = doc.entity(e);
            doc.mention(i, start, p.end);
        }
    }
}

/// Prepositions: a name holding one is a phrase, not a coordination of names.
const PREPOSITIONS: &[&str] =
    &["für", "von", "vom", "zur", "zum", "bei", "beim", "mit", "nach", "aus", "über", "im", "in", "an", "am", "auf"];

/// Words that make a service of the catalogue the topic: online, digital, Antrag, beantragen,
/// (Verwaltungs-)Leistung, Online-Dienst, Verfahren, Portal, Formular, OZG.
static SERVICE_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\bonline|\bdigitale?[nmrs]?\b|\bdigital\s|antr[aä]g|beantrag|leistung|dienste?\b|diensten\b|verfahren\b|portal|formular|\bozg\b",
    )
    .expect("service words")
});

/// Whether the words around a catalogue service's name (bytes `start..end` of `text`, on char
/// boundaries, in the sentence `s0..s1`) speak of it as a service: a service word up to about 120 characters before it or
/// 40 after it in the same sentence ("Anträge wie die Gewerbeanmeldung, ...", "das Wohngeld
/// online beantragen"), or the name itself is one ("Online-Wohngeldantrag").
pub(crate) fn service_context(text: &str, (s0, s1): (usize, usize), start: usize, end: usize) -> bool {
    let s0 = s0.min(start);
    let before = &text[s0..start];
    let from = before.char_indices().rev().nth(120).map_or(0, |(i, _)| i);
    let after = &text[end..s1.max(end)];
    let to = after.char_indices().nth(40).map_or(after.len(), |(i, _)| i);
    // the name with the word it is part of ("Online-Wohngeldantrag")
    let word_start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word_end = after.find(char::is_whitespace).unwrap_or(after.len());
    let word = &text[s0 + word_start..end + word_end];
    SERVICE_WORDS.is_match(&before[from..]) || SERVICE_WORDS.is_match(&after[..to]) || SERVICE_WORDS.is_match(word)
}

/// Moves byte offsets of the combined title and text to character offsets of the text.
fn finish(doc: Doc, base: usize) -> Analysis {
    let mut entities = doc.entities.clone();
    let mut mentions = doc.mentions.clone();
    mentions.sort_by_key(|m| (m.1, m.0));
    for (e, start, end) in mentions {
        if start < base {
            continue;
        }
        let s = doc.text[base..start].chars().count();
        let text = doc.text[start..end].to_owned();
        entities[e].mentions.push(Span { start: s, end: s + text.chars().count(), text });
    }
    let relations = doc
        .relations
        .iter()
        .map(|r| {
            let mut r = r.clone();
            // who is party to or signs an agreement does so on the agreement's date
            if r.date.is_none() && matches!(r.predicate, Predicate::PartyTo | Predicate::Signed) {
                r.date = doc.entities[r.object].date.clone().filter(|d| d.len() == 10);
            }
            // evidence spans were made over the combined text in bytes: convert; a sentence of the
            // title keeps its text with the empty span 0..0
            let (bs, be) = (r.evidence.start, r.evidence.end);
            r.evidence = if bs < base {
                Span { start: 0, end: 0, text: doc.text[bs..be].to_owned() }
            } else {
                let s = doc.text[base..bs].chars().count();
                Span { start: s, end: s + doc.text[bs..be].chars().count(), text: doc.text[bs..be].to_owned() }
            };
            r
        })
        .collect();
    Analysis { entities, relations }
}

/// The gazetteer entries of the reference files (ids unknown: for `extract` and `eval`).
pub fn reference_entries() -> govgraph_shared::Result<Vec<GazEntry>> {
    Ok(govgraph_shared::reference::entries()?
        .into_iter()
        .map(|e| GazEntry {
            id: None,
            entity_type: if e.entry_type == "project" { EntityType::Project } else { EntityType::Actor },
            key: e.key,
            name: e.name,
            kind: e.kind,
            state: e.state,
            aliases: e.aliases,
            context: e.context,
            method: "gazetteer:reference",
        })
        .collect())
}

/// Place entries for the register gazetteer from the embedded snapshot (ids unknown).
pub fn places_from_units(units: &[crate::catalog::gv100ad::Unit], states: &[(String, String)]) -> Vec<PlaceEntry> {
    use crate::catalog::gv100ad::Level;
    units
        .iter()
        .filter_map(|u| {
            let kind = match u.level {
                Level::Municipality => "municipality",
                Level::District => "district",
                _ => return None,
            };
            Some(PlaceEntry {
                id: 0,
                kind: kind.into(),
                name: u.name.clone(),
                ags: Some(u.key.clone()),
                state_code: states.iter().find(|(p, _)| p == u.land()).map(|(_, c)| c.clone()),
                type_label: u.type_label.map(str::to_owned),
            })
        })
        .collect()
}

/// Gazetteer entries of the OZG catalogue: the Themenfelder (projects) and the OZG services, with
/// the parts of coordinated names as aliases ("Bauvorbescheid und Baugenehmigung" is also found
/// as "Baugenehmigung").
pub fn catalogue_entries(themenfelder: &[(String, String)], services: &[(String, String, String)]) -> Vec<GazEntry> {
    let mut out: Vec<GazEntry> = themenfelder
        .iter()
        .map(|(key, name)| GazEntry {
            id: None,
            key: key.clone(),
            name: name.clone(),
            entity_type: EntityType::Project,
            kind: "ozg_themenfeld".into(),
            state: Some("DE".into()),
            aliases: vec![format!("OZG-Themenfeld {name}")],
            context: Vec::new(),
            method: "gazetteer:catalogue",
        })
        .collect();
    for (key, name, _themenfeld) in services {
        out.push(GazEntry {
            id: None,
            key: key.clone(),
            name: name.clone(),
            entity_type: EntityType::Service,
            kind: "service".into(),
            state: None,
            aliases: service_aliases(name),
            context: Vec::new(),
            method: "gazetteer:catalogue",
        });
    }
    out
}

pub(crate) fn service_aliases(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    // "Bedarf für Bildung und Teilhabe": the coordination is the object of a preposition, and its
    // parts ("Teilhabe") are no names of the service
    let prepositional = name.split_whitespace().any(|w| PREPOSITIONS.contains(&w));
    if prepositional {
        return out;
    }
    for part in name.split(" und ").flat_map(|p| p.split(" / ")).flat_map(|p| p.split(", ")) {
        let part = part.trim();
        if part.starts_with('-')
            || part.ends_with('-')
            || part.len() < 6
            || part == name
            || !part.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        out.push(part.to_owned());
        // "Parkausweise" is also "Parkausweis"
        if let Some(singular) = part.strip_suffix("se").map(|s| format!("{s}s")) {
            out.push(singular);
        }
    }
    out
}

/// The tagger over the data shipped with govgraph: reference entries, the embedded register and
/// OZG catalogue. No database: for `govgraph extract` and `govgraph eval`.
pub fn embedded() -> Result<Tagger, crate::WorkerError> {
    let states = govgraph_shared::reference::states()?;
    let codes: Vec<(String, String)> =
        states.iter().filter_map(|s| s.ags_prefix.clone().map(|p| (p, s.code.clone()))).collect();
    let (themen, services, units) = crate::catalog::embedded_catalogue()?;
    let mut entries = reference_entries()?;
    entries.extend(catalogue_entries(&themen, &services));
    let places = PlaceGazetteer::new(places_from_units(&units, &codes));
    Ok(Tagger::new(StateTagger::new(&states), NameGazetteer::new(entries), Some(places)))
}

/// Checks that every mention and evidence span of `analysis` reads back from `text` (character
/// offsets, as stored): the guard of the property tests and the fuzz target. An evidence sentence
/// of the title has the empty span 0..0 and is not checked.
pub fn check_spans(text: &str, analysis: &Analysis) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let read = |s: &Span| -> Result<(), String> {
        if s.start > s.end || s.end > chars.len() {
            return Err(format!("span {}..{} outside a text of {} characters", s.start, s.end, chars.len()));
        }
        let back: String = chars[s.start..s.end].iter().collect();
        if back != s.text {
            return Err(format!("span {}..{} reads {back:?}, not {:?}", s.start, s.end, s.text));
        }
        Ok(())
    };
    for e in &analysis.entities {
        e.mentions.iter().try_for_each(read)?;
    }
    for r in &analysis.relations {
        if r.evidence.end > 0 {
            read(&r.evidence)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_services_need_a_service_context() {
        // (text, service name, a service?)
        let rows = [
            ("Über das Portal können Anträge wie die Gewerbeanmeldung gestellt werden.", "Gewerbeanmeldung", true),
            ("Künftig lässt sich das Wohngeld auch online beantragen.", "Wohngeld", true),
            ("Der Landkreis bietet das Elterngeld jetzt als Online-Dienst an.", "Elterngeld", true),
            ("Es geht um 40 Verwaltungsleistungen, etwa die Baugenehmigung oder die Ummeldung.", "Ummeldung", true),
            ("Die Stadt Musterhausen stellt die Hundesteuer auf ein digitales Verfahren um.", "Hundesteuer", true),
            ("Mit dem Online-Wohngeldantrag spart man den Weg ins Amt.", "Wohngeld", true),
            ("Die Software der Agentur verwaltet das Arbeitslosengeld und die Beiträge.", "Arbeitslosengeld", false),
            ("Die Ministerin sprach über Nachhaltigkeit, Teilhabe und Fortschritt.", "Teilhabe", false),
            ("Im Haushalt steigen die Ausgaben für das Wohngeld deutlich.", "Wohngeld", false),
            ("Die Kfz-Zulassung in Beispielstadt hatte gestern geschlossen.", "Kfz-Zulassung", false),
        ];
        for (text, name, want) in rows {
            let start = text.find(name).unwrap();
            assert_eq!(service_context(text, (0, text.len()), start, start + name.len()), want, "{text}");
        }
    }

    #[test]
    fn service_aliases_split_coordinations_of_names_only() {
        assert_eq!(service_aliases("Bauvorbescheid und Baugenehmigung"), ["Bauvorbescheid", "Baugenehmigung"]);
        assert_eq!(service_aliases("Parkausweise, Anwohnerparken"), ["Parkausweise", "Parkausweis", "Anwohnerparken"]);
        assert!(service_aliases("Bedarf für Bildung und Teilhabe").is_empty());
        assert!(service_aliases("Hilfe zur Pflege und Eingliederung").is_empty());
    }
}
