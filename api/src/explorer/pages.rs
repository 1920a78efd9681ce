//! The reading pages of the explorer, each one GraphQL query (or a few) executed in process and a
//! template. Query parameters are German words (`land`, `jahr`, `nach` for the cursor) and
//! shareable; an empty parameter counts as not given.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value as Tpl, context};
use serde::Deserialize;
use serde_json::{Value, json};

use super::labels::word;
use super::text::{marks, segments, snippet_html};
use super::{PageError, encode, href, query, reader, render, respond};
use crate::server::AppState;
use govgraph_shared::vocab::Predicate;

type State = web::Data<AppState>;

/// The fields every page shows of a node it links to.
pub const NODE: &str = "fragment N on Node { __typename id \
    ... on Actor { name slug kind state { code } } \
    ... on Agreement { name slug date year } \
    ... on Project { name slug } \
    ... on Service { name slug } \
    ... on State { name code } \
    ... on Announcement { title } }";

/// The fields every page shows of an edge: its ends and its evidence.
pub const RELATION: &str = "fragment R on Relation { id predicate role title status confidence validFrom validUntil \
    subject { ...N } object { ...N } \
    evidence { sentence method source announcement { id title publishedDate url } } }";

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A query string of the pairs that have a value.
fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    let parts: Vec<String> =
        pairs.iter().filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v)))).collect();
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

fn tpl(v: &impl serde::Serialize) -> Tpl {
    Tpl::from_serialize(v)
}

fn ok(template: &str, context: Tpl) -> Result<HttpResponse, PageError> {
    Ok(render(StatusCode::OK, template, context))
}

// ---------------------------------------------------------------------------------------------
// Start

#[derive(Deserialize, Default)]
pub struct StartParams {
    land: Option<String>,
    gremium: Option<String>,
    projekt: Option<String>,
    von: Option<String>,
    bis: Option<String>,
    nach: Option<String>,
}

/// `GET /`: the latest announcements (filtered by Land, body, project, dates), what the graph
/// holds, the search box.
pub async fn start(state: State, params: web::Query<StartParams>) -> HttpResponse {
    respond(start_page(&state, params.into_inner()).await)
}

async fn start_page(state: &AppState, p: StartParams) -> Result<HttpResponse, PageError> {
    let (land, gremium, projekt, von, bis) =
        (nonempty(&p.land), nonempty(&p.gremium), nonempty(&p.projekt), nonempty(&p.von), nonempty(&p.bis));
    let filter = json!({ "state": land, "body": gremium, "project": projekt, "from": von, "to": bis });
    let data = query(
        state,
        reader(),
        "query Start($filter: AnnouncementFilter, $after: String) {
            stats { nodesByType { key count } }
            states { code name }
            bodies: actors(first: 100, filter: { kind: BODY }) { nodes { name slug } }
            projects(first: 100) { nodes { name slug } }
            announcements(first: 20, after: $after, filter: $filter) {
                totalCount pageInfo { hasNextPage endCursor }
                nodes { id title publishedDate publisher place states { code name } } } }",
        json!({ "filter": filter, "after": nonempty(&p.nach) }),
    )
    .await?;
    let filters = [
        ("land", land.clone()),
        ("gremium", gremium.clone()),
        ("projekt", projekt.clone()),
        ("von", von.clone()),
        ("bis", bis.clone()),
    ];
    let next = data["announcements"]["pageInfo"]["hasNextPage"].as_bool().unwrap_or(false).then(|| {
        let mut pairs = filters.to_vec();
        pairs.push(("nach", data["announcements"]["pageInfo"]["endCursor"].as_str().map(str::to_owned)));
        query_string(&pairs)
    });
    let feed = format!(
        "/feeds/announcements.atom{}",
        query_string(&[
            ("state", land.clone()),
            ("body", gremium.clone()),
            ("project", projekt.clone()),
            ("from", von.clone()),
            ("to", bis.clone())
        ])
    );
    let export = query_string(&[("state", land.clone())]);
    ok(
        "start.html",
        context! {
            data => tpl(&data),
            land, gremium, projekt, von, bis,
            next,
            feed,
            export,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    typ: Option<String>,
    land: Option<String>,
    jahr: Option<String>,
    art: Option<String>,
    herausgeber: Option<String>,
    nach: Option<String>,
}

/// The facets of the search page and the filter parameter each sets.
const FACETS: [(&str, &str, &str); 5] = [
    ("type", "typ", "Art des Eintrags"),
    ("state", "land", "Land"),
    ("year", "jahr", "Jahr"),
    ("kind", "art", "Typ"),
    ("publisher", "herausgeber", "Herausgeber"),
];

/// `GET /suche?q=...`: full text over announcements and names, with the API's facets as links.
pub async fn search(state: State, params: web::Query<SearchParams>) -> HttpResponse {
    respond(search_page(&state, params.into_inner()).await)
}

async fn search_page(state: &AppState, p: SearchParams) -> Result<HttpResponse, PageError> {
    let q = nonempty(&p.q);
    let chosen: BTreeMap<&str, Option<String>> = [
        ("typ", nonempty(&p.typ)),
        ("land", nonempty(&p.land)),
        ("jahr", nonempty(&p.jahr)),
        ("art", nonempty(&p.art)),
        ("herausgeber", nonempty(&p.herausgeber)),
    ]
    .into_iter()
    .collect();
    let Some(text) = q.clone() else {
        return ok("search.html", context! { q => "", chosen => tpl(&chosen) });
    };
    let year = match &chosen["jahr"] {
        Some(y) => Some(y.parse::<i32>().map_err(|_| PageError::BadInput(format!("`{y}` ist keine Jahreszahl")))?),
        None => None,
    };
    let filter = json!({
        "types": chosen["typ"].as_ref().map(|t| vec![t.clone()]),
        "state": chosen["land"],
        "year": year,
        "kind": chosen["art"],
        "publisher": chosen["herausgeber"],
    });
    let data = query(
        state,
        reader(),
        &format!(
            "query Search($q: String!, $filter: SearchFilter, $after: String) {{
                states {{ code name }}
                search(query: $q, first: 20, after: $after, filter: $filter, facetSize: 12) {{
                    totalCount countIsEstimate pageInfo {{ hasNextPage endCursor }}
                    facets {{ type {{ value count }} state {{ value count }} year {{ value count }} kind {{ value count }} publisher {{ value count }} }}
                    edges {{ snippet node {{ ...N ... on Announcement {{ publishedDate publisher states {{ code }} }} }} }} }} }}
            {NODE}"
        ),
        json!({ "q": text, "filter": filter, "after": nonempty(&p.nach) }),
    )
    .await?;
    let result = &data["search"];
    // the link of a page of this search with one parameter changed (and the paging reset)
    let link = |key: &str, value: Option<String>| {
        let mut pairs: Vec<(&str, Option<String>)> = vec![("q", q.clone())];
        for (k, v) in &chosen {
            pairs.push((k, if *k == key { value.clone() } else { v.clone() }));
        }
        format!("/suche{}", query_string(&pairs))
    };
    let facets: Vec<Value> = FACETS
        .iter()
        .map(|(api, param, title)| {
            let current = chosen[param].clone();
            let values: Vec<Value> = result["facets"][api]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    let value = f["value"].as_str().unwrap_or_default().to_owned();
                    let active = current.as_deref() == Some(value.as_str());
                    let label = match *api {
                        "type" => word(&value, "type"),
                        "kind" => word(&value, "kind"),
                        "state" => state_name(&data, &value),
                        _ => value.clone(),
                    };
                    json!({
                        "label": label,
                        "count": f["count"],
                        "active": active,
                        "href": link(param, if active { None } else { Some(value) }),
                    })
                })
                .collect();
            json!({ "title": title, "param": param, "values": values, "clear": current.as_ref().map(|_| link(param, None)) })
        })
        .collect();
    let hits: Vec<Value> = result["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let node = &e["node"];
            json!({
                "node": node,
                "href": href(node),
                "snippet": e["snippet"].as_str().map(snippet_html),
            })
        })
        .collect();
    let next = result["pageInfo"]["hasNextPage"].as_bool().unwrap_or(false).then(|| {
        let mut pairs: Vec<(&str, Option<String>)> = vec![("q", q.clone())];
        pairs.extend(chosen.iter().map(|(k, v)| (*k, v.clone())));
        pairs.push(("nach", result["pageInfo"]["endCursor"].as_str().map(str::to_owned)));
        format!("/suche{}", query_string(&pairs))
    });
    let feed =
        format!("/feeds/announcements.atom{}", query_string(&[("text", q.clone()), ("state", chosen["land"].clone())]));
    ok(
        "search.html",
        context! {
            q,
            chosen => tpl(&chosen),
            total => result["totalCount"].as_i64(),
            estimate => result["countIsEstimate"].as_bool().unwrap_or(false),
            facets => tpl(&facets),
            hits => Tpl::from_serialize(&hits),
            next,
            feed,
        },
    )
}

/// The name of a state code among the `states` of an answer (the code when it is not there).
fn state_name(data: &Value, code: &str) -> String {
    data["states"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["code"].as_str() == Some(code))
        .and_then(|s| s["name"].as_str())
        .unwrap_or(code)
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// Announcement

/// `GET /meldung/{id}`: one announcement, its text with every mention linked, the edges it is
/// evidence for, its earlier versions.
pub async fn announcement(state: State, id: web::Path<String>) -> HttpResponse {
    respond(announcement_page(&state, &id).await)
}

async fn announcement_page(state: &AppState, id: &str) -> Result<HttpResponse, PageError> {
    let data = query(
        state,
        reader(),
        &format!(
            "query A($id: ID!) {{ announcement(id: $id) {{ id title url publishedAt publishedDate publisher place
                pressReleaseNumber text version states {{ code name }} source {{ name }} attachments {{ url title }}
                mentions {{ surface startOffset endOffset method node {{ ...N }} }}
                relations {{ ...R }}
                versions {{ version title fetchedAt supersededAt }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "id": id }),
    )
    .await?;
    let a = &data["announcement"];
    if a.is_null() {
        return Err(PageError::NotFound(format!("Keine Meldung mit der Kennung {id}.")));
    }
    let mentions = a["mentions"].as_array().cloned().unwrap_or_default();
    let text = a["text"].as_str().unwrap_or_default();
    let segments = segments(text, &marks(&mentions));
    // the nodes named, once each, in text order
    let mut named: Vec<Value> = Vec::new();
    for m in &mentions {
        let node = &m["node"];
        if href(node).is_some() && !named.iter().any(|n| n["node"]["id"] == node["id"]) {
            named.push(json!({ "node": node, "href": href(node) }));
        }
    }
    let relations = relation_rows(a["relations"].as_array().map(Vec::as_slice).unwrap_or_default(), None);
    ok(
        "announcement.html",
        context! {
            a => tpl(a),
            segments => tpl(&segments),
            named => tpl(&named),
            relations => tpl(&relations),
        },
    )
}

/// Edges as rows for a page: the label read from `from` (the node the page is about; the
/// subject when `None`), the node at the other end, the evidence.
fn relation_rows(relations: &[Value], from: Option<&str>) -> Vec<Value> {
    relations
        .iter()
        .map(|r| {
            let predicate = r["predicate"].as_str().unwrap_or_default();
            let incoming = from.is_some_and(|id| r["object"]["id"].as_str() == Some(id));
            let (label, other) = if incoming {
                (word(predicate, "inverse"), &r["subject"])
            } else {
                (word(predicate, "predicate"), &r["object"])
            };
            json!({
                "id": r["id"],
                "predicate": predicate,
                "label": label,
                "incoming": incoming,
                "subject": r["subject"], "subject_href": href(&r["subject"]),
                "object": r["object"], "object_href": href(&r["object"]),
                "other": other, "other_href": href(other),
                "role": r["role"], "title": r["title"], "status": r["status"],
                "valid_from": r["validFrom"], "valid_until": r["validUntil"],
                "evidence": r["evidence"].as_array().into_iter().flatten().map(|e| json!({
                    "sentence": e["sentence"],
                    "method": e["method"],
                    "source": e["source"],
                    "announcement": e["announcement"],
                    "href": href(&json!({ "__typename": "Announcement", "id": e["announcement"]["id"] })),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Rows grouped by their label, in the order the labels first appear.
fn grouped(rows: Vec<Value>) -> Vec<Value> {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for row in rows {
        let label = row["label"].as_str().unwrap_or_default().to_owned();
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, items)) => items.push(row),
            None => groups.push((label, vec![row])),
        }
    }
    groups.into_iter().map(|(label, items)| json!({ "label": label, "items": items })).collect()
}

/// Announcements grouped by year, newest first (undated ones last).
fn timeline(announcements: &[Value]) -> Vec<Value> {
    let mut years: Vec<(String, Vec<Value>)> = Vec::new();
    for a in announcements {
        let year: String =
            a["publishedDate"].as_str().map(|d| d.chars().take(4).collect()).unwrap_or_else(|| "ohne Datum".into());
        match years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, items)) => items.push(a.clone()),
            None => years.push((year, vec![a.clone()])),
        }
    }
    years.into_iter().map(|(year, items)| json!({ "year": year, "items": items })).collect()
}

// ---------------------------------------------------------------------------------------------
// Actor (and body)

/// `GET /akteur/{slug}`: facts and keys, the edges grouped by predicate with their evidence,
/// bodies with roles, agreements with dates, the announcements that name it by year.
pub async fn actor(state: State, slug: web::Path<String>) -> HttpResponse {
    respond(actor_page(&state, &slug).await)
}

async fn actor_page(state: &AppState, slug: &str) -> Result<HttpResponse, PageError> {
    let data = query(
        state,
        reader(),
        &format!(
            "query Actor($slug: String!) {{ actor(slug: $slug) {{ id name slug kind status aliases ags ars homepage
                population areaKm2 seat postcode legalForm registerDate referenceSource state {{ code name }}
                relations(first: 60) {{ totalCount nodes {{ ...R }} }}
                announcements(first: 30) {{ totalCount nodes {{ id title publishedDate publisher }} }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "slug": slug }),
    )
    .await?;
    let a = &data["actor"];
    if a.is_null() {
        return Err(PageError::NotFound(format!("Kein Akteur mit dem Kurznamen {slug}.")));
    }
    let id = a["id"].as_str();
    let rows = relation_rows(a["relations"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    let announcements = a["announcements"]["nodes"].as_array().cloned().unwrap_or_default();
    let feed = format!("/feeds/announcements.atom?actor={}", encode(slug));
    let export = a["state"]["code"].as_str().map(|c| format!("?state={c}")).unwrap_or_default();
    ok(
        "actor.html",
        context! {
            a => tpl(a),
            groups => tpl(&grouped(rows)),
            timeline => tpl(&timeline(&announcements)),
            feed,
            export,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Agreement

/// `GET /vereinbarung/{slug}`: parties, signatories with their titles, the date, the chain of
/// renewals as a timeline, the evidence.
pub async fn agreement(state: State, slug: web::Path<String>) -> HttpResponse {
    respond(agreement_page(&state, &slug).await)
}

/// How far the chain of renewals is followed each way.
const CHAIN: usize = 10;

async fn agreement_page(state: &AppState, slug: &str) -> Result<HttpResponse, PageError> {
    let data = query(
        state,
        reader(),
        &format!(
            "query Agreement($slug: String!) {{ agreement(slug: $slug) {{ id name slug kind status date year description
                aliases state {{ code name }}
                parties(first: 30) {{ nodes {{ ...R }} }}
                signatories(first: 30) {{ nodes {{ ...R subject {{ ... on Actor {{
                    positions: relations(first: 3, filter: {{ predicates: [HOLDS_POSITION], direction: OUTGOING }}) {{
                        nodes {{ title object {{ ... on Actor {{ name }} }} }} }} }} }} }} }}
                relations(first: 20, filter: {{ predicates: [LEADS, OPERATES, PARTICIPATES_IN, FOUNDED, SERVES, OFFERS, LOCATED_IN, MEMBER_OF, HOLDS_POSITION] }}) {{ nodes {{ ...R }} }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "slug": slug }),
    )
    .await?;
    let a = &data["agreement"];
    if a.is_null() {
        return Err(PageError::NotFound(format!("Keine Vereinbarung mit dem Kurznamen {slug}.")));
    }
    let id = a["id"].as_str();
    let list = |key: &str| relation_rows(a[key]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    // a signatory's titles: the offices it holds ("Staatssekretär, Ministerium der Finanzen")
    let mut signatories = list("signatories");
    for row in &mut signatories {
        let titles: Vec<String> = row["other"]["positions"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let title = p["title"].as_str()?;
                Some(match p["object"]["name"].as_str() {
                    Some(at) => format!("{title}, {at}"),
                    None => title.to_owned(),
                })
            })
            .collect();
        row["titles"] = json!(titles);
    }
    // the chain: earlier agreements this one renews, then later ones that renew it
    let mut chain = vec![json!({ "name": a["name"], "date": a["date"], "year": a["year"], "current": true })];
    for (field, end, earlier) in [("renews", "object", true), ("renewedBy", "subject", false)] {
        let mut at = a["slug"].as_str().unwrap_or_default().to_owned();
        let mut seen = vec![at.clone()];
        for _ in 0..CHAIN {
            let step = query(
                state,
                reader(),
                &format!(
                    "query Step($slug: String!) {{ agreement(slug: $slug) {{ {field}(first: 1) {{ nodes {{ {end} {{ ...N }} evidence {{ sentence }} }} }} }} }} {NODE}"
                ),
                json!({ "slug": at }),
            )
            .await?;
            let Some(next) = step["agreement"][field]["nodes"].get(0) else { break };
            let node = &next[end];
            let Some(slug) = node["slug"].as_str().map(str::to_owned) else { break };
            if seen.contains(&slug) {
                break;
            }
            let entry = json!({ "name": node["name"], "date": node["date"], "year": node["year"], "href": href(node), "current": false,
                                "sentence": next["evidence"][0]["sentence"] });
            if earlier {
                chain.insert(0, entry)
            } else {
                chain.push(entry)
            }
            seen.push(slug.clone());
            at = slug;
        }
    }
    ok(
        "agreement.html",
        context! {
            a => tpl(a),
            parties => tpl(&list("parties")),
            signatories => tpl(&signatories),
            others => tpl(&grouped(list("relations"))),
            chain => tpl(&chain),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Project, service

/// `GET /projekt/{slug}`: a project or OZG Themenfeld: who leads it (the lead Land), who operates
/// and takes part, its services.
pub async fn project(state: State, slug: web::Path<String>) -> HttpResponse {
    respond(project_page(&state, &slug).await)
}

async fn project_page(state: &AppState, slug: &str) -> Result<HttpResponse, PageError> {
    let data = query(
        state,
        reader(),
        &format!(
            "query Project($slug: String!) {{ project(slug: $slug) {{ id name slug kind status description homepage
                aliases state {{ code name }}
                actors(first: 40) {{ nodes {{ ...R }} }}
                services(first: 40) {{ totalCount nodes {{ ...R }} }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "slug": slug }),
    )
    .await?;
    let p = &data["project"];
    if p.is_null() {
        return Err(PageError::NotFound(format!("Kein Projekt mit dem Kurznamen {slug}.")));
    }
    let id = p["id"].as_str();
    let actors = relation_rows(p["actors"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    let services = relation_rows(p["services"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    let feed = format!("/feeds/announcements.atom?project={}", encode(slug));
    ok("project.html", context! { p => tpl(p), actors => tpl(&grouped(actors)), services => tpl(&services), feed })
}

/// `GET /leistung/{slug}`: a service with its OZG id and LeiKa key, who is responsible, which
/// projects offer it.
pub async fn service(state: State, slug: web::Path<String>) -> HttpResponse {
    respond(service_page(&state, &slug).await)
}

async fn service_page(state: &AppState, slug: &str) -> Result<HttpResponse, PageError> {
    let data = query(
        state,
        reader(),
        &format!(
            "query Service($slug: String!) {{ service(slug: $slug) {{ id name slug kind status ozgId leikaKey themenfeld
                aliases state {{ code name }}
                responsibleActors(first: 40) {{ nodes {{ ...R }} }}
                projects(first: 40) {{ nodes {{ ...R }} }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "slug": slug }),
    )
    .await?;
    let s = &data["service"];
    if s.is_null() {
        return Err(PageError::NotFound(format!("Keine Leistung mit dem Kurznamen {slug}.")));
    }
    let id = s["id"].as_str();
    let actors = relation_rows(s["responsibleActors"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    let projects = relation_rows(s["projects"]["nodes"].as_array().map(Vec::as_slice).unwrap_or_default(), id);
    ok("service.html", context! { s => tpl(s), actors => tpl(&actors), projects => tpl(&projects) })
}

// ---------------------------------------------------------------------------------------------
// Land

/// `GET /land/{code}`: a Land's actors, bodies, agreements over time and latest announcements.
pub async fn state(state: State, code: web::Path<String>) -> HttpResponse {
    respond(state_page(&state, &code).await)
}

async fn state_page(state: &AppState, code: &str) -> Result<HttpResponse, PageError> {
    let code = code.trim().to_uppercase();
    let data = query(
        state,
        reader(),
        "query Land($code: StateCode!) { state(code: $code) { code name capital agsPrefix federal
            governments: actors(first: 20, filter: { kind: GOVERNMENT }) { nodes { name slug kind } }
            ministries: actors(first: 40, filter: { kind: MINISTRY }) { totalCount nodes { name slug kind } }
            bodies: actors(first: 40, filter: { kind: BODY }) { totalCount nodes { name slug kind } }
            providers: actors(first: 40, filter: { kind: IT_SERVICE_PROVIDER }) { totalCount nodes { name slug kind } }
            districts: actors(first: 1, filter: { kind: DISTRICT }) { totalCount }
            municipalities: actors(first: 1, filter: { kind: MUNICIPALITY }) { totalCount }
            agreements(first: 50) { totalCount nodes { name slug kind date year } }
            announcements(first: 20) { totalCount nodes { id title publishedDate publisher } } } }",
        json!({ "code": code }),
    )
    .await?;
    let s = &data["state"];
    if s.is_null() {
        return Err(PageError::NotFound(format!("Kein Land mit dem Kürzel {code}.")));
    }
    // agreements over time: dated ones by date, then those with a year, then the rest
    let mut agreements = s["agreements"]["nodes"].as_array().cloned().unwrap_or_default();
    agreements.sort_by_key(|a| {
        let when = a["date"].as_str().map(str::to_owned).or_else(|| a["year"].as_i64().map(|y| format!("{y}")));
        (when.is_none(), std::cmp::Reverse(when))
    });
    let feed = format!("/feeds/announcements.atom?state={code}");
    let export = format!("?state={code}");
    ok("state.html", context! { s => tpl(s), agreements => tpl(&agreements), feed, export })
}

// ---------------------------------------------------------------------------------------------
// Network and paths

#[derive(Deserialize, Default)]
pub struct NetworkParams {
    knoten: Option<String>,
    tiefe: Option<String>,
    praedikat: Option<String>,
}

/// `GET /netz?knoten=SLUG&tiefe=1|2&praedikat=P`: a node's neighbourhood, as a list (without
/// JavaScript) and drawn by cytoscape.js, whose nodes expand on a click.
pub async fn network(state: State, params: web::Query<NetworkParams>) -> HttpResponse {
    respond(network_page(&state, params.into_inner()).await)
}

async fn network_page(state: &AppState, p: NetworkParams) -> Result<HttpResponse, PageError> {
    let depth = match nonempty(&p.tiefe).as_deref() {
        None | Some("1") => 1,
        Some("2") => 2,
        Some(other) => return Err(PageError::BadInput(format!("Die Tiefe ist 1 oder 2, nicht {other}."))),
    };
    // the predicates as GraphQL writes them (PARTY_TO), from the shared vocabulary
    let known: Vec<String> = Predicate::ALL.iter().map(|p| p.as_str().to_uppercase()).collect();
    let predicate = nonempty(&p.praedikat).map(|s| s.to_uppercase());
    if let Some(pr) = &predicate
        && !known.contains(pr)
    {
        return Err(PageError::BadInput(format!("Unbekannte Beziehung {pr}.")));
    }
    let predicates: Vec<Value> = known.iter().map(|p| json!({ "value": p, "label": word(p, "predicate") })).collect();
    let Some(knoten) = nonempty(&p.knoten) else {
        return ok("network.html", context! { predicates => tpl(&predicates), depth });
    };
    // a global id or a slug
    let by_id = crate::types::GlobalId::parse(&knoten).is_some();
    let data = query(
        state,
        reader(),
        &format!(
            "query Net($id: ID, $slug: String, $depth: Int!, $predicates: [Predicate!]) {{
                neighbourhood(id: $id, slug: $slug, depth: $depth, predicates: $predicates) {{
                    nodes {{ ...N }}
                    edges {{ id predicate role subject {{ id }} object {{ id }} evidence {{ sentence announcement {{ id title }} }} }} }} }}
            {NODE}"
        ),
        json!({
            "id": by_id.then(|| knoten.clone()),
            "slug": (!by_id).then(|| knoten.clone()),
            "depth": depth,
            "predicates": predicate.as_ref().map(|p| vec![p.clone()]),
        }),
    )
    .await
    .map_err(|e| match e {
        PageError::BadInput(m) if m.contains("no node") || m.contains("unknown") => PageError::NotFound(m),
        e => e,
    })?;
    let graph = &data["neighbourhood"];
    let nodes: Vec<Value> = graph["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            json!({
                "id": n["id"], "name": n["name"].as_str().or(n["title"].as_str()).unwrap_or_default(),
                "type": n["__typename"], "slug": n["slug"], "href": href(n),
            })
        })
        .collect();
    let names: BTreeMap<String, String> = nodes
        .iter()
        .map(|n| (n["id"].as_str().unwrap_or_default().to_owned(), n["name"].as_str().unwrap_or_default().to_owned()))
        .collect();
    let edges: Vec<Value> = graph["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let (s, o) =
                (e["subject"]["id"].as_str().unwrap_or_default(), e["object"]["id"].as_str().unwrap_or_default());
            json!({
                "id": e["id"], "source": s, "target": o,
                "source_name": names.get(s), "target_name": names.get(o),
                "predicate": e["predicate"], "label": word(e["predicate"].as_str().unwrap_or_default(), "predicate"),
                "sentence": e["evidence"][0]["sentence"],
                "announcement": e["evidence"][0]["announcement"],
            })
        })
        .collect();
    let centre = nodes
        .iter()
        .find(|n| n["slug"].as_str() == Some(knoten.as_str()) || n["id"].as_str() == Some(knoten.as_str()))
        .cloned();
    // the graph for the script, safe inside <script type="application/json">
    let data_json = serde_json::to_string(
        &json!({ "nodes": nodes, "edges": edges, "centre": centre.as_ref().map(|c| &c["id"]), "predicate": predicate }),
    )
    .unwrap_or_default()
    .replace('<', "\\u003c")
    .replace('>', "\\u003e")
    .replace('&', "\\u0026");
    ok(
        "network.html",
        context! {
            knoten, depth, predicate, centre => tpl(&centre),
            nodes => tpl(&nodes), edges => tpl(&edges), predicates => tpl(&predicates),
            data_json,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct PathParams {
    von: Option<String>,
    nach: Option<String>,
}

/// `GET /pfade?von=SLUG&nach=SLUG`: the shortest connections between two nodes, every hop with
/// its evidence.
pub async fn paths(state: State, params: web::Query<PathParams>) -> HttpResponse {
    respond(paths_page(&state, params.into_inner()).await)
}

async fn paths_page(state: &AppState, p: PathParams) -> Result<HttpResponse, PageError> {
    let (von, nach) = (nonempty(&p.von), nonempty(&p.nach));
    let (Some(from), Some(to)) = (von.clone(), nach.clone()) else {
        return ok("paths.html", context! { von, nach });
    };
    let data = query(
        state,
        reader(),
        &format!(
            "query Paths($from: String!, $to: String!) {{ paths(fromSlug: $from, toSlug: $to, maxHops: 3) {{ hops {{ ...R }} }} }}
            {NODE} {RELATION}"
        ),
        json!({ "from": from, "to": to }),
    )
    .await?;
    let paths: Vec<Value> = data["paths"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| json!({ "hops": relation_rows(p["hops"].as_array().map(Vec::as_slice).unwrap_or_default(), None) }))
        .collect();
    ok("paths.html", context! { von, nach, paths => tpl(&paths), searched => true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_leave_out_empty_values_and_encode() {
        assert_eq!(query_string(&[("a", None), ("b", None)]), "");
        assert_eq!(
            query_string(&[
                ("q", Some("Digitalpakt Schule & mehr".into())),
                ("land", None),
                ("jahr", Some("2024".into()))
            ]),
            "?q=Digitalpakt%20Schule%20%26%20mehr&jahr=2024"
        );
    }

    #[test]
    fn edges_read_from_the_page_node() {
        let r = json!({
            "id": "r1", "predicate": "MEMBER_OF", "role": "CHAIR",
            "subject": { "__typename": "Actor", "id": "a", "slug": "land-x", "name": "Land X" },
            "object": { "__typename": "Actor", "id": "b", "slug": "it-rat", "name": "IT-Rat" },
            "evidence": [{ "sentence": "S.", "announcement": { "id": "d1" } }],
        });
        let from_subject = relation_rows(std::slice::from_ref(&r), Some("a"));
        assert_eq!(from_subject[0]["label"], "ist Mitglied in");
        assert_eq!(from_subject[0]["other_href"], "/akteur/it-rat");
        let from_object = relation_rows(std::slice::from_ref(&r), Some("b"));
        assert_eq!(from_object[0]["label"], "hat als Mitglied");
        assert_eq!(from_object[0]["other_href"], "/akteur/land-x");
        assert_eq!(from_object[0]["evidence"][0]["href"], "/meldung/d1");
        let groups = grouped(vec![from_subject[0].clone(), from_object[0].clone(), from_subject[0].clone()]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0]["items"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn timeline_by_year() {
        let t = timeline(&[
            json!({ "publishedDate": "2024-05-01" }),
            json!({ "publishedDate": "2024-01-01" }),
            json!({ "publishedDate": "2023-01-01" }),
            json!({ "publishedDate": null }),
        ]);
        let years: Vec<_> = t.iter().map(|y| y["year"].as_str().unwrap().to_owned()).collect();
        assert_eq!(years, ["2024", "2023", "ohne Datum"]);
    }
}
