//! The review page for editors: the queue of candidate nodes and edges with their evidence, and
//! the actions on them (confirm, reject, merge two actors, add an alias), each sent as the API's
//! mutation with the editor's token, so that it lands in the audit log, which the page shows.
//!
//! The token is entered once and kept in a session cookie (`HttpOnly`, `SameSite=Strict`,
//! `Secure` over HTTPS); actions are POSTed forms, refused when the `Origin` is another site.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use minijinja::context;
use serde::Deserialize;
use serde_json::{Value, json};

use super::pages::{NODE, RELATION};
use super::{PageError, encode, href, query, respond};
use crate::markup::percent_decode;
use crate::mutations::{Caller, caller};
use crate::server::AppState;

const COOKIE: &str = "govgraph_pruefen";

/// The token of the session cookie.
fn session_token(req: &HttpRequest) -> Option<String> {
    req.headers().get_all(header::COOKIE).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE).then(|| percent_decode(value)).filter(|t| !t.is_empty())
    })
}

/// The caller of the session: an editor when the cookie holds a valid token.
fn session_caller(state: &AppState, req: &HttpRequest) -> Option<Caller> {
    let token = session_token(req)?;
    Some(caller(&state.tokens, Some(&format!("Bearer {token}"))))
}

fn cookie(req: &HttpRequest, value: &str, max_age: Option<i64>) -> String {
    let secure = if req.connection_info().scheme() == "https" { "; Secure" } else { "" };
    let age = max_age.map(|a| format!("; Max-Age={a}")).unwrap_or_default();
    format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{secure}{age}", encode(value))
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// Whether a form comes from this site: no `Origin` (an old browser, a script), or the same host.
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) else { return true };
    let host = req.connection_info().host().to_owned();
    origin.split_once("://").is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

#[derive(Deserialize, Default)]
pub struct ReviewParams {
    ok: Option<String>,
    fehler: Option<String>,
}

/// `GET /pruefen`: the sign-in form, or the queue and the audit log.
pub async fn page(state: web::Data<AppState>, req: HttpRequest, params: web::Query<ReviewParams>) -> HttpResponse {
    respond(review_page(&state, &req, params.into_inner()).await)
}

async fn review_page(state: &AppState, req: &HttpRequest, p: ReviewParams) -> Result<HttpResponse, PageError> {
    let flash = json!({ "ok": p.ok, "error": p.fehler });
    let editor = match session_caller(state, req) {
        Some(Caller::Editor(name)) => name,
        Some(Caller::Refused(why)) => {
            return Ok(super::render(
                StatusCode::OK,
                "review.html",
                context! { signed_in => false, flash => flash, refused => why, tokens => !state.tokens.is_empty() },
            ));
        }
        None => {
            return Ok(super::render(
                StatusCode::OK,
                "review.html",
                context! { signed_in => false, flash => flash, tokens => !state.tokens.is_empty() },
            ));
        }
    };
    let data = query(
        state,
        Caller::Editor(editor.clone()),
        &format!(
            "query Review {{
                actors(first: 25, filter: {{ status: CANDIDATE }}) {{ totalCount nodes {{ ...N status aliases
                    announcements(first: 2) {{ nodes {{ id title }} }} }} }}
                agreements(first: 15, filter: {{ status: CANDIDATE }}) {{ totalCount nodes {{ ...N status aliases
                    relations(first: 2) {{ nodes {{ evidence {{ sentence announcement {{ id title }} }} }} }} }} }}
                projects(first: 15, filter: {{ status: CANDIDATE }}) {{ totalCount nodes {{ ...N status aliases
                    relations(first: 2) {{ nodes {{ evidence {{ sentence announcement {{ id title }} }} }} }} }} }}
                relations(first: 25, filter: {{ status: CANDIDATE }}) {{ totalCount nodes {{ ...R }} }}
                auditLog(first: 15) {{ who action target details at }} }}
            {NODE} {RELATION}"
        ),
        json!({}),
    )
    .await?;
    let nodes = |key: &str| -> Vec<Value> {
        data[key]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|n| {
                let mut evidence: Vec<Value> = Vec::new();
                for a in n["announcements"]["nodes"].as_array().into_iter().flatten() {
                    evidence.push(json!({ "title": a["title"], "href": announcement_href(a) }));
                }
                for r in n["relations"]["nodes"].as_array().into_iter().flatten() {
                    for e in r["evidence"].as_array().into_iter().flatten() {
                        evidence.push(json!({ "sentence": e["sentence"], "title": e["announcement"]["title"],
                            "href": announcement_href(&e["announcement"]) }));
                    }
                }
                json!({ "node": n, "href": href(n), "evidence": evidence })
            })
            .collect()
    };
    let relations: Vec<Value> = data["relations"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            json!({
                "id": r["id"], "predicate": r["predicate"], "role": r["role"], "title": r["title"],
                "subject": r["subject"], "subject_href": href(&r["subject"]),
                "object": r["object"], "object_href": href(&r["object"]),
                "evidence": r["evidence"],
            })
        })
        .collect();
    Ok(super::render(
        StatusCode::OK,
        "review.html",
        context! {
            signed_in => true,
            editor,
            flash => flash,
            actors => nodes("actors"), actors_total => data["actors"]["totalCount"].as_i64(),
            agreements => nodes("agreements"), agreements_total => data["agreements"]["totalCount"].as_i64(),
            projects => nodes("projects"), projects_total => data["projects"]["totalCount"].as_i64(),
            relations => relations, relations_total => data["relations"]["totalCount"].as_i64(),
            audit => minijinja::Value::from_serialize(&data["auditLog"]),
        },
    ))
}

#[derive(Deserialize)]
pub struct SignIn {
    token: String,
}

/// `POST /pruefen/anmelden`: keeps a valid token in the session cookie.
pub async fn sign_in(state: web::Data<AppState>, req: HttpRequest, form: web::Form<SignIn>) -> HttpResponse {
    if !same_origin(&req) {
        return HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body("Formular von fremder Seite");
    }
    let token = form.token.trim();
    match caller(&state.tokens, Some(&format!("Bearer {token}"))) {
        Caller::Editor(_) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/pruefen"))
            .insert_header((header::SET_COOKIE, cookie(&req, token, None)))
            .finish(),
        Caller::Refused(_) => see_other(&format!("/pruefen?fehler={}", encode("Das Token ist nicht gültig."))),
    }
}

/// `POST /pruefen/abmelden`: forgets the token.
pub async fn sign_out(req: HttpRequest) -> HttpResponse {
    if !same_origin(&req) {
        return HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body("Formular von fremder Seite");
    }
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/pruefen"))
        .insert_header((header::SET_COOKIE, cookie(&req, "", Some(0))))
        .finish()
}

#[derive(Deserialize)]
pub struct Action {
    aktion: String,
    id: String,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    mit: Option<String>,
}

/// `POST /pruefen/aktion`: one action of the queue, sent as the API's mutation.
pub async fn act(state: web::Data<AppState>, req: HttpRequest, form: web::Form<Action>) -> HttpResponse {
    if !same_origin(&req) {
        return HttpResponse::Forbidden().content_type("text/plain; charset=utf-8").body("Formular von fremder Seite");
    }
    let Some(editor @ Caller::Editor(_)) = session_caller(&state, &req) else {
        return see_other(&format!("/pruefen?fehler={}", encode("Bitte zuerst mit einem Token anmelden.")));
    };
    let form = form.into_inner();
    match perform(&state, editor, &form).await {
        Ok(done) => see_other(&format!("/pruefen?ok={}", encode(&done))),
        Err(e) => see_other(&format!("/pruefen?fehler={}", encode(&e))),
    }
}

async fn perform(state: &AppState, editor: Caller, form: &Action) -> Result<String, String> {
    let id = form.id.trim();
    let run = |q: &'static str, vars: Value| {
        let editor = editor.clone();
        async move { query(state, editor, q, vars).await.map_err(|e| page_error_text(&e)) }
    };
    match form.aktion.as_str() {
        "bestaetigen" => {
            run("mutation($id: ID!) { confirm(id: $id) }", json!({ "id": id })).await?;
            Ok("Bestätigt.".into())
        }
        "ablehnen" => {
            run("mutation($id: ID!) { reject(id: $id) }", json!({ "id": id })).await?;
            Ok("Abgelehnt.".into())
        }
        "kante_bestaetigen" => {
            run("mutation($id: ID!) { setRelationStatus(id: $id, status: CONFIRMED) }", json!({ "id": id })).await?;
            Ok("Beziehung bestätigt.".into())
        }
        "kante_ablehnen" => {
            run("mutation($id: ID!) { setRelationStatus(id: $id, status: REJECTED) }", json!({ "id": id })).await?;
            Ok("Beziehung abgelehnt.".into())
        }
        "alias" => {
            let alias = form.alias.as_deref().map(str::trim).filter(|a| !a.is_empty()).ok_or("Der Alias fehlt.")?;
            run(
                "mutation($id: ID!, $alias: String!) { addAlias(id: $id, alias: $alias) }",
                json!({ "id": id, "alias": alias }),
            )
            .await?;
            Ok(format!("Alias „{alias}“ hinzugefügt."))
        }
        "zusammenfuehren" => {
            let into = form.mit.as_deref().map(str::trim).filter(|m| !m.is_empty()).ok_or("Der Zielakteur fehlt.")?;
            let found =
                run("query($slug: String!) { actor(slug: $slug) { id name } }", json!({ "slug": into })).await?;
            let survivor =
                found["actor"]["id"].as_str().ok_or_else(|| format!("Kein Akteur mit dem Kurznamen {into}."))?;
            run(
                "mutation($s: ID!, $l: ID!) { mergeActors(survivor: $s, loser: $l) }",
                json!({ "s": survivor, "l": id }),
            )
            .await?;
            Ok(format!("Zusammengeführt in {}.", found["actor"]["name"].as_str().unwrap_or(into)))
        }
        other => Err(format!("Unbekannte Aktion {other}.")),
    }
}

/// The page of an announcement as a query gives it (`{ id title }`).
fn announcement_href(announcement: &Value) -> Option<String> {
    href(&json!({ "__typename": "Announcement", "id": announcement["id"] }))
}

fn page_error_text(e: &PageError) -> String {
    match e {
        PageError::NotFound(m) | PageError::BadInput(m) | PageError::Internal(m) => m.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_values_round_trip() {
        for token in ["abc", "a b;c=d%", "tökén", ""] {
            assert_eq!(percent_decode(&encode(token)), token);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
