//! The reconciliation service for OpenRefine and other clients of the W3C Reconciliation Service
//! API 0.2 (<https://reconciliation-api.github.io/specs/0.2/>), over the actors of the graph:
//!
//! - `GET /reconcile`: the service manifest; with `queries=` a batch of reconciliation queries,
//!   with `extend=` a data extension query, with `query=` one query (the 0.1 form); `callback=`
//!   wraps the answer for JSONP;
//! - `POST /reconcile`: the same as a form (`queries=`, `extend=`, `query=`), or a query batch
//!   as a JSON body;
//! - `GET /reconcile/preview?id=`: a small HTML card of an entity (also the manifest's view);
//! - `GET /reconcile/suggest/{entity,type,property}?prefix=&cursor=`: auto-completion;
//! - `GET /reconcile/properties?type=&limit=`: the properties data extension proposes for a type.
//!
//! Entity ids are the GraphQL global ids of the actors (`node(id:)` takes them). Matching and
//! scoring are in [`govgraph_shared::models::reconcile`].

pub mod vocab;

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use govgraph_shared::ids::ActorId;
use govgraph_shared::models::State as Land;
use govgraph_shared::models::reconcile::{self, ActorRow, MatchQuery, Scored, fold};
use serde_json::{Map, Value, json};

use crate::markup::escape;
use crate::server::AppState;
use crate::types::{GlobalId, global_id};

type Data = web::Data<AppState>;

/// The most queries in one batch (announced in the manifest as `batchSize`).
pub const MAX_QUERIES: usize = 100;
/// The most entities in one data extension query.
pub const MAX_EXTEND_IDS: usize = 500;
/// The longest name a query may hold.
const MAX_QUERY_CHARS: usize = 300;
const DEFAULT_LIMIT: i64 = 10;
const MAX_LIMIT: i64 = 50;
const SUGGEST_PAGE: i64 = 10;
const PREVIEW_WIDTH: u32 = 420;
const PREVIEW_HEIGHT: u32 = 190;

/// Registers the routes under `/reconcile`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reconcile", web::get().to(get))
        .route("/reconcile", web::post().to(post))
        .route("/reconcile/preview", web::get().to(preview))
        .route("/reconcile/suggest/entity", web::get().to(suggest_entity))
        .route("/reconcile/suggest/type", web::get().to(suggest_type))
        .route("/reconcile/suggest/property", web::get().to(suggest_property))
        .route("/reconcile/properties", web::get().to(propose_properties));
}

/// A request that cannot be answered, with its status.
struct Refusal(StatusCode, String);

impl Refusal {
    fn bad(message: impl Into<String>) -> Refusal {
        Refusal(StatusCode::BAD_REQUEST, message.into())
    }
}

fn refuse(r: Refusal) -> HttpResponse {
    HttpResponse::build(r.0).content_type("application/json").body(json!({ "error": r.1 }).to_string())
}

#[derive(serde::Deserialize, Default)]
struct Params {
    queries: Option<String>,
    extend: Option<String>,
    query: Option<String>,
    callback: Option<String>,
}

/// JSON, or JSONP when the client names a callback (a JavaScript identifier path).
fn reply(value: &Value, callback: Option<&str>) -> HttpResponse {
    match callback.filter(|c| !c.is_empty()) {
        None => HttpResponse::Ok().content_type("application/json").body(value.to_string()),
        Some(cb) => {
            let valid = cb.len() <= 128
                && cb.split('.').all(|part| {
                    let mut chars = part.chars();
                    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
                });
            if !valid {
                return refuse(Refusal::bad("`callback` must be a JavaScript identifier"));
            }
            HttpResponse::Ok()
                .content_type("application/javascript; charset=utf-8")
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .body(format!("/**/{cb}({value});"))
        }
    }
}

/// The server's own address as the client reached it, for the manifest's absolute URLs.
fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

async fn get(state: Data, req: HttpRequest, params: web::Query<Params>) -> HttpResponse {
    let params = params.into_inner();
    let callback = params.callback.clone();
    match dispatch(&state, &req, params).await {
        Ok(value) => reply(&value, callback.as_deref()),
        Err(r) => refuse(r),
    }
}

async fn post(state: Data, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    let Ok(text) = std::str::from_utf8(&body) else {
        return refuse(Refusal::bad("the body is not UTF-8"));
    };
    if is_json {
        let batch = match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(e) => return refuse(Refusal::bad(format!("the body is not JSON: {e}"))),
        };
        return match reconcile_batch(&state, batch).await {
            Ok(v) => reply(&v, None),
            Err(r) => refuse(r),
        };
    }
    let params = match web::Query::<Params>::from_query(text) {
        Ok(p) => p.into_inner(),
        Err(e) => return refuse(Refusal::bad(format!("the form could not be read: {e}"))),
    };
    let callback = params.callback.clone();
    match dispatch(&state, &req, params).await {
        Ok(value) => reply(&value, callback.as_deref()),
        Err(r) => refuse(r),
    }
}

async fn dispatch(state: &AppState, req: &HttpRequest, params: Params) -> Result<Value, Refusal> {
    if let Some(queries) = params.queries {
        let batch = serde_json::from_str::<Value>(&queries)
            .map_err(|e| Refusal::bad(format!("`queries` is not a JSON object: {e}")))?;
        return reconcile_batch(state, batch).await;
    }
    if let Some(extend) = params.extend {
        let query = serde_json::from_str::<Value>(&extend)
            .map_err(|e| Refusal::bad(format!("`extend` is not a JSON object: {e}")))?;
        return extend_rows(state, &query).await;
    }
    if let Some(single) = params.query {
        // the 0.1 form: one query, as JSON or as the bare name
        let q = match serde_json::from_str::<Value>(&single) {
            Ok(v @ Value::Object(_)) => v,
            _ => json!({ "query": single }),
        };
        let batch = reconcile_batch(state, json!({ "q0": q })).await?;
        return Ok(batch.get("q0").cloned().unwrap_or_else(|| json!({ "result": [] })));
    }
    Ok(manifest(&base_url(req)))
}

fn type_json(id: &str) -> Value {
    let name = vocab::TYPES.iter().find(|t| t.id() == id).map_or(id, |t| t.name);
    json!({ "id": id, "name": name })
}

fn manifest(base: &str) -> Value {
    let service = |path: &str| json!({ "service_url": base, "service_path": path });
    let types: Vec<Value> =
        vocab::TYPES.iter().map(|t| json!({ "id": t.id(), "name": t.name, "description": t.description })).collect();
    json!({
        "versions": ["0.1", "0.2"],
        "name": "govgraph: German public administration (municipalities, districts, ministries, associations, IT providers)",
        "identifierSpace": "urn:govgraph:id:",
        "schemaSpace": "urn:govgraph:schema:actor",
        "serviceVersion": env!("CARGO_PKG_VERSION"),
        "defaultTypes": types,
        "view": { "url": format!("{base}/reconcile/preview?id={{{{id}}}}") },
        "preview": {
            "url": format!("{base}/reconcile/preview?id={{{{id}}}}"),
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": service("/reconcile/suggest/entity"),
            "type": service("/reconcile/suggest/type"),
            "property": service("/reconcile/suggest/property"),
        },
        "extend": {
            "propose_properties": service("/reconcile/properties"),
            "property_settings": [],
        },
        "batchSize": MAX_QUERIES,
    })
}

/// Strings of a property value: a string, a number, an entity's id and name, or an array of them.
fn values_of(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.trim().to_owned()],
        Value::Number(n) => vec![n.to_string()],
        Value::Bool(b) => vec![b.to_string()],
        Value::Array(items) => items.iter().flat_map(values_of).collect(),
        Value::Object(o) => {
            ["id", "name"].iter().filter_map(|k| o.get(*k)?.as_str()).map(|s| s.trim().to_owned()).collect()
        }
        Value::Null => Vec::new(),
    }
}

/// A state's code from a code, a name or an official name ("SN", "Sachsen", "Freistaat Sachsen").
fn state_code(lands: &[Land], value: &str) -> Option<String> {
    let v = fold(value);
    lands
        .iter()
        .find(|l| fold(&l.code) == v || fold(&l.name) == v || l.names.iter().any(|n| fold(n) == v))
        .map(|l| l.code.clone())
}

fn kind_id(value: &str) -> Option<&'static str> {
    let v = value.trim().to_lowercase();
    vocab::TYPES.iter().find(|t| t.id() == v || t.name.to_lowercase() == v).map(|t| t.id())
}

/// One query of a batch, checked.
fn parse_query(key: &str, q: &Value, lands: &[Land]) -> Result<MatchQuery, Refusal> {
    let Some(q) = q.as_object() else {
        return Err(Refusal::bad(format!("query `{key}` is not an object")));
    };
    let text = match q.get("query") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() > MAX_QUERY_CHARS => {
            return Err(Refusal::bad(format!("query `{key}`: `query` is longer than {MAX_QUERY_CHARS} characters")));
        }
        Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(_) => return Err(Refusal::bad(format!("query `{key}`: `query` must be a string"))),
    };
    let mut out = MatchQuery { text, limit: DEFAULT_LIMIT, ..MatchQuery::default() };
    match q.get("type") {
        None | Some(Value::Null) => {}
        Some(t @ (Value::String(_) | Value::Array(_))) => {
            out.kinds.extend(values_of(t).iter().filter_map(|t| kind_id(t)).map(str::to_owned));
        }
        Some(_) => return Err(Refusal::bad(format!("query `{key}`: `type` must be a string or an array of strings"))),
    }
    match q.get("limit") {
        None | Some(Value::Null) => {}
        Some(l) => match l.as_f64() {
            Some(n) if n >= 1.0 => out.limit = (n as i64).min(MAX_LIMIT),
            _ => return Err(Refusal::bad(format!("query `{key}`: `limit` must be a positive number"))),
        },
    }
    if let Some(props) = q.get("properties").filter(|p| !p.is_null()) {
        let Some(props) = props.as_array() else {
            return Err(Refusal::bad(format!("query `{key}`: `properties` must be an array")));
        };
        for p in props {
            let (Some(pid), Some(v)) = (p.get("pid").and_then(Value::as_str), p.get("v")) else {
                return Err(Refusal::bad(format!("query `{key}`: every property needs `pid` and `v`")));
            };
            let values = values_of(v);
            match pid.trim().to_lowercase().as_str() {
                "state" => out.states.extend(values.iter().filter_map(|s| state_code(lands, s))),
                "kind" | "type" => out.kinds.extend(values.iter().filter_map(|k| kind_id(k)).map(str::to_owned)),
                "ags" | "ars" => out.keys.extend(
                    values
                        .iter()
                        .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
                        .filter(|s| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())),
                ),
                other => {
                    return Err(Refusal::bad(format!(
                        "query `{key}`: unknown property `{other}` (known: state, ags, ars, kind)"
                    )));
                }
            }
        }
    }
    if out.text.is_none() && out.keys.is_empty() {
        return Err(Refusal::bad(format!("query `{key}` needs a `query` string or an `ags`/`ars` property")));
    }
    out.kinds.sort_unstable();
    out.kinds.dedup();
    Ok(out)
}

fn description(a: &ActorRow) -> String {
    let kind =
        a.type_label.clone().unwrap_or_else(|| type_json(&a.kind)["name"].as_str().unwrap_or_default().to_owned());
    let mut parts = vec![kind];
    if let Some(d) = &a.district_name
        && a.kind != "district"
    {
        parts.push(d.clone());
    }
    if let Some(s) = &a.state_name {
        parts.push(s.clone());
    }
    let mut text = parts.join(", ");
    if let Some(ags) = &a.ags {
        text.push_str(&format!(" (AGS {ags})"));
    }
    text
}

fn candidate_json(c: &Scored) -> Value {
    json!({
        "id": global_id("Actor", c.actor.id.get()).to_string(),
        "name": c.actor.name,
        "description": description(&c.actor),
        "score": c.score,
        "match": c.matched,
        "type": [type_json(&c.actor.kind)],
        "features": [
            { "id": "name_as_written", "value": c.literal_name },
            { "id": "name_exact", "value": c.exact_name },
            { "id": "name_similarity", "value": (c.name_similarity * 1000.0).round() / 1000.0 },
            { "id": "key_match", "value": c.key_match },
        ],
    })
}

async fn conn(state: &AppState) -> Result<govgraph_shared::db::PooledConn, Refusal> {
    state.pool.get().await.map_err(|e| {
        tracing::warn!(error = %e, "reconcile: no database connection");
        Refusal(StatusCode::SERVICE_UNAVAILABLE, "the database is not available".into())
    })
}

fn internal(e: govgraph_shared::Error) -> Refusal {
    tracing::error!(error = %e, "reconcile: query failed");
    Refusal(StatusCode::INTERNAL_SERVER_ERROR, "the query failed".into())
}

#[tracing::instrument(skip_all)]
async fn reconcile_batch(state: &AppState, batch: Value) -> Result<Value, Refusal> {
    let Value::Object(batch) = batch else {
        return Err(Refusal::bad("a query batch is a JSON object of queries by key"));
    };
    if batch.len() > MAX_QUERIES {
        return Err(Refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("a batch may hold at most {MAX_QUERIES} queries, not {}", batch.len()),
        ));
    }
    let mut c = conn(state).await?;
    let lands = Land::all(&mut c).await.map_err(internal)?;
    let parsed: Vec<(String, MatchQuery)> =
        batch.iter().map(|(k, q)| parse_query(k, q, &lands).map(|p| (k.clone(), p))).collect::<Result<_, _>>()?;
    let mut out = Map::new();
    for (key, query) in parsed {
        let found = reconcile::reconcile(&mut c, &query).await.map_err(internal)?;
        out.insert(key, json!({ "result": found.iter().map(candidate_json).collect::<Vec<_>>() }));
    }
    Ok(Value::Object(out))
}

fn actor_id(id: &str) -> Option<ActorId> {
    match GlobalId::parse(id)? {
        GlobalId::Actor(a) => Some(a),
        _ => None,
    }
}

#[tracing::instrument(skip_all)]
async fn extend_rows(state: &AppState, query: &Value) -> Result<Value, Refusal> {
    let ids: Vec<String> = query
        .get("ids")
        .and_then(Value::as_array)
        .ok_or_else(|| Refusal::bad("a data extension query needs `ids` (an array of entity ids)"))?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| Refusal::bad("every id is a string")))
        .collect::<Result<_, _>>()?;
    if ids.len() > MAX_EXTEND_IDS {
        return Err(Refusal(StatusCode::PAYLOAD_TOO_LARGE, format!("at most {MAX_EXTEND_IDS} ids per query")));
    }
    let props: Vec<&'static vocab::ServiceProperty> = query
        .get("properties")
        .and_then(Value::as_array)
        .ok_or_else(|| Refusal::bad("a data extension query needs `properties` (an array of {\"id\": ...})"))?
        .iter()
        .map(|p| {
            let id = p.get("id").and_then(Value::as_str).unwrap_or_default();
            vocab::PROPERTIES
                .iter()
                .find(|q| q.extend && q.id == id)
                .ok_or_else(|| Refusal::bad(format!("unknown property `{id}` (see /reconcile/properties)")))
        })
        .collect::<Result<_, _>>()?;
    let wanted: Vec<ActorId> = ids.iter().filter_map(|i| actor_id(i)).collect();
    let mut c = conn(state).await?;
    let rows = reconcile::actors_by_ids(&mut c, &wanted).await.map_err(internal)?;
    let by_id: HashMap<ActorId, &ActorRow> = rows.iter().map(|r| (r.id, r)).collect();
    let meta: Vec<Value> = props
        .iter()
        .map(|p| {
            if p.id == "district" {
                json!({ "id": p.id, "name": p.name, "type": type_json("district") })
            } else {
                json!({ "id": p.id, "name": p.name })
            }
        })
        .collect();
    let mut out_rows = Map::new();
    for id in &ids {
        let row = actor_id(id).and_then(|a| by_id.get(&a).copied());
        let mut cells = Map::new();
        for p in &props {
            let values: Vec<Value> = row.map_or_else(Vec::new, |a| property_values(a, p.id));
            cells.insert(p.id.to_owned(), Value::Array(values));
        }
        out_rows.insert(id.clone(), Value::Object(cells));
    }
    Ok(json!({ "meta": meta, "rows": out_rows }))
}

fn property_values(a: &ActorRow, property: &str) -> Vec<Value> {
    let s = |v: &Option<String>| v.iter().map(|x| json!({ "str": x })).collect();
    match property {
        "ags" => s(&a.ags),
        "ars" => s(&a.ars),
        "state" => s(&a.state_code),
        "kind" => vec![json!({ "str": a.kind })],
        "homepage" => s(&a.homepage),
        "population" => a.population.iter().map(|p| json!({ "int": p })).collect(),
        "district" => match (a.district_id, &a.district_name) {
            (Some(d), Some(name)) => vec![json!({ "id": global_id("Actor", d.get()).to_string(), "name": name })],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

#[derive(serde::Deserialize)]
struct SuggestParams {
    prefix: Option<String>,
    cursor: Option<i64>,
    callback: Option<String>,
}

async fn suggest_entity(state: Data, params: web::Query<SuggestParams>) -> HttpResponse {
    let prefix = params.prefix.clone().unwrap_or_default();
    let cursor = params.cursor.unwrap_or(0).clamp(0, 10_000);
    let found = async {
        // an id finds its entity
        if let Some(id) = actor_id(&prefix) {
            let mut c = conn(&state).await?;
            return reconcile::actors_by_ids(&mut c, &[id]).await.map_err(internal);
        }
        let mut c = conn(&state).await?;
        reconcile::suggest(&mut c, &prefix, cursor, SUGGEST_PAGE).await.map_err(internal)
    }
    .await;
    match found {
        Ok(rows) => {
            let result: Vec<Value> = rows
                .iter()
                .map(|a| {
                    json!({
                        "id": global_id("Actor", a.id.get()).to_string(),
                        "name": a.name,
                        "description": description(a),
                        "notable": [type_json(&a.kind)],
                    })
                })
                .collect();
            reply(&json!({ "result": result }), params.callback.as_deref())
        }
        Err(r) => refuse(r),
    }
}

async fn suggest_type(params: web::Query<SuggestParams>) -> HttpResponse {
    let result: Vec<Value> = vocab::matching_types(params.prefix.as_deref().unwrap_or_default())
        .into_iter()
        .map(|t| json!({ "id": t.id(), "name": t.name, "description": t.description }))
        .collect();
    reply(&json!({ "result": result }), params.callback.as_deref())
}

async fn suggest_property(params: web::Query<SuggestParams>) -> HttpResponse {
    let result: Vec<Value> = vocab::matching_properties(params.prefix.as_deref().unwrap_or_default())
        .into_iter()
        .map(|p| json!({ "id": p.id, "name": p.name, "description": p.description }))
        .collect();
    reply(&json!({ "result": result }), params.callback.as_deref())
}

#[derive(serde::Deserialize)]
struct ProposeParams {
    #[serde(rename = "type")]
    type_id: Option<String>,
    limit: Option<usize>,
    callback: Option<String>,
}

/// The properties for a type; without a type (a column reconciled without one) every property,
/// for a type of another service the ones every actor has.
async fn propose_properties(params: web::Query<ProposeParams>) -> HttpResponse {
    let type_id = params.type_id.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let proposed = match type_id {
        None => vocab::PROPERTIES.iter().filter(|p| p.extend).collect(),
        Some(t) => vocab::proposed_for(kind_id(t).unwrap_or("other")),
    };
    let mut properties: Vec<Value> = proposed.into_iter().map(|p| json!({ "id": p.id, "name": p.name })).collect();
    let mut answer = json!({});
    if let Some(t) = type_id {
        answer["type"] = json!(kind_id(t).unwrap_or(t));
    }
    if let Some(limit) = params.limit {
        properties.truncate(limit);
        answer["limit"] = json!(limit);
    }
    answer["properties"] = Value::Array(properties);
    reply(&answer, params.callback.as_deref())
}

#[derive(serde::Deserialize)]
struct PreviewParams {
    id: Option<String>,
}

fn card(a: &ActorRow) -> String {
    let mut rows = String::new();
    let mut row = |label: &str, value: String| {
        rows.push_str(&format!("<tr><th>{}</th><td>{value}</td></tr>", escape(label)));
    };
    row("Kind", escape(a.type_label.as_deref().unwrap_or(&a.kind)));
    if let Some(s) = &a.state_name {
        row("State", escape(s));
    }
    if let (Some(d), false) = (&a.district_name, a.kind == "district") {
        row("District", escape(d));
    }
    if let Some(v) = &a.ags {
        row("AGS", escape(v));
    }
    if let Some(v) = &a.ars {
        row("ARS", escape(v));
    }
    if let Some(p) = a.population {
        row("Population", p.to_string());
    }
    if let Some(h) = a.homepage.as_deref().filter(|h| h.starts_with("https://") || h.starts_with("http://")) {
        row("Homepage", format!("<a href=\"{0}\" target=\"_blank\" rel=\"noopener noreferrer\">{0}</a>", escape(h)));
    }
    let description = a.description.as_deref().map(|d| format!("<p>{}</p>", escape(d))).unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{name}</title>\
         <style>body{{font:13px/1.35 sans-serif;margin:6px}}h1{{font-size:15px;margin:0 0 4px}}\
         th{{text-align:left;padding-right:8px;color:#555;font-weight:normal}}p{{margin:4px 0}}</style></head>\
         <body><h1>{name}</h1>{description}<table>{rows}</table></body></html>",
        name = escape(&a.name),
    )
}

async fn preview(state: Data, params: web::Query<PreviewParams>) -> HttpResponse {
    let html = |status: StatusCode, body: String| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"))
            .body(body)
    };
    let not_found = || html(StatusCode::NOT_FOUND, "<!DOCTYPE html><p>No such entity.</p>".to_owned());
    let Some(id) = params.id.as_deref().and_then(actor_id) else {
        return not_found();
    };
    let rows = match conn(&state).await {
        Ok(mut c) => reconcile::actors_by_ids(&mut c, &[id]).await.map_err(internal),
        Err(r) => Err(r),
    };
    match rows {
        Ok(rows) => rows.first().map_or_else(not_found, |a| html(StatusCode::OK, card(a))),
        Err(r) => refuse(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonp_takes_identifiers_only() {
        let ok = reply(&json!({"a": 1}), Some("jQuery123_456.cb"));
        assert_eq!(ok.status(), StatusCode::OK);
        for bad in ["alert(1)", "a b", "1abc", "x;y", "a..b"] {
            assert_eq!(reply(&json!({}), Some(bad)).status(), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<b>\"x\" & 'y'</b>"), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
    }

    #[test]
    fn queries_are_checked() {
        let lands = Vec::new();
        assert!(parse_query("q0", &json!({"query": "Leipzig", "limit": 0}), &lands).is_err());
        assert!(parse_query("q0", &json!({"limit": 3}), &lands).is_err());
        assert!(parse_query("q0", &json!({"query": "ä".repeat(301)}), &lands).is_err());
        assert!(
            parse_query("q0", &json!({"query": "x", "properties": [{"pid": "colour", "v": "red"}]}), &lands).is_err()
        );
        let q = parse_query(
            "q0",
            &json!({"query": " Leipzig ", "type": ["municipality", "nonsense"],
                    "properties": [{"pid": "ags", "v": ["14713000", "x"]}]}),
            &lands,
        )
        .unwrap_or_else(|_| panic!("a valid query"));
        assert_eq!(
            (q.text.as_deref(), q.kinds.as_slice(), q.keys.as_slice()),
            (Some("Leipzig"), &["municipality".to_owned()][..], &["14713000".to_owned()][..])
        );
    }
}
