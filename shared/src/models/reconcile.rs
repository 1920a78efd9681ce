//! Name matching for the reconciliation service (`/reconcile`, OpenRefine): the normalisation of
//! German administrative names ([`NameKey`]), candidate retrieval from the actors table (trigram
//! similarity on [`fold`]ed names, index `actors_name_fold_trgm`), scoring in 0–100 with the
//! matching decision, and the rows that preview and data extension read.
//!
//! A candidate is an exact match when its name (or an alias) has the same [`NameKey`] as the
//! query: "Wilsdruff, Stadt", "Stadt Wilsdruff" and "Wilsdruff" are the same name; "Landkreis
//! Görlitz", "des Landkreises Görlitz" and "Görlitz" too (the designation hints at the kind).
//! `match` is only set for an unambiguous candidate: the one that carries the AGS given as a
//! property, or else the only candidate (of those that pass the type, state and designation) whose
//! name is the query as written (case and punctuation aside; "Markt Wald" is not "Wald"), or, when
//! none is, the only one with the query's key.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float4, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::Result;
use crate::ids::ActorId;

/// Folds a name for comparison: the part before the first comma (the register appends the
/// designation: "Wilsdruff, Stadt", "Töging a.Inn, St") unless the name has the word "für" (a
/// ministry: "Ministerium des Inneren, für Digitalisierung und Kommunen"), lower case, umlauts and
/// ß spelt out. The SQL function `reconcile_fold` of the migration `reconcile_names` does the same.
pub fn fold(name: &str) -> String {
    let lower = name.to_lowercase();
    let has_fuer = lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "für");
    let head = if has_fuer { name } else { name.split(',').next().unwrap_or_default() };
    let mut out = String::with_capacity(head.len() + 4);
    for c in head.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The kind a designation in front of a name points to ("Landkreis Görlitz", "Stadt Görlitz").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindHint {
    /// Stadt, Gemeinde, Markt, Hansestadt, ...: a municipality.
    Municipality,
    /// Landkreis, Kreis: a district that is not a kreisfreie Stadt.
    RuralDistrict,
}

/// Words that designate a municipality when they open a name, in any case form.
const MUNICIPALITY_WORDS: &[&str] = &[
    "stadt",
    "gemeinde",
    "markt",
    "marktgemeinde",
    "marktes",
    "hansestadt",
    "landeshauptstadt",
    "kreisstadt",
    "universitaetsstadt",
    "kreisfreie",
    "kreisfreien",
    "stadtkreis",
    "stadtkreises",
    "grosse",
    "grossen",
    "ortsgemeinde",
    "flecken",
    "fleckens",
];

/// Words that designate a (rural) district when they open a name.
const DISTRICT_WORDS: &[&str] = &["landkreis", "landkreises", "landkreise", "kreis", "kreises"];

/// Articles and prepositions that open an inflected mention ("der Stadt Leipzig", "im Landkreis").
const LEADING_ARTICLES: &[&str] = &["der", "des", "die", "dem", "den", "das", "im", "in", "vom", "von"];

/// Connecting words and their register abbreviations, left out of the key so that
/// "Neustadt a.d.Donau" = "Neustadt an der Donau" and "Frankfurt (Oder)" = "Frankfurt an der Oder".
const CONNECTIVES: &[&str] =
    &["a", "am", "an", "d", "der", "den", "dem", "des", "die", "b", "bei", "i", "im", "in", "v", "vor", "ob", "o"];

/// The comparable form of a name: its words after folding, without a leading designation or
/// article and without connectives, "St." spelt "sankt".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    /// The words, joined by a space: the exact-match key.
    pub key: String,
    /// All words of the folded name, joined by a space (designations and connectives kept): the
    /// name as written, punctuation aside.
    pub literal: String,
    /// The key of the name before its qualifier ("(Hessen)", "/Vogtl.", "an der Orla"): "Neustadt"
    /// for every Neustadt.
    pub base: String,
    /// What to search for by trigram similarity: the folded name without the leading designation,
    /// connectives kept.
    pub search: String,
    pub hint: Option<KindHint>,
}

impl NameKey {
    pub fn of(name: &str) -> NameKey {
        let folded = fold(name);
        let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let mut start = 0;
        let mut hint = None;
        // leading articles and designations, in any order ("der Großen Kreisstadt", "im Landkreis")
        while start < words.len().saturating_sub(1) {
            let w = words[start];
            if LEADING_ARTICLES.contains(&w) {
            } else if DISTRICT_WORDS.contains(&w) {
                hint = Some(KindHint::RuralDistrict);
            } else if MUNICIPALITY_WORDS.contains(&w) {
                hint = Some(KindHint::Municipality);
            } else {
                break;
            }
            start += 1;
        }
        let literal = words.join(" ");
        let rest = &words[start..];
        let search = rest.join(" ");
        let mut key_words: Vec<&str> = Vec::with_capacity(rest.len());
        for (i, w) in rest.iter().enumerate() {
            if i > 0 && CONNECTIVES.contains(w) {
                continue;
            }
            key_words.push(if i == 0 && (*w == "st" || *w == "skt") { "sankt" } else { w });
        }
        let key = key_words.join(" ");
        // the base: up to the first qualifier of the original name
        let cut = name.split(['(', '/']).next().unwrap_or_default();
        let base_words: Vec<String> = {
            let k = NameKey::words_of(cut);
            let skip = k.iter().take_while(|w| LEADING_ARTICLES.contains(&w.as_str()) || is_designation(w)).count();
            let k = if skip < k.len() { &k[skip..] } else { &k[..] };
            let stop = k.iter().skip(1).position(|w| CONNECTIVES.contains(&w.as_str())).map_or(k.len(), |p| p + 1);
            k[..stop].to_vec()
        };
        let base = base_words.join(" ");
        let base = if base.is_empty() {
            key.clone()
        } else {
            base.replacen("st ", "sankt ", usize::from(base.starts_with("st ")))
        };
        NameKey { key, literal, base, search, hint }
    }

    fn words_of(s: &str) -> Vec<String> {
        fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
    }

    /// The key with a genitive -s taken off the last word ("Leipzigs" -> "leipzig"), if it has one.
    pub fn without_genitive(&self) -> Option<String> {
        let stripped = self.key.strip_suffix('s')?;
        (stripped.chars().last().is_some_and(char::is_alphabetic) && stripped.len() >= 3).then(|| stripped.to_owned())
    }
}

fn is_designation(w: &str) -> bool {
    MUNICIPALITY_WORDS.contains(&w) || DISTRICT_WORDS.contains(&w)
}

/// Edit-distance similarity of two keys in 0..=1 (1 = equal), by characters.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    1.0 - prev[b.len()] as f64 / longest as f64
}

/// A reconciliation query after parsing: what to match and what narrows the candidates.
#[derive(Debug, Clone, Default)]
pub struct MatchQuery {
    /// The name to match (absent when only properties are given).
    pub text: Option<String>,
    /// Actor kinds the candidates must have (empty: any).
    pub kinds: Vec<String>,
    /// State codes the candidates must be in (empty: any).
    pub states: Vec<String>,
    /// AGS (or ARS) values: a candidate with one of them is the match.
    pub keys: Vec<String>,
    pub limit: i64,
}

/// An actor as a candidate, with what the scoring needs.
#[derive(Debug, Clone, QueryableByName)]
pub struct ActorRow {
    #[diesel(sql_type = BigInt)]
    pub id: ActorId,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub state_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub state_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ags: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ars: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    pub aliases: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub homepage: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub description: Option<String>,
    /// Destatis' type ("Landkreis", "Kreisfreie Stadt", "Stadt", ...).
    #[diesel(sql_type = Nullable<Text>)]
    pub type_label: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub population: Option<i64>,
    /// The district the actor is located in (`located_in`), as (id, name).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub district_id: Option<ActorId>,
    #[diesel(sql_type = Nullable<Text>)]
    pub district_name: Option<String>,
    /// Trigram similarity of the folded name to the query (0 for rows found by key only).
    #[diesel(sql_type = Float4)]
    pub trigram: f32,
}

/// A scored candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    pub actor: ActorRow,
    /// 0..=100.
    pub score: f64,
    /// The name (or an alias) has the query's key.
    pub exact_name: bool,
    /// The name (or an alias) is the query as written (punctuation and case aside).
    pub literal_name: bool,
    /// The candidate carries an AGS/ARS given in the query.
    pub key_match: bool,
    /// The name similarity in 0..=1 that went into the score.
    pub name_similarity: f64,
    pub matched: bool,
}

const COLUMNS: &str = "a.id, a.kind, a.name, a.state_code, s.name AS state_name, a.ags, a.ars, a.aliases, a.homepage, \
     a.description, a.attributes->>'type' AS type_label, \
     CASE WHEN jsonb_typeof(a.attributes->'population') = 'number' THEN (a.attributes->>'population')::numeric::bigint END AS population, \
     d.id AS district_id, d.name AS district_name";

const JOINS: &str = "LEFT JOIN states s ON s.code = a.state_code \
     LEFT JOIN LATERAL (SELECT o.id, o.name FROM relations r JOIN actors o ON o.id = r.object_id \
        WHERE r.subject_id = a.id AND r.predicate = 'located_in' AND o.kind = 'district' ORDER BY o.id LIMIT 1) d ON true";

/// At most this many rows are scored per query.
const RETRIEVE: i64 = 60;
/// At most this many rows come from the fallback scan of a type and state.
const FALLBACK: i64 = 10;

/// The candidates for a query, best first, at most `query.limit`.
#[tracing::instrument(skip(conn), fields(text = query.text.as_deref().unwrap_or_default()))]
pub async fn reconcile(conn: &mut AsyncPgConnection, query: &MatchQuery) -> Result<Vec<Scored>> {
    let key = query.text.as_deref().map(NameKey::of);
    let search = key.as_ref().map(|k| k.search.clone()).unwrap_or_default();
    let alias = query.text.clone().unwrap_or_default();
    let kinds: Option<Vec<String>> = (!query.kinds.is_empty()).then(|| query.kinds.clone());
    let states: Option<Vec<String>> = (!query.states.is_empty()).then(|| query.states.clone());
    let sql = format!(
        "WITH hits AS ( \
           SELECT id FROM actors WHERE $1 <> '' AND reconcile_fold(name) % $1 \
           UNION SELECT id FROM actors WHERE $1 <> '' AND $1 <% reconcile_fold(name) \
           UNION SELECT id FROM actors WHERE $2 <> '' AND aliases @> ARRAY[$2] \
           UNION SELECT id FROM actors WHERE cardinality($3) > 0 AND (ags = ANY($3) OR ars = ANY($3))) \
         SELECT {COLUMNS}, CASE WHEN $1 = '' THEN 0 ELSE greatest(similarity(reconcile_fold(a.name), $1), \
             word_similarity($1, reconcile_fold(a.name))) END::real AS trigram \
         FROM hits h JOIN actors a ON a.id = h.id {JOINS} \
         WHERE a.status <> 'rejected' AND a.unlisted_since IS NULL \
           AND ($4::text[] IS NULL OR a.kind = ANY($4)) AND ($5::text[] IS NULL OR a.state_code = ANY($5)) \
         ORDER BY trigram DESC, a.id LIMIT {RETRIEVE}"
    );
    let mut rows: Vec<ActorRow> = diesel::sql_query(sql)
        .bind::<Text, _>(&search)
        .bind::<Text, _>(&alias)
        .bind::<Array<Text>, _>(&query.keys)
        .bind::<Nullable<Array<Text>>, _>(&kinds)
        .bind::<Nullable<Array<Text>>, _>(&states)
        .load(conn)
        .await?;
    // a misspelling too far for the index's thresholds: the nearest names among the actors of the
    // given type and state
    if rows.is_empty() && !search.is_empty() && (kinds.is_some() || states.is_some()) {
        let sql = format!(
            "SELECT {COLUMNS}, h.trigram FROM ( \
               SELECT id, similarity(reconcile_fold(name), $1)::real AS trigram FROM actors \
               WHERE status <> 'rejected' AND unlisted_since IS NULL \
                 AND ($2::text[] IS NULL OR kind = ANY($2)) AND ($3::text[] IS NULL OR state_code = ANY($3)) \
               ORDER BY trigram DESC, id LIMIT {FALLBACK}) h \
             JOIN actors a ON a.id = h.id {JOINS} WHERE h.trigram > 0 ORDER BY h.trigram DESC, a.id"
        );
        rows = diesel::sql_query(sql)
            .bind::<Text, _>(&search)
            .bind::<Nullable<Array<Text>>, _>(&kinds)
            .bind::<Nullable<Array<Text>>, _>(&states)
            .load(conn)
            .await?;
    }
    Ok(score(key.as_ref(), &query.keys, rows, query.limit))
}

fn hint_fits(hint: Option<KindHint>, a: &ActorRow) -> bool {
    match hint {
        None => true,
        Some(KindHint::Municipality) => a.kind == "municipality",
        Some(KindHint::RuralDistrict) => {
            a.kind == "district" && !matches!(a.type_label.as_deref(), Some("Kreisfreie Stadt" | "Stadtkreis"))
        }
    }
}

/// Scores retrieved rows against the query's key and keys; sets `matched` on the unambiguous one.
pub fn score(key: Option<&NameKey>, keys: &[String], rows: Vec<ActorRow>, limit: i64) -> Vec<Scored> {
    let mut out: Vec<Scored> = rows
        .into_iter()
        .map(|actor| {
            let key_match = actor.ags.as_ref().is_some_and(|a| keys.contains(a))
                || actor.ars.as_ref().is_some_and(|a| keys.contains(a));
            let (name_score, tier, name_similarity) = match key {
                None => (0.0, Tier::None, 0.0),
                Some(q) => name_score(q, &actor),
            };
            let fits = key.is_none_or(|q| hint_fits(q.hint, &actor));
            let mut score = if key.is_some() { name_score } else { 50.0 };
            if key.is_some_and(|q| !hint_fits(q.hint, &actor)) {
                score -= 10.0;
            }
            if !keys.is_empty() {
                score = if key_match { 100.0 } else { score - 30.0 };
            }
            Scored {
                score: (score.clamp(0.0, 100.0) * 10.0).round() / 10.0,
                exact_name: tier != Tier::None && fits,
                literal_name: tier == Tier::Literal && fits,
                key_match,
                name_similarity,
                matched: false,
                actor,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.actor.population.unwrap_or(0).cmp(&a.actor.population.unwrap_or(0)))
            .then(a.actor.id.cmp(&b.actor.id))
    });
    let by_key = out.iter().filter(|c| c.key_match).count();
    let exact = out.iter().filter(|c| c.exact_name).count();
    let literal = out.iter().filter(|c| c.literal_name).count();
    if let Some(first) = out.first_mut() {
        first.matched = if !keys.is_empty() {
            first.key_match && by_key == 1
        } else if literal > 0 {
            // "Markt Wald" is the municipality of that name, not "Wald"
            first.literal_name && literal == 1
        } else {
            first.exact_name && exact == 1
        };
    }
    out.truncate(usize::try_from(limit.max(1)).unwrap_or(1));
    out
}

/// How a candidate's name meets the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// As written ("Wilsdruff" for "Wilsdruff, Stadt").
    Literal,
    /// The same key ("Stadt Wilsdruff").
    Key,
    None,
}

/// The name part of the score: 100 for the name as written, 98 for the same key, 96 for an alias
/// with it, 92 for a genitive, 80 for the same base name, else up to 85 by similarity.
fn name_score(q: &NameKey, actor: &ActorRow) -> (f64, Tier, f64) {
    let own = NameKey::of(&actor.name);
    let aliases: Vec<NameKey> = actor.aliases.iter().map(|a| NameKey::of(a)).collect();
    if own.literal == q.literal || aliases.iter().any(|a| a.literal == q.literal) {
        return (100.0, Tier::Literal, 1.0);
    }
    if own.key == q.key {
        return (98.0, Tier::Key, 1.0);
    }
    if aliases.iter().any(|a| a.key == q.key) {
        return (96.0, Tier::Key, 1.0);
    }
    if q.without_genitive().is_some_and(|g| g == own.key) {
        return (92.0, Tier::None, 0.95);
    }
    let sim = similarity(&q.key, &own.key).max(f64::from(actor.trigram) * 0.9);
    if own.base == q.key || own.base == q.base && !q.base.is_empty() {
        return (80.0_f64.max(sim * 85.0), Tier::None, sim);
    }
    (sim * 85.0, Tier::None, sim)
}

/// Actors by id, for preview and data extension (unknown ids are left out).
pub async fn actors_by_ids(conn: &mut AsyncPgConnection, ids: &[ActorId]) -> Result<Vec<ActorRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS}, 0::real AS trigram FROM actors a {JOINS} WHERE a.id = ANY($1)");
    Ok(diesel::sql_query(sql).bind::<Array<BigInt>, _>(ids).load(conn).await?)
}

/// Entities whose folded name starts with (or, failing that, contains a word starting with) the
/// prefix, for the suggest service: reference and confirmed actors first, then by name.
pub async fn suggest(conn: &mut AsyncPgConnection, prefix: &str, offset: i64, limit: i64) -> Result<Vec<ActorRow>> {
    let folded = fold(prefix);
    if folded.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS}, word_similarity($1, reconcile_fold(a.name))::real AS trigram FROM actors a {JOINS} \
         WHERE a.status <> 'rejected' AND a.unlisted_since IS NULL \
           AND ($1 <% reconcile_fold(a.name) OR reconcile_fold(a.name) LIKE $3 OR a.ags = $2) \
         ORDER BY (reconcile_fold(a.name) LIKE $3) DESC, word_similarity($1, reconcile_fold(a.name)) DESC, \
           length(a.name), a.id \
         OFFSET $4 LIMIT $5"
    );
    let like = format!("{}%", folded.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(&folded)
        .bind::<Text, _>(prefix.trim())
        .bind::<Text, _>(&like)
        .bind::<BigInt, _>(offset)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_to_one_key() {
        // (written, key, hint)
        let table: &[(&str, &str, Option<KindHint>)] = &[
            ("Wilsdruff, Stadt", "wilsdruff", None),
            ("Wilsdruff", "wilsdruff", None),
            ("Stadt Wilsdruff", "wilsdruff", Some(KindHint::Municipality)),
            ("der Stadt Wilsdruff", "wilsdruff", Some(KindHint::Municipality)),
            ("Landkreis Görlitz", "goerlitz", Some(KindHint::RuralDistrict)),
            ("des Landkreises Görlitz", "goerlitz", Some(KindHint::RuralDistrict)),
            ("im Landkreis Görlitz", "goerlitz", Some(KindHint::RuralDistrict)),
            ("Kreis Steinfurt", "steinfurt", Some(KindHint::RuralDistrict)),
            ("Görlitz, Stadt", "goerlitz", None),
            ("Muenchen", "muenchen", None),
            ("München, Landeshauptstadt", "muenchen", None),
            ("Landeshauptstadt München", "muenchen", Some(KindHint::Municipality)),
            ("Große Kreisstadt Freital", "freital", Some(KindHint::Municipality)),
            ("Markt Berchtesgaden", "berchtesgaden", Some(KindHint::Municipality)),
            ("Töging a.Inn, St", "toeging inn", None),
            ("Töging am Inn", "toeging inn", None),
            ("Neustadt a.d.Donau, St", "neustadt donau", None),
            ("Neustadt an der Donau", "neustadt donau", None),
            ("Frankfurt (Oder), Stadt", "frankfurt oder", None),
            ("Frankfurt an der Oder", "frankfurt oder", None),
            ("Bad Homburg v. d. Höhe, Stadt", "bad homburg hoehe", None),
            ("Bad Homburg vor der Höhe", "bad homburg hoehe", None),
            ("St. Blasien, Stadt", "sankt blasien", None),
            ("Sankt Blasien", "sankt blasien", None),
            ("Rothenburg ob der Tauber, GKSt", "rothenburg tauber", None),
            ("Neustadt/Vogtl.", "neustadt vogtl", None),
            ("Hann. Münden, Stadt", "hann muenden", None),
            ("Region Hannover", "region hannover", None),
            ("Rhein-Kreis Neuss", "rhein kreis neuss", None),
            // a designation alone is a name, not a prefix
            ("Stadt", "stadt", None),
            ("", "", None),
        ];
        for (written, key, hint) in table {
            let k = NameKey::of(written);
            assert_eq!((k.key.as_str(), k.hint), (*key, *hint), "{written}");
        }
    }

    #[test]
    fn base_names_drop_the_qualifier() {
        let table: &[(&str, &str)] = &[
            ("Neustadt (Hessen), Stadt", "neustadt"),
            ("Neustadt an der Weinstraße, Stadt", "neustadt"),
            ("Neustadt/ Westerwald", "neustadt"),
            ("Neustadt b.Coburg, GKSt", "neustadt"),
            ("Halle (Saale), Stadt", "halle"),
            ("Bad Homburg v. d. Höhe, Stadt", "bad homburg"),
            ("St. Georgen im Schwarzwald, Stadt", "sankt georgen"),
            ("Wilsdruff, Stadt", "wilsdruff"),
        ];
        for (written, base) in table {
            assert_eq!(NameKey::of(written).base, *base, "{written}");
        }
    }

    #[test]
    fn genitives_and_folding() {
        assert_eq!(NameKey::of("Leipzigs").without_genitive().as_deref(), Some("leipzig"));
        assert_eq!(NameKey::of("Markt Wald").literal, "markt wald");
        assert_eq!(NameKey::of("Neustadt/ Westerwald").literal, NameKey::of("Neustadt/Westerwald").literal);
        assert_eq!(NameKey::of("Leipzig").without_genitive(), None);
        assert_eq!(fold("GROẞENHAIN, Große Kreisstadt"), "grossenhain");
        assert_eq!(fold("Ärzen, Flecken"), "aerzen");
        assert_eq!(
            fold("Ministerium des Inneren, für Digitalisierung und Kommunen"),
            "ministerium des inneren, fuer digitalisierung und kommunen"
        );
        assert!(similarity("wilsdruff", "wilsdurff") > 0.7);
        assert_eq!(similarity("", ""), 1.0);
        assert!(similarity("köln", "") < 0.01);
    }
}
