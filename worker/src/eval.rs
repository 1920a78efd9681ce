//! Measuring the tagging pipeline against a gold file (the format of `seeds.toml`): per document
//! the states, bodies, projects, entities (with kind, core flag and aliases) and relations a
//! careful analyst reads out of it.
//!
//! Matching names: both sides are normalised (lower case, "&" read as "und", quotes,
//! punctuation and the titles "Dr." and "Prof." dropped, spaces collapsed). A found entity
//! matches a gold entity of the same kind when any of its names (the name, its aliases, the
//! surfaces of its mentions) equals any of the gold names (the name and its aliases). A found
//! relation matches a gold relation with the same predicate whose subject and object match.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use govgraph_shared::analysis::{Analysis, EntityType, FoundEntity};
use serde::Deserialize;

use crate::tagging::Tagger;

#[derive(Debug, Deserialize)]
pub struct Gold {
    pub document: Vec<GoldDocument>,
}

#[derive(Debug, Deserialize)]
pub struct GoldDocument {
    pub file: String,
    #[serde(default)]
    pub states: Vec<String>,
    #[serde(default)]
    pub bodies: Vec<String>,
    #[serde(default)]
    pub projects: Vec<String>,
    #[serde(default)]
    pub published: Option<toml::Value>,
    #[serde(default)]
    pub entity: Vec<GoldEntity>,
    #[serde(default)]
    pub relation: Vec<GoldRelation>,
}

#[derive(Debug, Deserialize)]
pub struct GoldEntity {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub core: bool,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct GoldRelation {
    pub subject: String,
    pub predicate: String,
    pub object: String,
    #[serde(default)]
    pub core: bool,
}

/// Counts for one category: found, correct among found, gold items, gold items found.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Score {
    pub found: usize,
    pub correct: usize,
    pub gold: usize,
    pub recalled: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.found == 0 { 1.0 } else { self.correct as f64 / self.found as f64 }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 { 1.0 } else { self.recalled as f64 / self.gold as f64 }
    }
    fn add(&mut self, o: Score) {
        self.found += o.found;
        self.correct += o.correct;
        self.gold += o.gold;
        self.recalled += o.recalled;
    }
}

/// The scores of a run, by category name ("entities", "entities (core)", "entities: person", ...).
#[derive(Debug, Default)]
pub struct Report {
    pub scores: BTreeMap<String, Score>,
    pub documents: usize,
}

impl Report {
    pub fn get(&self, category: &str) -> Score {
        self.scores.get(category).copied().unwrap_or_default()
    }

    /// A table: category, precision, recall, counts.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} documents\n{:<34} {:>9} {:>7}   found/correct  gold/recalled\n",
            self.documents, "category", "precision", "recall"
        );
        for (name, s) in &self.scores {
            out.push_str(&format!(
                "{:<34} {:>9.3} {:>7.3}   {:>5}/{:<7}  {:>4}/{}\n",
                name,
                s.precision(),
                s.recall(),
                s.found,
                s.correct,
                s.gold,
                s.recalled
            ));
        }
        out
    }
}

/// The normalised form of a name.
pub fn normalise(s: &str) -> String {
    let s = s.to_lowercase().replace('&', " und ");
    let s: String = s.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { ' ' }).collect();
    s.split_whitespace().filter(|w| !["dr", "prof"].contains(w)).collect::<Vec<_>>().join(" ")
}

/// The kind a found entity has in the gold vocabulary.
pub fn gold_kind(e: &FoundEntity) -> &str {
    match e.entity_type {
        EntityType::Actor => match e.kind.as_str() {
            "municipal_federation" => "municipal_association",
            k => k,
        },
        EntityType::Project => "project",
        EntityType::Agreement => "agreement",
        EntityType::Service => "service",
    }
}

fn names_of(e: &FoundEntity) -> HashSet<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .cloned()
        .chain(e.mentions.iter().map(|m| m.text.clone()))
        .map(|n| normalise(&n))
        .collect()
}

fn gold_names(name: &str, aliases: &[String]) -> HashSet<String> {
    std::iter::once(name).chain(aliases.iter().map(String::as_str)).map(normalise).collect()
}

/// Scores one analysed document against its gold entry.
pub fn score(gold: &GoldDocument, states: &[String], a: &Analysis) -> BTreeMap<String, Score> {
    let mut out: BTreeMap<String, Score> = BTreeMap::new();
    let mut bump = |cat: String, s: Score| out.entry(cat).or_default().add(s);

    // states: the Länder (DE may be added)
    let ours: HashSet<&String> = states.iter().filter(|s| *s != "DE").collect();
    let theirs: HashSet<&String> = gold.states.iter().filter(|s| *s != "DE").collect();
    bump(
        "states".into(),
        Score {
            found: ours.len(),
            correct: ours.intersection(&theirs).count(),
            gold: theirs.len(),
            recalled: ours.intersection(&theirs).count(),
        },
    );

    // each found entity: the gold entity it matches
    let matched: Vec<Option<usize>> = a
        .entities
        .iter()
        .map(|e| {
            // by the entity's own names first, then by the surfaces of its mentions
            let own: HashSet<String> = std::iter::once(&e.name).chain(&e.aliases).map(|n| normalise(n)).collect();
            let find = |names: &HashSet<String>| {
                gold.entity.iter().position(|g| {
                    let kinds_agree =
                        g.kind == gold_kind(e) || (g.kind == "agency" && gold_kind(e) == "it_service_provider");
                    kinds_agree && !gold_names(&g.name, &g.aliases).is_disjoint(names)
                })
            };
            find(&own).or_else(|| find(&names_of(e)))
        })
        .collect();
    let recalled: HashSet<usize> = matched.iter().flatten().copied().collect();
    let mut kinds: Vec<String> = gold.entity.iter().map(|g| g.kind.clone()).collect();
    kinds.extend(a.entities.iter().map(|e| gold_kind(e).to_owned()));
    kinds.sort();
    kinds.dedup();
    let entity_score = |filter: &dyn Fn(&GoldEntity) -> bool, kind: Option<&str>| -> Score {
        let found: Vec<usize> =
            (0..a.entities.len()).filter(|i| kind.is_none_or(|k| gold_kind(&a.entities[*i]) == k)).collect();
        let gold_items: Vec<usize> = (0..gold.entity.len())
            .filter(|i| filter(&gold.entity[*i]) && kind.is_none_or(|k| gold.entity[*i].kind == k))
            .collect();
        Score {
            found: found.len(),
            correct: found.iter().filter(|i| matched[**i].is_some()).count(),
            gold: gold_items.len(),
            recalled: gold_items.iter().filter(|i| recalled.contains(i)).count(),
        }
    };
    bump("entities".into(), entity_score(&|_| true, None));
    bump("entities (core)".into(), entity_score(&|g| g.core, None));
    for k in &kinds {
        bump(format!("entities: {k}"), entity_score(&|_| true, Some(k)));
    }

    // bodies and projects named by the document
    for (cat, list, pick) in [
        ("bodies", &gold.bodies, &(|e: &FoundEntity| e.kind == "body") as &dyn Fn(&FoundEntity) -> bool),
        ("projects", &gold.projects, &|e: &FoundEntity| e.entity_type == EntityType::Project),
    ] {
        let ours: Vec<&FoundEntity> = a.entities.iter().filter(|e| pick(e)).collect();
        let gold_sets: Vec<HashSet<String>> = list
            .iter()
            .map(|n| {
                let aliases = gold.entity.iter().find(|g| &g.name == n).map(|g| g.aliases.clone()).unwrap_or_default();
                gold_names(n, &aliases)
            })
            .collect();
        let hit = |e: &FoundEntity| gold_sets.iter().position(|g| !g.is_disjoint(&names_of(e)));
        let hits: HashSet<usize> = ours.iter().filter_map(|e| hit(e)).collect();
        bump(
            cat.into(),
            Score {
                found: ours.len(),
                correct: ours.iter().filter(|e| hit(e).is_some()).count(),
                gold: list.len(),
                recalled: hits.len(),
            },
        );
    }

    // relations
    let gold_entity = |name: &str| gold.entity.iter().position(|g| g.name == name);
    let rel_match: Vec<Option<usize>> = a
        .relations
        .iter()
        .map(|r| {
            gold.relation.iter().position(|g| {
                g.predicate == r.predicate.as_str()
                    && gold_entity(&g.subject).is_some_and(|s| matched[r.subject] == Some(s))
                    && gold_entity(&g.object).is_some_and(|o| matched[r.object] == Some(o))
            })
        })
        .collect();
    let rel_recalled: HashSet<usize> = rel_match.iter().flatten().copied().collect();
    let mut predicates: Vec<String> = gold.relation.iter().map(|g| g.predicate.clone()).collect();
    predicates.extend(a.relations.iter().map(|r| r.predicate.as_str().to_owned()));
    predicates.sort();
    predicates.dedup();
    let relation_score = |core_only: bool, predicate: Option<&str>| -> Score {
        let found: Vec<usize> = (0..a.relations.len())
            .filter(|i| predicate.is_none_or(|p| a.relations[*i].predicate.as_str() == p))
            .collect();
        let gold_items: Vec<usize> = (0..gold.relation.len())
            .filter(|i| {
                (!core_only || gold.relation[*i].core) && predicate.is_none_or(|p| gold.relation[*i].predicate == p)
            })
            .collect();
        Score {
            found: found.len(),
            correct: found.iter().filter(|i| rel_match[**i].is_some()).count(),
            gold: gold_items.len(),
            recalled: gold_items.iter().filter(|i| rel_recalled.contains(i)).count(),
        }
    };
    bump("relations".into(), relation_score(false, None));
    bump("relations (core)".into(), relation_score(true, None));
    for p in &predicates {
        bump(format!("relations: {p}"), relation_score(false, Some(p)));
    }
    out
}

/// Runs the pipeline over every gold document found in `docs` and scores it.
pub fn run(tagger: &Tagger, gold_file: &Path, docs: &Path) -> Result<(Report, Vec<(String, Analysis)>), String> {
    let gold: Gold =
        toml::from_str(&std::fs::read_to_string(gold_file).map_err(|e| format!("{}: {e}", gold_file.display()))?)
            .map_err(|e| format!("{}: {e}", gold_file.display()))?;
    let mut report = Report::default();
    let mut analyses = Vec::new();
    for g in &gold.document {
        let path = docs.join(&g.file);
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = crate::fetch::charset::decode(&raw, None);
        let x = crate::extract::extract_text(&text);
        let published = x.published.map(|d| d.with_timezone(&chrono_tz::Europe::Berlin).date_naive());
        let tagged = tagger.tag(x.title.as_deref().unwrap_or_default(), &x.text, x.place.as_deref(), None, published);
        let states: Vec<String> = tagged.states.iter().map(|s| s.code.clone()).collect();
        for (cat, s) in score(g, &states, &tagged.analysis) {
            report.scores.entry(cat).or_default().add(s);
        }
        report.documents += 1;
        analyses.push((g.file.clone(), tagged.analysis));
    }
    Ok((report, analyses))
}
