//! Relations read from sentences, each with the sentence as evidence. The rules are patterns of
//! German administrative language, not of particular documents:
//!
//! - `party_to` / `signed`: a sentence naming an agreement and a verb of agreeing or signing
//!   (unterzeichnet, vereinbart, verabschiedet, geschlossen, Unterschrift, Gründung); a sentence
//!   that signs without naming ("setzten ihre Unterschrift unter das Dokument") refers to the last
//!   agreement named; when the agreement's sentence names no party, the sentence before it does
//!   ("Land und Verbände haben sich verständigt. Mit der Rahmenvereinbarung ...").
//!   The Länder as one party (group "Länder"): "die 16 Länder", "Bund und Länder", "Länder und
//!   Kommunen" in a sentence of agreeing.
//! - `member_of` with a role: Vorsitz (chair), stellvertretende Vorsitzende (deputy_chair),
//!   Gaststatus (guest), Vertreter ... besetzt / setzt sich zusammen (member); the body is the one
//!   named in the sentence or, for "das Gremium", the last one named.
//! - `leads`: "unter (der) Federführung des/der/von X": X (or the Land's government for "des
//!   Landes") leads the project the sentence is about; else Federführung for a Themenfeld or
//!   project, by the state or government named.
//! - `operates`: "das bei der SAKD angesiedelte Projekt X", "Plattform des Freistaates, dem X",
//!   betreibt / Betreiber, the subject's own project by a possessive that agrees with its article
//!   ("Der Freistaat stellt ... seines „X“ bereit"); `located_in` for a body "angesiedelt/verortet/beheimatet bei" an
//!   organisation.
//! - `renews`: an agreement that "erneuert" an earlier one of the same head.
//! - `holds_position` comes from [`super::discovery`], where titles are read.

use std::sync::LazyLock;

use govgraph_shared::analysis::{EntityType, FoundRelation};
use govgraph_shared::vocab::{Predicate, Role};
use regex::Regex;

static RELATIVE_CLAUSE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r",\s+(?:die|der|das|welche)\s").expect("a valid pattern"));
/// The participles of being hosted by an organisation: "bei X angesiedelt", "beim X verortet",
/// "bei X beheimatet" (inflected as attributes: "das beim X verortete Projekt").
static HOSTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:angesiedelt|verortet|beheimatet)").expect("a valid pattern"));
/// The Länder as one party: with an article, "alle" or their number ("die Länder", "allen 16
/// Ländern"), or coordinated with the Bund or the Kommunen ("Bund und Länder", "Länder und
/// Kommunen"); never a hyphenated compound ("EU-Länder") or a bare plural ("andere Länder").
static LAENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s(])(?:(?:[Dd]ie|[Dd]en|[Aa]lle|[Aa]llen|[Ss]ämtliche|[Ss]ämtlichen)\s+(?:(?:16|sechzehn)\s+)?|(?:16|sechzehn)\s+|Bund\s+und\s+)(Länder|Ländern)\b(?:[^-]|$)|(?:^|[\s(])(Länder|Ländern)\s+und\s+(?:der\s+)?(?:Bund|Kommunen)\b",
    )
    .expect("a valid pattern")
});
static BEI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)bei(?:m| der| dem| den)?\s").expect("a valid pattern"));

use super::agreements::{LEXICON, has_stem};
use super::analysis::Doc;
use super::bodies::{LEXICON as body_lexicon_data, owned_bodies, roles_in};

fn body_lexicon() -> &'static super::bodies::Lexicon {
    &body_lexicon_data
}

fn is_party(doc: &Doc, e: usize) -> bool {
    let x = &doc.entities[e];
    x.entity_type == EntityType::Actor && !matches!(x.kind.as_str(), "person" | "body") && complete_name(&x.name)
}

/// A name that ends in an article, preposition or conjunction ("Zweckverband der") is cut, never
/// a node of a relation.
pub(crate) fn complete_name(name: &str) -> bool {
    let last = name.split_whitespace().last().unwrap_or_default();
    !matches!(
        last,
        "der"
            | "die"
            | "das"
            | "des"
            | "dem"
            | "den"
            | "für"
            | "von"
            | "vom"
            | "zur"
            | "zum"
            | "im"
            | "in"
            | "und"
            | "oder"
            | "mit"
            | "bei"
            | "über"
            | "auf"
            | "an"
            | "am"
            | "sowie"
            | "eines"
            | "einer"
            | "ein"
            | "eine"
    )
}

/// An organisation named as the owner of another noun ("in den Gremien der Landesregierung",
/// "Dezernent X vom Kreis Y") is not itself a member; the representatives of one are ("mit
/// Vertretern der Landesregierung").
fn owner_only(doc: &Doc, start: usize) -> bool {
    let before = doc.text[..start].trim_end();
    if before.ends_with(" vom") || before.ends_with(" von der") || before.ends_with(" von dem") {
        return true;
    }
    let Some(head) = before.strip_suffix(" der").or_else(|| before.strip_suffix(" des")) else { return false };
    let noun = head.rsplit(|c: char| c.is_whitespace()).next().unwrap_or_default();
    let representative =
        ["Vertreter", "Mitglied", "Vorsitzend", "Leiter", "Spitze", "Seite"].iter().any(|r| noun.starts_with(r));
    noun.chars().next().is_some_and(char::is_uppercase) && !representative && !noun.ends_with(',')
}

/// The Länder a sentence (`start..end` of the text) names as parties: a Land's name, with or
/// without its article, not inside a longer name, after "zwischen" or joined by "und" to another
/// party ("das Saarland und der Zweckverband X", "zwischen Hamburg und Bremen").
fn lands_as_parties(doc: &Doc, start: usize, end: usize) -> Vec<String> {
    let text = &doc.text[start..end];
    let mut out = Vec::new();
    for (code, name) in doc.state_names.iter().filter(|(c, _)| c != "DE") {
        for (at, _) in text.match_indices(name.as_str()) {
            let (a, b) = (start + at, start + at + name.len());
            // a whole word, not a longer name ("Landkreistag Saarland") nor a place ("in Hessen")
            let whole = !doc.text[..a].ends_with(|c: char| c.is_alphanumeric() || c == '-')
                && !doc.text[b..].starts_with(|c: char| c.is_alphanumeric() || c == '-');
            if !whole || doc.covered(a, b).is_some() || as_location(doc, a) {
                continue;
            }
            let before = doc.text[start..a].trim_end();
            let before = ["dem", "das", "der", "Das", "Dem"]
                .iter()
                .find_map(|d| before.strip_suffix(d))
                .map_or(before, str::trim_end);
            let after = doc.text[b..end].trim_start();
            let between = before.ends_with("zwischen") || before.ends_with("Zwischen");
            let joined = before.ends_with(" und") || after.starts_with("und ") || after.starts_with("sowie ");
            if (between || joined) && !out.contains(code) {
                out.push(code.clone());
            }
        }
    }
    out
}

/// A place named only as where something happened ("in Magdeburg") is no party.
fn as_location(doc: &Doc, start: usize) -> bool {
    let before = doc.text[..start].trim_end();
    ["in", "nach", "aus", "In"].iter().any(|p| before.ends_with(&format!(" {p}")) || before == *p)
}

/// A place named as the dateline of a text ("Saarbrücken – Das Land ...", "Kiel, 3. Mai") is
/// where it was written, not a party.
fn as_dateline(doc: &Doc, start: usize, end: usize) -> bool {
    let line_start = doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
    doc.text[line_start..start].trim().is_empty()
        && doc.text[end..].trim_start_matches(' ').starts_with(['–', '-', '—', '(', ','])
}

/// Whether a sentence agrees (a verb or noun of concluding) or signs (of signing), after the
/// lexicon `shared/data/lexicon/agreements.toml`.
fn is_agreeing(text: &str) -> bool {
    let v = &LEXICON.verbs;
    has_stem(text, &v.concluding) || has_stem(text, &v.signing)
}

fn is_signing(text: &str) -> bool {
    has_stem(text, &LEXICON.verbs.signing)
}

/// Where the agent of a passive of concluding starts ("wurde am 3. Mai vom Minister ...
/// unterzeichnet"): after "von", "vom" or "durch", when the sentence has such a participle.
fn passive_agent_at(text: &str) -> Option<usize> {
    let participle =
        LEXICON.verbs.participles.iter().any(|p| text.split(|c: char| !c.is_alphanumeric()).any(|w| w == p));
    let passive = text.split_whitespace().any(|w| matches!(w, "wurde" | "wurden" | "worden" | "ist" | "sind" | "war"));
    if !(participle && passive) {
        return None;
    }
    AGENT.find(text).map(|m| m.end())
}

/// The phrase of those present at a signing ("Im Beisein der Staatssekretärin X und des
/// Präsidenten Y unterzeichneten ..."): from the cue to the signing verb or the end of the
/// clause, in bytes of `text`.
fn witness_span(text: &str) -> Option<(usize, usize)> {
    let cue = WITNESS.find(text)?;
    let rest = &text[cue.end()..];
    let verb_at = rest
        .split_inclusive(char::is_whitespace)
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len();
            Some((at, w))
        })
        .find(|(_, w)| has_stem(w, &LEXICON.verbs.signing) || has_stem(w, &LEXICON.verbs.concluding))
        .map_or(rest.len(), |(at, _)| at);
    Some((cue.start(), cue.end() + verb_at))
}

static WITNESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:im\s+Beisein|in\s+(?:Anwesenheit|Gegenwart)|unter\s+(?:Anwesenheit|Teilnahme))\s+(?:von|der|des|dem|den)?")
        .expect("a valid pattern")
});

/// An agreement that refers to what the sentence before says ("eine entsprechende Vereinbarung").
static REFERS_BACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[Ee]ntsprechenden?\s|\b[Ee]ntsprechender?\s").expect("a valid pattern"));
/// Verbs and nouns of working together ("wollen enger zusammenarbeiten", "kooperieren").
static COOPERATING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"zusammen(?:zu)?arbeit|[Zz]usammenarbeit|kooperier|[Kk]ooperation\b").expect("a valid pattern")
});

static AGENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s(?:von|vom|durch)\s").expect("a valid pattern"));

/// Who is party for an actor named with an agreement: a ministry acts for its Land's government;
/// the group of a Land's kommunale Spitzenverbände is also each of its associations the text
/// names.
fn parties_for(doc: &mut Doc, actor: usize) -> Vec<usize> {
    let e = &doc.entities[actor];
    match e.kind.as_str() {
        "ministry" => {
            let Some(state) = e.state.clone().filter(|s| s != "DE") else { return vec![actor] };
            doc.reference("government", &state, None).map_or_else(|| vec![actor], |g| vec![g])
        }
        "group" if e.name.starts_with("Kommunale Spitzenverbände") => {
            let state = e.state.clone();
            let mut out = vec![actor];
            let mut named: Vec<usize> = doc
                .mentions
                .iter()
                .map(|m| m.0)
                .filter(|i| doc.entities[*i].kind == "municipal_association" && doc.entities[*i].state == state)
                .collect();
            named.sort();
            named.dedup();
            out.extend(named);
            out
        }
        _ => vec![actor],
    }
}

pub fn run(doc: &mut Doc) {
    // bodies of an organisation are read once every organisation is known
    owned_bodies(doc);
    let sentences = doc.sentences.clone();
    let mut last_agreement: Option<usize> = None;
    for (k, &(s, e)) in sentences.iter().enumerate() {
        let text = &doc.text[s..e];
        let mentions = doc.mentions_in(s, e);
        let of_type = |doc: &Doc, t: EntityType| -> Vec<usize> {
            let mut v: Vec<usize> =
                mentions.iter().map(|m| m.0).filter(|i| doc.entities[*i].entity_type == t).collect();
            v.dedup();
            v
        };
        let agreements = of_type(doc, EntityType::Agreement);
        let bodies: Vec<usize> = mentions.iter().map(|m| m.0).filter(|i| doc.entities[*i].kind == "body").collect();
        let evidence = doc.span_bytes((s, e));
        let signing = is_signing(text);
        let agreeing = is_agreeing(text);

        // party_to / signed
        let targets: Vec<usize> = if !agreements.is_empty() {
            agreements.clone()
        } else if signing {
            last_agreement.into_iter().collect()
        } else {
            Vec::new()
        };
        if agreeing || signing || !agreements.is_empty() {
            // who is only present ("im Beisein der Ministerin X unterzeichneten ...") is no party
            // and signs nothing
            let witnessed = witness_span(text).map(|(a, b)| (s + a, s + b));
            let present = |m: &(usize, usize, usize)| witnessed.is_some_and(|(a, b)| m.1 >= a && m.2 <= b);
            let mut parties: Vec<usize> = mentions
                .iter()
                .filter(|m| is_party(doc, m.0) && !as_location(doc, m.1) && !as_dateline(doc, m.1, m.2) && !present(m))
                .map(|m| m.0)
                .collect();
            let persons: Vec<usize> =
                mentions.iter().filter(|m| doc.entities[m.0].kind == "person" && !present(m)).map(|m| m.0).collect();
            // the organisations of the persons who sign
            if signing {
                for p in &persons {
                    let orgs: Vec<usize> = doc
                        .relations
                        .iter()
                        .filter(|r| r.subject == *p && r.predicate == Predicate::HoldsPosition)
                        .map(|r| r.object)
                        .collect();
                    parties.extend(orgs);
                }
            }
            let mut agreeing = agreeing;
            if parties.is_empty() && k > 0 && !agreements.is_empty() {
                let (ps, pe) = sentences[k - 1];
                let previous = &doc.text[ps..pe];
                // only a sentence that agrees without naming what or signing anything
                let names_agreement =
                    doc.mentions_in(ps, pe).iter().any(|m| doc.entities[m.0].entity_type == EntityType::Agreement);
                let signs = is_signing(previous);
                if is_agreeing(previous) && !names_agreement && !signs {
                    agreeing = true;
                    parties = doc
                        .mentions_in(ps, pe)
                        .iter()
                        .filter(|m| is_party(doc, m.0) && !as_location(doc, m.1))
                        .map(|m| m.0)
                        .collect();
                }
            }
            // "Eine entsprechende Vereinbarung wurde unterzeichnet" after "X und Y wollen
            // zusammenarbeiten": the actors of the sentence before are its parties
            if k > 0 && !agreements.is_empty() && REFERS_BACK.is_match(text) {
                let (ps, pe) = sentences[k - 1];
                let previous = &doc.text[ps..pe];
                let names_agreement =
                    doc.mentions_in(ps, pe).iter().any(|m| doc.entities[m.0].entity_type == EntityType::Agreement);
                if !names_agreement && (is_agreeing(previous) || COOPERATING.is_match(previous)) {
                    parties.extend(
                        doc.mentions_in(ps, pe)
                            .iter()
                            .filter(|m| is_party(doc, m.0) && !as_location(doc, m.1) && !as_dateline(doc, m.1, m.2))
                            .map(|m| m.0),
                    );
                    for code in lands_as_parties(doc, ps, pe) {
                        if let Some(g) = doc.reference("government", &code, None) {
                            parties.push(g);
                        }
                    }
                }
            }
            // a Land named as a party ("zwischen dem Saarland und dem Zweckverband X", "Hamburg
            // und Schleswig-Holstein unterzeichnen"): its government
            if !targets.is_empty() && (agreeing || signing) {
                for code in lands_as_parties(doc, s, e) {
                    if let Some(g) = doc.reference("government", &code, None) {
                        parties.push(g);
                    }
                }
            }
            let agents: Vec<usize> = passive_agent_at(text)
                .map(|at| {
                    mentions
                        .iter()
                        .filter(|m| m.1 >= s + at && doc.entities[m.0].kind == "person")
                        .map(|m| m.0)
                        .collect()
                })
                .unwrap_or_default();
            let mut parties: Vec<usize> = parties.into_iter().flat_map(|p| parties_for(doc, p)).collect();
            // the Länder as a group: "die 16 Länder haben unterschrieben", "Bund und Länder schließen"
            if (agreeing || signing)
                && !targets.is_empty()
                && text.contains("Länder")
                && let Some(word) = LAENDER.captures(text).and_then(|c| c.get(1).or_else(|| c.get(2)))
            {
                let group = super::discovery::candidate(
                    "Länder",
                    EntityType::Actor,
                    "group",
                    Some("DE".to_owned()),
                    "pattern:group",
                );
                let g = doc.entity(group);
                // regex match offsets on `text`, a slice of `doc.text` at `s`: char boundaries
                doc.mention(g, s + word.start(), s + word.end());
                parties.push(g);
            }
            parties.sort();
            parties.dedup();
            for &a in &targets {
                // a founding's parties are those who agree on it, not the company it founds
                let founded = doc.entities[a].name.strip_prefix("Gründung der ").map(str::to_owned);
                if !(agreeing || signing) {
                    continue;
                }
                for &p in &parties {
                    if founded.as_deref() == Some(doc.entities[p].name.as_str()) {
                        continue;
                    }
                    doc.relation(rel(p, Predicate::PartyTo, a, None, &evidence, "pattern:agreement-party", 0.7));
                }
                if signing {
                    for &p in &persons {
                        doc.relation(rel(
                            p,
                            Predicate::Signed,
                            a,
                            None,
                            &evidence,
                            "pattern:agreement-signature",
                            0.75,
                        ));
                    }
                }
                // "wurde vom Minister X und den Verbänden fortgeschrieben": the agents of a passive
                for &p in &agents {
                    doc.relation(rel(p, Predicate::Signed, a, None, &evidence, "pattern:agreement-agent", 0.65));
                }
            }
        }
        // renews: "erneuert" with an agreement named now and an earlier one of the same kind
        if has_stem(text, &LEXICON.verbs.renewing) {
            renewals(doc, &evidence);
        }

        // member_of with a role (the cues are data: shared/data/lexicon/bodies.toml)
        let roles = roles_in(text);
        // "das Gremium", "der Rat", "wurden gewählt", or a role without a body named: the body the
        // text is about, the one named most so far
        let salient = || {
            let mut counts: Vec<(usize, usize, usize)> = Vec::new();
            for m in doc.mentions.iter().filter(|m| m.1 < s && doc.entities[m.0].kind == "body") {
                match counts.iter_mut().find(|c| c.0 == m.0) {
                    Some(c) => {
                        c.1 += 1;
                        c.2 = c.2.max(m.1);
                    }
                    None => counts.push((m.0, 1, m.1)),
                }
            }
            counts.into_iter().max_by_key(|c| (c.1, c.2)).map(|c| c.0)
        };
        let anaphor = text.contains("gewählt")
            || text
                .split(|c: char| !c.is_alphanumeric() && c != '-')
                .any(|w| body_lexicon().anaphora.iter().any(|a| a == w));
        let body =
            if bodies.is_empty() && (anaphor || !roles.is_empty()) { salient() } else { bodies.first().copied() };
        // "bittet seine Mitglieder, ...": the body's members in general, none named in the phrase
        let generic = roles.first().is_some_and(|&(role, at)| role == Role::Member && generic_members(text, at));
        if let Some(b) = body
            && let Some(&(role, cue_at)) = roles.first()
            && !generic
        {
            let keyword_at = s + cue_at;
            let clean = |doc: &Doc, m: &(usize, usize, usize)| {
                !bodies.contains(&m.0) && !as_location(doc, m.1) && !as_dateline(doc, m.1, m.2) && !owner_only(doc, m.1)
            };
            // who is only present ("im Beisein der Ministerin X unterzeichneten ...") signs nothing
            let witnessed = witness_span(text).map(|(a, b)| (s + a, s + b));
            let present = |m: &(usize, usize, usize)| witnessed.is_some_and(|(a, b)| m.1 >= a && m.2 <= b);
            let persons: Vec<usize> =
                mentions.iter().filter(|m| doc.entities[m.0].kind == "person" && !present(m)).map(|m| m.0).collect();
            let organisations: Vec<usize> =
                mentions.iter().filter(|m| is_party(doc, m.0) && clean(doc, m)).map(|m| m.0).collect();
            let mut found: Vec<(usize, Role)> = Vec::new();
            match role {
                Role::Chair | Role::DeputyChair => {
                    found.extend(persons.iter().map(|p| (*p, role)));
                    // "Unter Leitung des CIO, X, sind im Rat die Ministerien ... vertreten"
                    if roles.iter().any(|r| r.0 == Role::Member) {
                        found.extend(organisations.iter().map(|o| (*o, Role::Member)));
                    }
                }
                // guests are named with "mit Gaststatus", "beratend": before or after the cue
                Role::Guest => {
                    found.extend(organisations.iter().map(|o| (*o, Role::Guest)));
                    found.extend(persons.iter().map(|p| (*p, Role::Guest)));
                }
                _ => {
                    found.extend(organisations.iter().map(|o| (*o, Role::Member)));
                    // a person named as a member ("hat X als Mitglied in den Rat berufen")
                    if text.to_lowercase().contains("mitglied") || text.contains("berufen") {
                        found.extend(persons.iter().map(|p| (*p, Role::Member)));
                    }
                }
            }
            // guests sit in the bodies of their clause, not in those a relative clause names
            let clause_end =
                RELATIVE_CLAUSE.find(&doc.text[keyword_at..e]).map(|m| keyword_at + m.start()).unwrap_or(e);
            let targets: Vec<usize> = if role == Role::Guest && !bodies.is_empty() {
                let t: Vec<usize> =
                    mentions.iter().filter(|m| bodies.contains(&m.0) && m.1 < clause_end).map(|m| m.0).collect();
                if t.is_empty() { vec![b] } else { t }
            } else {
                vec![b]
            };
            for (m, role) in found {
                for &t in &targets {
                    doc.relation(rel(m, Predicate::MemberOf, t, Some(role), &evidence, "pattern:body-role", 0.7));
                }
            }
        }

        // leads: "unter (der) Federführung des X" names the leader right after the cue
        let named_leads = led_by_named(doc, s, e, &mentions, &evidence);
        // leads: Federführung
        if let Some(at) = text.find("Federführung").or_else(|| text.find("federführend"))
            && !named_leads
        {
            // what is led is named after "Federführung für"; a Themenfeld first
            let after: Vec<usize> = mentions
                .iter()
                .filter(|m| m.1 > s + at && doc.entities[m.0].entity_type == EntityType::Project)
                .map(|m| m.0)
                .collect();
            let themen: Vec<usize> =
                after.iter().copied().filter(|p| doc.entities[*p].kind == "ozg_themenfeld").collect();
            let projects: Vec<usize> = if themen.is_empty() { after.into_iter().take(1).collect() } else { themen };
            let leader = mentions.iter().find(|m| doc.entities[m.0].kind == "government").map(|m| m.0).or_else(|| {
                let code = doc.state_marks_in(s, e).into_iter().find(|c| c != "DE")?;
                doc.reference("government", &code, None)
            });
            if let Some(l) = leader {
                for p in projects {
                    doc.relation(rel(l, Predicate::Leads, p, None, &evidence, "pattern:lead", 0.75));
                }
            }
        }

        // operates / located_in: "angesiedelt bei", "des Freistaates, dem „X“", betreibt
        operates(doc, s, e, &mentions, &evidence);
        // operates: "Der Freistaat stellt ... seines Portals X zur Verfügung"
        own_projects(doc, s, e, &mentions, &evidence);

        if let Some(a) = agreements.last() {
            last_agreement = Some(*a);
        }
    }
}

/// "unter (der) Federführung des/der/von X": the leader is the organisation named right after the
/// cue ("des Landes", "des Freistaates" is the Land's government). What is led is the project the
/// sentence is about: the first one named before the first cue ("Das Projekt X wird unter
/// Federführung des Y umgesetzt"), else the first one named after the leader ("Unter Federführung
/// des Y entsteht das Portal X"). Whether a relation was found.
static LED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[Uu]nter\s+(?:der\s+)?)?Federführung\s+(?:des|der|von|vom|durch\s+den|durch\s+die)\s+")
        .expect("a valid pattern")
});
static LAND_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Landes|Freistaates|Freistaats|Senats|Landesregierung)\b").expect("a valid pattern")
});

fn led_by_named(
    doc: &mut Doc,
    s: usize,
    e: usize,
    mentions: &[(usize, usize, usize)],
    evidence: &govgraph_shared::analysis::Span,
) -> bool {
    let text = &doc.text[s..e];
    // a literal check first: most sentences name no Federführung
    if !text.contains("Federführung") {
        return false;
    }
    let cues: Vec<(usize, usize)> = LED_BY.find_iter(text).map(|m| (s + m.start(), s + m.end())).collect();
    let Some(&(first_cue, _)) = cues.first() else { return false };
    let projects: Vec<&(usize, usize, usize)> =
        mentions.iter().filter(|m| doc.entities[m.0].entity_type == EntityType::Project).collect();
    let subject = projects.iter().find(|m| m.1 < first_cue).map(|m| m.0);
    let mut found = false;
    for (_, at) in cues {
        // the organisation named at the cue's end, or the government of the Land named there
        let named = mentions.iter().filter(|m| m.1 == at && is_party(doc, m.0)).max_by_key(|m| m.2).map(|m| (m.0, m.2));
        let leader = named.or_else(|| {
            let w = LAND_WORD.find(&doc.text[at..e])?;
            let word_end = at + w.end();
            let near = doc.text[word_end..e].char_indices().nth(30).map_or(e, |(i, _)| word_end + i);
            let code = doc.state_marks_in(at, near).into_iter().find(|c| c != "DE").or_else(|| doc.state_at(at))?;
            let g = doc.reference("government", &code, None)?;
            Some((g, word_end))
        });
        let Some((l, leader_end)) = leader else { continue };
        let led = subject.or_else(|| projects.iter().find(|m| m.1 >= leader_end).map(|m| m.0));
        if let Some(p) = led
            && p != l
        {
            doc.relation(rel(l, Predicate::Leads, p, None, evidence, "pattern:lead-named", 0.7));
            found = true;
        }
    }
    found
}

/// A possessive right before a project's name ("seines „X“", "ihr neues X") whose
/// owner is the subject that opens the sentence, agreeing in gender: "Der/Das ... sein-",
/// "Die ... ihr-" ("Der Bund unterstützt die Länder bei ihrem Projekt X" names no owner).
static POSSESSIVE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|\s)([Ss]ein|[Ii]hr)(?:e|es|em|en|er)?\s+(?:\p{Ll}\p{L}*\s+)?[„"»]?$"#).expect("a valid pattern")
});
static SUBJECT_ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(Der|Das|Die)\s+$").expect("a valid pattern"));

fn own_projects(
    doc: &mut Doc,
    s: usize,
    e: usize,
    mentions: &[(usize, usize, usize)],
    evidence: &govgraph_shared::analysis::Span,
) {
    // the subject: an organisation right after the sentence's first article
    if !mentions.iter().any(|m| doc.entities[m.0].entity_type == EntityType::Project) {
        return;
    }
    let Some(subject) = mentions.iter().find(|m| is_party(doc, m.0)) else { return };
    let Some(article) = SUBJECT_ARTICLE.captures(&doc.text[s..subject.1]).and_then(|c| c.get(1)) else {
        return;
    };
    let want = if article.as_str() == "Die" { "ihr" } else { "sein" };
    let owned: Vec<usize> = mentions
        .iter()
        .filter(|m| m.1 > subject.2 && m.2 <= e && doc.entities[m.0].entity_type == EntityType::Project)
        .filter(|m| {
            POSSESSIVE_BEFORE
                .captures(&doc.text[subject.2..m.1])
                .and_then(|c| c.get(1))
                .is_some_and(|p| p.as_str().to_lowercase() == want)
        })
        .map(|m| m.0)
        .collect();
    for p in owned {
        doc.relation(rel(subject.0, Predicate::Operates, p, None, evidence, "pattern:possessive", 0.6));
    }
}

/// A possessive before the membership cue ("seine Mitglieder", "ihren Mitgliedern") that is not
/// then listed ("Seine Mitglieder sind ...", "Ihre Mitglieder: ...") speaks of the members in
/// general.
static POSSESSIVE_MEMBERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?:[Ss]ein|[Ii]hr|[Dd]essen|[Dd]eren|[Uu]nser)(?:e|en|em|er|es)?\s+(?:\p{Ll}+\s+)?$")
        .expect("a valid pattern")
});
static MEMBERS_LISTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{L}*\s*(?::|sind\b|waren\b|gehören\b|zählen\b)").expect("a valid pattern"));

fn generic_members(sentence: &str, cue_at: usize) -> bool {
    // `cue_at` is a regex match offset on `sentence`: a char boundary
    let (before, after) = sentence.split_at(cue_at);
    POSSESSIVE_MEMBERS.is_match(before) && !MEMBERS_LISTED.is_match(after)
}

fn operates(
    doc: &mut Doc,
    s: usize,
    e: usize,
    mentions: &[(usize, usize, usize)],
    evidence: &govgraph_shared::analysis::Span,
) {
    let text = &doc.text[s..e];
    let projects: Vec<&(usize, usize, usize)> =
        mentions.iter().filter(|m| doc.entities[m.0].entity_type == EntityType::Project).collect();
    let bodies: Vec<&(usize, usize, usize)> = mentions.iter().filter(|m| doc.entities[m.0].kind == "body").collect();
    let hosted = ["angesiedelt", "verortet", "beheimatet"].iter().any(|w| text.contains(w));
    if let Some(p) = hosted.then(|| HOSTED.find(text)).flatten().map(|m| m.start()) {
        let at = s + p;
        // "bei der SAKD angesiedelte Projekt", "angesiedelt bei der SAKD"
        let near = Some(&*BEI);
        let hosts: Vec<usize> = near
            .iter()
            .flat_map(|r| r.find_iter(&doc.text[s..e]))
            .map(|m| s + m.end())
            .filter(|b| b.abs_diff(at) < 60)
            .collect();
        let host = mentions.iter().filter(|m| is_party(doc, m.0) && hosts.contains(&m.1)).map(|m| m.0).next();
        if let Some(h) = host {
            let pos_host = mentions.iter().find(|m| m.0 == h).map(|m| m.1).unwrap_or(at);
            // the project or body nearest to the host that is named with it
            let nearest =
                |list: &[&(usize, usize, usize)]| list.iter().min_by_key(|m| m.1.abs_diff(pos_host)).map(|m| m.0);
            if let Some(p) = nearest(&projects) {
                doc.relation(rel(h, Predicate::Operates, p, None, evidence, "pattern:hosted", 0.7));
            } else if let Some(b) = nearest(&bodies) {
                doc.relation(rel(b, Predicate::LocatedIn, h, None, evidence, "pattern:hosted", 0.7));
            }
        }
    }
    let runs = ["betreibt", "betrieben", "Betreiber", "des Freistaates, de", "des Landes, de"]
        .iter()
        .any(|k| text.contains(k));
    if runs {
        let operator = mentions.iter().find(|m| is_party(doc, m.0)).map(|m| m.0).or_else(|| {
            let state =
                (text.contains("des Freistaates") || text.contains("des Landes")).then(|| doc.state_at(s)).flatten()?;
            doc.reference("government", &state, None)
        });
        if let Some(o) = operator {
            for p in &projects {
                doc.relation(rel(o, Predicate::Operates, p.0, None, evidence, "pattern:operator", 0.65));
            }
        }
    }
}

/// The agreement named in the title or first renews the earlier one of the same head.
fn renewals(doc: &mut Doc, evidence: &govgraph_shared::analysis::Span) {
    let agreements: Vec<usize> =
        (0..doc.entities.len()).filter(|i| doc.entities[*i].entity_type == EntityType::Agreement).collect();
    let year = |doc: &Doc, i: usize| {
        doc.entities[i].date.as_ref().and_then(|d| d.get(..4)).and_then(|y| y.parse::<i32>().ok())
    };
    let head = |doc: &Doc, i: usize| doc.entities[i].name.split_whitespace().next().unwrap_or_default().to_owned();
    for &new in &agreements {
        for &old in &agreements {
            let (Some(yn), Some(yo)) = (year(doc, new), year(doc, old)) else { continue };
            if yn > yo && head(doc, new) == head(doc, old) {
                doc.relation(rel(new, Predicate::Renews, old, None, evidence, "pattern:renewal", 0.6));
            }
        }
    }
}

fn rel(
    subject: usize,
    predicate: Predicate,
    object: usize,
    role: Option<Role>,
    evidence: &govgraph_shared::analysis::Span,
    method: &str,
    confidence: f32,
) -> FoundRelation {
    FoundRelation {
        subject,
        predicate,
        object,
        role,
        title: None,
        date: None,
        evidence: evidence.clone(),
        method: method.to_owned(),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::super::analysis::{Tagger, embedded};
    use govgraph_shared::analysis::EntityType;

    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| embedded().expect("the embedded tagger"));

    /// The relations of a text as (subject, predicate, object, role) names.
    fn relations(text: &str) -> Vec<(String, String, String, String)> {
        let a = TAGGER.tag("", text, None, None, None).analysis;
        a.relations
            .iter()
            .map(|r| {
                (
                    a.entities[r.subject].name.clone(),
                    r.predicate.as_str().to_owned(),
                    a.entities[r.object].name.clone(),
                    r.role.map(|x| x.as_str()).unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Whether a relation holds whose subject and object contain these words.
    fn holds(rels: &[(String, String, String, String)], subject: &str, predicate: &str, object: &str) -> bool {
        rels.iter().any(|r| r.0.contains(subject) && r.1 == predicate && r.2.contains(object))
    }

    #[test]
    fn parties_and_signatories_of_agreements() {
        // (text, subject, predicate, object, holds?)
        let rows: &[(&str, &str, &str, &str, bool)] = &[
            // active, named compound, parties as coordination
            (
                "Das Land Hessen und der Hessische Städtetag schließen einen Digitalpakt.",
                "Städtetag",
                "party_to",
                "Digitalpakt",
                true,
            ),
            // passive with agents: the person signs, the association is a party
            (
                "Der Kommunalpakt wurde am 4. Mai 2021 vom Finanzminister Uwe Brandt und dem Städte- und Gemeindebund Brandenburg fortgeschrieben.",
                "Uwe Brandt",
                "signed",
                "Kommunalpakt",
                true,
            ),
            (
                "Der Kommunalpakt wurde am 4. Mai 2021 vom Finanzminister Uwe Brandt und dem Städte- und Gemeindebund Brandenburg fortgeschrieben.",
                "Städte- und Gemeindebund Brandenburg",
                "party_to",
                "Kommunalpakt",
                true,
            ),
            // whole name with a tail, signed by a gendered title
            (
                "Innenministerin Petra Albers und der Hessische Landkreistag unterzeichneten am Dienstag die Kooperationsvereinbarung zur gemeinsamen Digitalisierung der Bauverwaltung.",
                "Petra Albers",
                "signed",
                "Kooperationsvereinbarung zur gemeinsamen Digitalisierung der Bauverwaltung",
                true,
            ),
            // a ministry acts for its Land's government
            (
                "Innenministerin Petra Albers und der Hessische Landkreistag unterzeichneten am Dienstag die Kooperationsvereinbarung zur gemeinsamen Digitalisierung der Bauverwaltung.",
                "Landesregierung",
                "party_to",
                "Kooperationsvereinbarung zur gemeinsamen Digitalisierung",
                true,
            ),
            (
                "Innenministerin Petra Albers und der Hessische Landkreistag unterzeichneten am Dienstag die Kooperationsvereinbarung zur gemeinsamen Digitalisierung der Bauverwaltung.",
                "Ministerium",
                "party_to",
                "Kooperationsvereinbarung",
                false,
            ),
            // a place as dateline is no party
            (
                "Wiesbaden – Der Hessische Städtetag und das Land haben den E-Government-Pakt unterzeichnet.",
                "Wiesbaden",
                "party_to",
                "E-Government-Pakt",
                false,
            ),
            // a signature that is only ready is none
            (
                "Der Hessische Städtetag legt einen unterschriftsreifen Kommunalpakt vor.",
                "Städtetag",
                "party_to",
                "Kommunalpakt",
                false,
            ),
            // plurals name no agreement
            (
                "Der Hessische Städtetag begrüßt Vereinbarungen dieser Art.",
                "Städtetag",
                "party_to",
                "Vereinbarung",
                false,
            ),
        ];
        for (text, s, p, o, want) in rows {
            let rels = relations(text);
            assert_eq!(holds(&rels, s, p, o), *want, "{text}: {s} {p} {o} in {rels:?}");
        }
    }

    #[test]
    fn a_land_named_as_a_party_is_its_government() {
        // (text, the government's Land, party?)
        let rows: &[(&str, &str, bool)] = &[
            (
                "Der neue Kommunalpakt zwischen dem Saarland und dem Landkreistag Saarland ist unterzeichnet.",
                "Saarland",
                true,
            ),
            ("Zwischen Niedersachsen und Bremen wurde der IT-Staatsvertrag geschlossen.", "Bremen", true),
            ("Zwischen Niedersachsen und Bremen wurde der IT-Staatsvertrag geschlossen.", "Niedersachsen", true),
            (
                "Mit dem Digitalpakt setzen das Saarland und der Zweckverband eGo-Saar ihre Partnerschaft fort, den sie am Montag unterzeichneten.",
                "Saarland",
                true,
            ),
            // a place, a longer name, a comparison: no party
            ("In Brandenburg wurde am Montag der Kommunalpakt unterzeichnet.", "Brandenburg", false),
            ("Der Städtetag Hessen unterzeichnete den Digitalpakt.", "Hessen", false),
        ];
        for (text, land, party) in rows {
            let rels = relations(text);
            let found = rels.iter().any(|r| {
                r.1 == "party_to" && (r.0.contains(land) || r.0.contains("Landesregierung")) && !r.0.contains("tag")
            });
            assert_eq!(found, *party, "{text}: {land}: {rels:?}");
        }
    }

    #[test]
    fn an_agreement_that_refers_back_has_the_parties_of_the_sentence_before() {
        // (text, party?, party)
        let rows: &[(&str, &str, bool)] = &[
            (
                "Sachsen und die Stadt Leipzig wollen bei der E-Akte enger zusammenarbeiten. Eine entsprechende Kooperationsvereinbarung wurde am Montag unterzeichnet.",
                "Leipzig",
                true,
            ),
            (
                "Sachsen und die Stadt Leipzig wollen bei der E-Akte enger zusammenarbeiten. Eine entsprechende Kooperationsvereinbarung wurde am Montag unterzeichnet.",
                "Sachsen",
                true,
            ),
            (
                "In Sachsen-Anhalt kooperieren der Landkreis Harz und der Landkreis Börde beim Bürgerservice. Den entsprechenden Vertrag unterschrieben beide Landräte am Freitag.",
                "Börde",
                true,
            ),
            // without a reference back, the sentence before is not read
            (
                "Die Stadt Leipzig wächst. Eine Kooperationsvereinbarung mit dem Landkreis Harz wurde am Montag unterzeichnet.",
                "Leipzig",
                false,
            ),
        ];
        for (text, party, want) in rows {
            let rels = relations(text);
            let found = rels.iter().any(|r| r.1 == "party_to" && r.0.contains(party));
            assert_eq!(found, *want, "{text}: {party}: {rels:?}");
        }
    }

    #[test]
    fn who_is_only_present_signs_nothing() {
        // (text, person, signed?)
        let rows: &[(&str, &str, bool)] = &[
            (
                "Im Beisein der Innenministerin Petra Beispiel unterzeichneten Landrat Jan Muster und Oberbürgermeisterin Eva Probe am Montag eine Kooperationsvereinbarung.",
                "Petra Beispiel",
                false,
            ),
            (
                "Im Beisein der Innenministerin Petra Beispiel unterzeichneten Landrat Jan Muster und Oberbürgermeisterin Eva Probe am Montag eine Kooperationsvereinbarung.",
                "Jan Muster",
                true,
            ),
            (
                "Landrat Jan Muster unterzeichnete in Anwesenheit von Staatssekretär Karl Probe den Kooperationsvertrag.",
                "Karl Probe",
                false,
            ),
            // nor is the organisation of one present
            (
                "Im Beisein des Präsidenten des Landkreistages Westmark, Otto Muster, unterzeichneten Landrat Jan Probe und Bürgermeisterin Eva Beispiel einen Kooperationsvertrag.",
                "Landkreistag",
                false,
            ),
            (
                "Landrat Jan Muster unterzeichnete in Anwesenheit von Staatssekretär Karl Probe den Kooperationsvertrag.",
                "Jan Muster",
                true,
            ),
        ];
        for (text, person, signed) in rows {
            let rels = relations(text);
            let found = rels.iter().any(|r| r.0.contains(person) && matches!(r.1.as_str(), "signed" | "party_to"));
            assert_eq!(found, *signed, "{text}: {person}: {rels:?}");
        }
    }

    /// The agreements of a text by name.
    fn agreements(text: &str) -> Vec<String> {
        let a = TAGGER.tag("", text, None, None, None).analysis;
        a.entities.iter().filter(|e| e.entity_type == EntityType::Agreement).map(|e| e.name.clone()).collect()
    }

    #[test]
    fn an_agreement_the_text_does_not_name_is_named_by_its_purpose_or_its_parties() {
        // (text, the one agreement's name contains all of these, a party of it)
        let rows: &[(&str, &[&str], &str)] = &[
            // active, two parties by their acronym or Land
            (
                "Das Land Brandenburg und der Zentrale IT-Dienstleister des Landes Brandenburg (ZIT-BB) haben eine Kooperationsvereinbarung unterzeichnet.",
                &["Kooperationsvereinbarung", "Land Brandenburg", "ZIT-BB"],
                "IT-Dienstleister",
            ),
            // persons sign for their organisations; the Land's minister for the Land
            (
                "Am Freitag unterzeichneten Innenministerin Petra Beispiel und der Präsident des Landkreistages Sachsen-Anhalt, Otto Muster, einen Kooperationsvertrag.",
                &["Kooperationsvertrag", "Sachsen-Anhalt", "Landkreistag"],
                "Landkreistag Sachsen-Anhalt",
            ),
            // the purpose after "als Grundlage für", the carrying out left out
            (
                "Der Hessische Städtetag und das Land Hessen schlossen eine Vereinbarung als Grundlage für die Umsetzung der Registermodernisierung in den Kommunen.",
                &["Vereinbarung zur Registermodernisierung in den Kommunen"],
                "Städtetag",
            ),
            // passive with agents, the Land's government alone: the Land's agreement
            (
                "Eine Absichtserklärung wurde am Montag vom Finanzminister des Landes Niedersachsen, Karl Probe, unterzeichnet.",
                &["Absichtserklärung", "Niedersachsen"],
                "Niedersachsen",
            ),
        ];
        for (text, words, party) in rows {
            let found = agreements(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(words.iter().all(|w| found[0].contains(w)), "{text}: {found:?}");
            assert!(holds(&relations(text), party, "party_to", &found[0]), "{text}: {:?}", relations(text));
        }
        // one agreement for a text's bare nouns of agreeing; none for a decision, one not signed,
        // or an earlier one
        let rows: &[(&str, usize)] = &[
            (
                "Mit der geschlossenen Vereinbarung einigen sich Land und Kommunen. Die Kooperationsvereinbarung wurde am Dienstag von Landrat Jan Muster unterzeichnet.",
                1,
            ),
            ("Der Beschluss wurde am Montag von den Ländern unterzeichnet.", 0),
            ("Eine Kooperationsvereinbarung soll im Herbst vorbereitet werden.", 0),
            ("Die erste Kooperationsvereinbarung hatten Land und Kreise schon 2015 unterzeichnet.", 0),
        ];
        for (text, n) in rows {
            assert_eq!(agreements(text).len(), *n, "{text}: {:?}", agreements(text));
        }
    }

    #[test]
    fn a_body_of_an_organisation_named_before_by_its_type() {
        // (text, the body's name, its organisation; None: no such body)
        let rows: &[(&str, Option<(&str, &str)>)] = &[
            (
                "Der Zweckverband Kommunale Informationsverarbeitung Oberland wächst. Die Verbandsversammlung des Zweckverbandes wählte am Montag einen neuen Vorstand.",
                Some((
                    "Verbandsversammlung des Zweckverbandes Kommunale Informationsverarbeitung Oberland",
                    "Oberland",
                )),
            ),
            (
                "Mit dem Zweckverband eKommunal Nordheide schloss der Kreis einen Vertrag, nachdem der Verwaltungsrat des Zweckverbands zugestimmt hatte.",
                Some(("Verwaltungsrat des Zweckverbands eKommunal Nordheide", "Nordheide")),
            ),
            // no organisation of that type named before
            ("Der Verwaltungsrat des Zweckverbandes tagte am Montag in Kassel.", None),
        ];
        for (text, want) in rows {
            let rels = relations(text);
            let found = rels.iter().find(|r| r.1 == "located_in" && r.0.contains("des Zweckverband"));
            match want {
                Some((body, owner)) => {
                    let r = found.unwrap_or_else(|| panic!("{text}: {rels:?}"));
                    assert_eq!(r.0, *body, "{text}");
                    assert!(r.2.contains(owner), "{text}: {rels:?}");
                }
                None => assert!(found.is_none(), "{text}: {rels:?}"),
            }
        }
    }

    #[test]
    fn members_of_bodies_with_their_roles() {
        // (text, subject, object, role or "" for none)
        let rows: &[(&str, &str, &str, &str)] = &[
            (
                "Den Vorsitz im IT-Kooperationsrat übernimmt Staatssekretärin Maria Lenz.",
                "Maria Lenz",
                "IT-Kooperationsrat",
                "chair",
            ),
            // the body named before, referred to as "dem Gremium"
            (
                "Der IT-Kooperationsrat tagte erstmals. Dem Gremium gehören Vertreter des Hessischen Landkreistages und des Hessischen Städtetages an.",
                "Landkreistag",
                "IT-Kooperationsrat",
                "member",
            ),
            (
                "Der IT-Kooperationsrat tagte erstmals. Die ekom21 nimmt beratend an den Sitzungen teil.",
                "ekom21",
                "IT-Kooperationsrat",
                "guest",
            ),
            (
                "Der IT-Kooperationsrat ist paritätisch mit Vertretern der Hessischen Landesregierung und des Hessischen Städtetages besetzt.",
                "Landesregierung",
                "IT-Kooperationsrat",
                "member",
            ),
            // an owner in the genitive is no member
            (
                "Die kommunalen Spitzenverbände sind mit Gaststatus in den Gremien der Hessischen Landesregierung (IT-Kooperationsrat) vertreten.",
                "Landesregierung",
                "IT-Kooperationsrat",
                "",
            ),
            // no role, no membership
            ("Der Hessische Städtetag kritisierte den IT-Kooperationsrat.", "Städtetag", "IT-Kooperationsrat", ""),
            // the body's members in general ("seine Mitglieder"): none named in the phrase
            (
                "Der IT-Kooperationsrat bittet seine Mitglieder, die Verwaltungen der Hessischen Landesregierung zu informieren.",
                "Landesregierung",
                "IT-Kooperationsrat",
                "",
            ),
            (
                "Mit dem Hessischen Städtetag will der IT-Kooperationsrat über seine neuen Mitglieder sprechen.",
                "Städtetag",
                "IT-Kooperationsrat",
                "",
            ),
            (
                "Der IT-Kooperationsrat forderte gestern ihre Mitglieder auf, mit dem Hessischen Landkreistag zu reden.",
                "Landkreistag",
                "IT-Kooperationsrat",
                "",
            ),
            // ... but a possessive followed by the list names them
            (
                "Der IT-Kooperationsrat tagte erstmals. Seine Mitglieder sind der Hessische Landkreistag und der Hessische Städtetag.",
                "Landkreistag",
                "IT-Kooperationsrat",
                "member",
            ),
            (
                "Der IT-Kooperationsrat tagte erstmals. Ihm gehören als Mitglieder der Hessische Städtetag und die Hessische Landesregierung an.",
                "Städtetag",
                "IT-Kooperationsrat",
                "member",
            ),
        ];
        for (text, s, o, role) in rows {
            let rels = relations(text);
            let found = rels.iter().find(|r| r.0.contains(s) && r.1 == "member_of" && r.2.contains(o));
            match *role {
                "" => assert!(found.is_none(), "{text}: {rels:?}"),
                r => assert_eq!(found.map(|f| f.3.as_str()), Some(r), "{text}: {rels:?}"),
            }
        }
    }

    #[test]
    fn bodies_of_an_organisation_and_complete_names() {
        let text = "Die Verbandsversammlung des Zweckverbandes eGo-Saar tagte in Saarbrücken.";
        let rels = relations(text);
        assert!(holds(&rels, "Verbandsversammlung des Zweckverbandes eGo-Saar", "located_in", "eGo-Saar"), "{rels:?}");
        for (name, ok) in [
            ("Zweckverband der", false),
            ("Zweckverband für", false),
            ("Stadt und", false),
            ("Landkreistag Saarland", true),
        ] {
            assert_eq!(super::complete_name(name), ok, "{name}");
        }
    }

    #[test]
    fn projects_and_bodies_hosted_by_an_organisation() {
        // (text, host, hosted, predicate, holds?)
        let rows: &[(&str, &str, &str, &str, bool)] = &[
            // relative clause, "beim ... verortet"
            (
                "Vorgestellt wurde das Projekt Bürgerkonto Niedersachsen, welches beim Niedersächsischen Landkreistag verortet ist.",
                "Landkreistag",
                "Bürgerkonto",
                "operates",
                true,
            ),
            // attribute before the name, inflected participle
            (
                "Das bei der AKDB verortete Projekt „Kommunalcloud“ geht in den Betrieb.",
                "AKDB",
                "Kommunalcloud",
                "operates",
                true,
            ),
            // "beheimatet", main clause
            (
                "Das Projekt „Rathaus Digital“ ist beim Hessischen Städtetag beheimatet.",
                "Städtetag",
                "Rathaus Digital",
                "operates",
                true,
            ),
            // the old cue still holds
            (
                "Das Projekt Serviceportal Saar ist beim Saarländischen Städte- und Gemeindetag angesiedelt.",
                "Gemeindetag",
                "Serviceportal Saar",
                "operates",
                true,
            ),
            // negative: a place is no host, nothing is hosted without the participle
            (
                "Das Projekt Kommunalcloud Bayern wurde beim Bayerischen Landkreistag vorgestellt.",
                "Landkreistag",
                "Kommunalcloud",
                "operates",
                false,
            ),
            (
                "Die Thüringer Landesregierung ist in Erfurt verortet; das Projekt Meldeportal Thüringen startet.",
                "Landesregierung",
                "Meldeportal",
                "operates",
                false,
            ),
        ];
        for (text, host, hosted, predicate, expected) in rows {
            let rels = relations(text);
            assert_eq!(holds(&rels, host, predicate, hosted), *expected, "{text}: {rels:?}");
        }
    }

    #[test]
    fn the_laender_as_a_party() {
        // (text, the Länder are party to the agreement?)
        let rows: &[(&str, bool)] = &[
            ("Zuvor hatten bereits alle 16 Länder den IT-Staatsvertrag unterzeichnet.", true),
            ("Bund und Länder haben den IT-Staatsvertrag unterschrieben.", true),
            ("Den IT-Staatsvertrag schließen die Länder mit dem Bund.", true),
            ("Der IT-Staatsvertrag wurde von den Ländern unterzeichnet.", true),
            ("Die Länder und der Bund unterzeichneten im Mai den IT-Staatsvertrag.", true),
            // negatives: no verb of agreeing, a compound, a bare plural
            ("Der IT-Staatsvertrag regelt die Zusammenarbeit der Länder.", false),
            ("Auch andere EU-Länder haben den IT-Staatsvertrag mit Interesse gelesen und unterzeichnet.", false),
            ("Mehrere Länder beobachten, wie der IT-Staatsvertrag unterzeichnet wurde.", false),
        ];
        for (text, expected) in rows {
            let rels = relations(text);
            let found = rels.iter().any(|r| r.0 == "Länder" && r.1 == "party_to" && r.2.contains("Staatsvertrag"));
            assert_eq!(found, *expected, "{text}: {rels:?}");
        }
    }

    #[test]
    fn leads_named_after_federfuehrung() {
        // (text, leader, led, holds?)
        let rows: &[(&str, &str, &str, bool)] = &[
            // the project is the subject, the leader after the cue; two cues, two leaders
            (
                "Das Projekt „Bauantrag Online“ wird unter Federführung der AKDB umgesetzt.",
                "AKDB",
                "Bauantrag Online",
                true,
            ),
            (
                "Das Projekt „Baulotse“ entsteht unter der Federführung des Freistaates Sachsen und wird unter Federführung der AKDB programmiert.",
                "Freistaat Sachsen",
                "Baulotse",
                true,
            ),
            (
                "Das Projekt „Baulotse“ entsteht unter der Federführung des Freistaates Sachsen und wird unter Federführung der AKDB programmiert.",
                "AKDB",
                "Baulotse",
                true,
            ),
            // the cue first, the project after the leader
            (
                "Unter Federführung von Dataport entsteht das Projekt „Meldeportal Nord“.",
                "Dataport",
                "Meldeportal Nord",
                true,
            ),
            // negatives: something named between subject and cue is not led; no cue, no lead
            (
                "Das Projekt „Bauantrag Online“, finanziert aus dem Programm „Zukunft Digital“, wird unter Federführung der AKDB umgesetzt.",
                "AKDB",
                "Zukunft Digital",
                false,
            ),
            ("Das Projekt „Bauantrag Online“ wurde der AKDB vorgestellt.", "AKDB", "Bauantrag Online", false),
        ];
        for (text, leader, led, expected) in rows {
            let rels = relations(text);
            assert_eq!(holds(&rels, leader, "leads", led), *expected, "{text}: {rels:?}");
        }
    }

    #[test]
    fn a_subjects_own_project() {
        // (text, operator, project, holds?)
        let rows: &[(&str, &str, &str, bool)] = &[
            (
                "Der Freistaat Sachsen stellt den Kommunen die Basisdienste seines „Amt24“ kostenlos bereit.",
                "Freistaat Sachsen",
                "Amt24",
                true,
            ),
            ("Die AKDB öffnet ihr neues Kreisportal.NRW für weitere Kreise.", "AKDB", "Kreisportal.NRW", true),
            ("Das Land Hessen baut sein Amtsportal.HE weiter aus.", "Hessische Landesregierung", "Amtsportal.HE", true),
            // negatives: the possessive of another noun's gender, no possessive
            (
                "Der Freistaat Sachsen unterstützt die Kommunen bei ihrem Projekt „Amtsbote“.",
                "Freistaat Sachsen",
                "Amtsbote",
                false,
            ),
            ("Die AKDB lobt das Projekt „Amtsbote“ der Stadt.", "AKDB", "Amtsbote", false),
        ];
        for (text, operator, project, expected) in rows {
            let rels = relations(text);
            assert_eq!(holds(&rels, operator, "operates", project), *expected, "{text}: {rels:?}");
        }
    }
}
