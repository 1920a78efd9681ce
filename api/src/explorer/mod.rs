//! The explorer: German pages at `/` to search, read and follow the graph, and to review
//! candidates, rendered on the server with minijinja from templates embedded in the binary
//! (`api/templates/`). Every page reads the graph **through the GraphQL schema**, executed in
//! process with the same limits as `/graphql` ([`query`]): the explorer is the API's first client
//! and shows nothing the API could not answer. Reading works without JavaScript; the network view
//! draws with cytoscape.js (vendored in `api/assets/explorer/`, see its README).
//!
//! - [`pages`]: one handler per page, each with its GraphQL query;
//! - [`review`]: the review queue for editors (token kept in a session cookie; actions through
//!   the mutations, so each lands in the audit log);
//! - [`text`]: the announcement's text cut into segments at its mentions, and search snippets;
//! - [`labels`]: the German words for the vocabularies of `shared::vocab`.

pub mod labels;
pub mod pages;
pub mod review;
pub mod text;

use std::sync::LazyLock;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use async_graphql::{Request, Variables};
use minijinja::{Environment, Value as Tpl};
use serde_json::Value;

use crate::mutations::Caller;
use crate::server::AppState;

/// The version of the explorer's assets; part of their URLs, which are cached as immutable.
pub const ASSET_VERSION: &str = "2";

/// (file name, content type, contents)
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("style.css", "text/css; charset=utf-8", include_bytes!("../../assets/explorer/style.css")),
    ("explorer.js", "application/javascript; charset=utf-8", include_bytes!("../../assets/explorer/explorer.js")),
    (
        "cytoscape.min.js",
        "application/javascript; charset=utf-8",
        include_bytes!("../../assets/explorer/cytoscape.min.js"),
    ),
];

/// (template name, source)
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("start.html", include_str!("../../templates/start.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("announcement.html", include_str!("../../templates/announcement.html")),
    ("actor.html", include_str!("../../templates/actor.html")),
    ("agreement.html", include_str!("../../templates/agreement.html")),
    ("project.html", include_str!("../../templates/project.html")),
    ("service.html", include_str!("../../templates/service.html")),
    ("state.html", include_str!("../../templates/state.html")),
    ("network.html", include_str!("../../templates/network.html")),
    ("paths.html", include_str!("../../templates/paths.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("error.html", include_str!("../../templates/error.html")),
];

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        // the templates are part of the binary; `templates_parse` in the tests guards them
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "a template of the explorer does not parse");
        }
    }
    env.add_filter("label", labels::label_filter);
    env.add_filter("de_date", labels::de_date);
    env.add_filter("number", labels::number);
    env.add_function("href", href_function);
    env.add_global("asset", Tpl::from(format!("/explorer/{ASSET_VERSION}")));
    env
});

/// The page of a node: `/akteur/{slug}`, `/vereinbarung/{slug}`, `/projekt/{slug}`,
/// `/leistung/{slug}`, `/land/{code}`, `/meldung/{id}`; `None` for a node without a page.
pub fn href(node: &Value) -> Option<String> {
    let slug = node.get("slug").and_then(Value::as_str);
    let path = |prefix: &str, key: Option<&str>| key.map(|k| format!("/{prefix}/{}", encode(k)));
    match node.get("__typename").and_then(Value::as_str)? {
        "Actor" => path("akteur", slug),
        "Agreement" => path("vereinbarung", slug),
        "Project" => path("projekt", slug),
        "Service" => path("leistung", slug),
        "State" => path("land", node.get("code").and_then(Value::as_str)),
        "Announcement" => path("meldung", node.get("id").and_then(Value::as_str)),
        _ => None,
    }
}

fn href_function(node: Tpl) -> Result<String, minijinja::Error> {
    let json = serde_json::to_value(&node)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))?;
    Ok(href(&json).unwrap_or_default())
}

pub(crate) use crate::markup::percent_encode as encode;

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// Nothing under this address.
    NotFound(String),
    /// The address asks for something malformed (a wrong id, a bad date).
    BadInput(String),
    /// The graph could not be read.
    Internal(String),
}

impl PageError {
    fn status(&self) -> StatusCode {
        match self {
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::BadInput(_) => StatusCode::BAD_REQUEST,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &str {
        match self {
            PageError::NotFound(m) | PageError::BadInput(m) | PageError::Internal(m) => m,
        }
    }
}

/// Runs a GraphQL query in process, as `caller`, with the API's limits and timeout; the `data`
/// as JSON, or the first error (BAD_USER_INPUT as a bad request).
pub async fn query(state: &AppState, caller: Caller, query: &str, variables: Value) -> Result<Value, PageError> {
    let request = Request::new(query).variables(Variables::from_json(variables)).data(caller);
    let response = crate::server::run(state, request).await;
    if let Some(error) = response.errors.first() {
        let code = match error.extensions.as_ref().and_then(|e| e.get("code")) {
            Some(async_graphql::Value::String(code)) => code.as_str(),
            _ => "",
        };
        return Err(match code {
            "BAD_USER_INPUT" | "GRAPHQL_VALIDATION_FAILED" => PageError::BadInput(error.message.clone()),
            _ => {
                tracing::warn!(error = %error.message, code, "an explorer query failed");
                PageError::Internal(error.message.clone())
            }
        });
    }
    response.data.into_json().map_err(|e| PageError::Internal(e.to_string()))
}

/// A reader's request: no editor.
pub fn reader() -> Caller {
    Caller::Refused("the explorer reads without a token".into())
}

/// Renders `template` with `context` as an HTML answer with `status`.
pub fn render(status: StatusCode, template: &str, context: Tpl) -> HttpResponse {
    let html = ENV.get_template(template).and_then(|t| t.render(context));
    match html {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header(("x-content-type-options", "nosniff"))
            .insert_header(("referrer-policy", "same-origin"))
            .insert_header((
                "content-security-policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'",
            ))
            .body(html),
        Err(e) => {
            tracing::error!(template, error = %e, "a page of the explorer could not be rendered");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Die Seite konnte nicht dargestellt werden.")
        }
    }
}

/// The page for an error, with its status.
pub fn error_page(error: &PageError) -> HttpResponse {
    let title = match error {
        PageError::NotFound(_) => "Nicht gefunden",
        PageError::BadInput(_) => "Ungültige Anfrage",
        PageError::Internal(_) => "Fehler",
    };
    render(error.status(), "error.html", minijinja::context! { title, message => error.message() })
}

/// The result of a page handler: its HTML, or an error page.
pub fn respond(result: Result<HttpResponse, PageError>) -> HttpResponse {
    result.unwrap_or_else(|e| error_page(&e))
}

/// `GET /explorer/{version}/{file}`: an embedded asset, cached for a year.
async fn asset(path: web::Path<(String, String)>) -> HttpResponse {
    let (version, file) = path.into_inner();
    let found = (version == ASSET_VERSION).then(|| ASSETS.iter().find(|(name, _, _)| *name == file)).flatten();
    match found {
        Some((_, content_type, bytes)) => HttpResponse::Ok()
            .content_type(*content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(*bytes),
        None => HttpResponse::NotFound().content_type("text/plain").body("no such asset"),
    }
}

/// The explorer's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::start))
        .route("/suche", web::get().to(pages::search))
        .route("/meldung/{id}", web::get().to(pages::announcement))
        .route("/akteur/{slug}", web::get().to(pages::actor))
        .route("/vereinbarung/{slug}", web::get().to(pages::agreement))
        .route("/projekt/{slug}", web::get().to(pages::project))
        .route("/leistung/{slug}", web::get().to(pages::service))
        .route("/land/{code}", web::get().to(pages::state))
        .route("/netz", web::get().to(pages::network))
        .route("/pfade", web::get().to(pages::paths))
        .route("/pruefen", web::get().to(review::page))
        .route("/pruefen/anmelden", web::post().to(review::sign_in))
        .route("/pruefen/abmelden", web::post().to(review::sign_out))
        .route("/pruefen/aktion", web::post().to(review::act))
        .route("/explorer/{version}/{file}", web::get().to(asset));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn node_pages() {
        let actor = serde_json::json!({ "__typename": "Actor", "slug": "land-sachsen-anhalt", "id": "x" });
        assert_eq!(href(&actor).as_deref(), Some("/akteur/land-sachsen-anhalt"));
        let state = serde_json::json!({ "__typename": "State", "code": "ST" });
        assert_eq!(href(&state).as_deref(), Some("/land/ST"));
        let odd = serde_json::json!({ "__typename": "Agreement", "slug": "a b/ü" });
        assert_eq!(href(&odd).as_deref(), Some("/vereinbarung/a%20b%2F%C3%BC"));
        assert_eq!(href(&serde_json::json!({ "__typename": "Source" })), None);
    }
}
