//! The HTTP side: `POST /graphql` (single or batched), `GET /graphql?query=...` (cacheable, with
//! an ETag; without `query` it is GraphiQL, its assets under `/graphiql/`), `GET /schema.graphql`,
//! the feeds and exports, the reconciliation service (`/reconcile`), and the operational routes (`/healthz`, `/readyz`, `/metrics`). Every request passes the rate limit,
//! CORS and compression; GraphQL requests pass the limits of [`crate::limits`] before any
//! database work.

use std::hash::{Hash, Hasher};
use std::net::{IpAddr, TcpListener};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, Service};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, middleware, web};
use async_graphql::{BatchRequest, BatchResponse, Request};
use futures_util::StreamExt;
use govgraph_shared::config::ApiSettings;
use govgraph_shared::db::Pool;

use crate::limits::{self, MAX_BATCH, MAX_BODY, error_json};
use crate::ops::{self, Metrics};
use crate::schema::{GovgraphSchema, build_schema};

/// What every handler shares.
pub struct AppState {
    pub schema: GovgraphSchema,
    /// The editors' API tokens (name, token).
    pub tokens: Vec<(String, String)>,
    pub pool: Pool,
    pub settings: ApiSettings,
    pub limiter: crate::rate_limit::RateLimit,
    pub metrics: Arc<Metrics>,
}

type State = web::Data<AppState>;

fn json(status: StatusCode, value: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status).content_type("application/json").body(value.to_string())
}

/// Runs one GraphQL request with the limits and the timeout (the explorer's pages too).
pub(crate) async fn run(state: &AppState, request: Request) -> async_graphql::Response {
    if let Some(refused) = limits::check(&request) {
        return refused;
    }
    let secs = state.settings.query_timeout_secs;
    match tokio::time::timeout(Duration::from_secs(secs), state.schema.execute(request)).await {
        Ok(response) => limits::codify(response),
        Err(_) => limits::timeout(secs),
    }
}

async fn execute(state: &AppState, batch: BatchRequest, caller: crate::mutations::Caller) -> BatchResponse {
    match batch {
        BatchRequest::Single(r) => BatchResponse::Single(run(state, r.data(caller)).await),
        BatchRequest::Batch(rs) => {
            let mut out = Vec::with_capacity(rs.len());
            for r in rs {
                out.push(run(state, r.data(caller.clone())).await);
            }
            BatchResponse::Batch(out)
        }
    }
}

fn count_errors(state: &AppState, response: &BatchResponse) {
    let n = match response {
        BatchResponse::Single(r) => r.errors.len(),
        BatchResponse::Batch(rs) => rs.iter().map(|r| r.errors.len()).sum(),
    };
    state.metrics.graphql_errors(n as u64);
}

async fn graphql_post(state: State, req: HttpRequest, mut body: web::Payload) -> HttpResponse {
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let Ok(chunk) = chunk else {
            return json(StatusCode::BAD_REQUEST, &error_json("the request body could not be read", "BAD_REQUEST"));
        };
        if bytes.len() + chunk.len() > MAX_BODY {
            let message = format!("the request body is larger than {} KiB", MAX_BODY / 1024);
            return json(StatusCode::PAYLOAD_TOO_LARGE, &error_json(&message, "REQUEST_TOO_LARGE"));
        }
        bytes.extend_from_slice(&chunk);
    }
    let batch: BatchRequest = match serde_json::from_slice(&bytes) {
        Ok(b) => b,
        Err(e) => {
            let message = format!("the body is not a GraphQL request in JSON ({{\"query\": ...}}): {e}");
            return json(StatusCode::BAD_REQUEST, &error_json(&message, "BAD_REQUEST"));
        }
    };
    if let BatchRequest::Batch(list) = &batch
        && list.len() > MAX_BATCH
    {
        let message = format!("a batch may hold at most {MAX_BATCH} operations, not {}", list.len());
        return json(StatusCode::BAD_REQUEST, &error_json(&message, "BATCH_LIMIT"));
    }
    let authorization = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let caller = crate::mutations::caller(&state.tokens, authorization);
    let response = execute(&state, batch, caller).await;
    count_errors(&state, &response);
    HttpResponse::Ok().content_type("application/json").body(serde_json::to_string(&response).unwrap_or_default())
}

#[derive(serde::Deserialize)]
struct GetParams {
    query: Option<String>,
    variables: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
}

/// `GET /graphql`: GraphiQL, or with `query` a cacheable answer with an ETag (queries only).
async fn graphql_get(state: State, req: HttpRequest, params: web::Query<GetParams>) -> HttpResponse {
    let Some(query) = params.query.clone() else {
        return HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(crate::graphiql::page("/graphql"));
    };
    if query.trim_start().starts_with("mutation") || query.trim_start().starts_with("subscription") {
        let message = "GET serves queries only; send mutations with POST";
        return json(StatusCode::METHOD_NOT_ALLOWED, &error_json(message, "BAD_REQUEST"));
    }
    let mut request = Request::new(query);
    if let Some(v) = &params.variables {
        match serde_json::from_str::<async_graphql::Variables>(v) {
            Ok(vars) => request = request.variables(vars),
            Err(e) => {
                return json(
                    StatusCode::BAD_REQUEST,
                    &error_json(&format!("`variables` is not a JSON object: {e}"), "BAD_REQUEST"),
                );
            }
        }
    }
    if let Some(op) = &params.operation_name {
        request = request.operation_name(op);
    }
    let response = BatchResponse::Single(run(&state, request).await);
    count_errors(&state, &response);
    let body = serde_json::to_string(&response).unwrap_or_default();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut hasher);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut builder = if matches { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    builder.insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, "public, max-age=60"));
    if matches { builder.finish() } else { builder.content_type("application/json").body(body) }
}

/// WebSocket subscriptions on `GET /graphql` with `Upgrade: websocket`.
async fn subscriptions(state: State, req: HttpRequest, payload: web::Payload) -> actix_web::Result<HttpResponse> {
    async_graphql_actix_web::GraphQLSubscription::new(state.schema.clone()).start(&req, payload)
}

async fn sdl(state: State) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(state.schema.sdl())
}

/// The client's address: the peer, or behind a trusted proxy the nearest address in
/// `X-Forwarded-For` that is not a trusted proxy (the header is the client's word otherwise).
fn client_ip(req: &actix_web::dev::ServiceRequest, trusted: &[IpAddr]) -> IpAddr {
    let peer = req.peer_addr().map_or(IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    if !trusted.contains(&peer) {
        return peer;
    }
    let chain: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    chain.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer)
}

fn cors(settings: &ApiSettings) -> actix_cors::Cors {
    let base = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "OPTIONS"])
        .allowed_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG])
        .max_age(3600);
    if settings.cors_origins.is_empty() {
        base.allow_any_origin().send_wildcard()
    } else {
        // the reconciliation API requires CORS for every origin (OpenRefine runs on the user's host)
        let base = base.allowed_origin_fn(|_, head| head.uri.path().starts_with("/reconcile"));
        settings.cors_origins.iter().fold(base, |c, o| c.allowed_origin(o))
    }
}

/// Serves the API on `listener` (bind port 0 for a free port).
pub fn serve(pool: Pool, database_url: &str, listener: TcpListener, settings: ApiSettings) -> std::io::Result<Server> {
    let schema = build_schema(
        pool.clone(),
        &settings,
        crate::live::Live::start(database_url.to_owned(), crate::reference_cache::StatesCache::new(pool.clone())),
    );
    let limiter = crate::rate_limit::RateLimit::new(
        settings.rate_limit_per_sec,
        settings.rate_limit_window_secs,
        Some(pool.clone()),
    );
    let state = web::Data::new(AppState {
        schema,
        tokens: crate::mutations::tokens(settings.api_token.as_deref()),
        pool,
        settings: settings.clone(),
        limiter,
        metrics: Arc::new(Metrics::default()),
    });
    let server = HttpServer::new(move || {
        let limiter_state = state.clone();
        let metrics = state.metrics.clone();
        App::new()
            .app_data(state.clone())
            .wrap(middleware::Compress::default())
            .wrap(cors(&state.settings))
            .wrap_fn(move |req, srv| {
                let started = Instant::now();
                let path = ops::route_label(req.path());
                let refusal = if matches!(path, "/healthz" | "/readyz" | "/metrics") {
                    None
                } else {
                    limiter_state.limiter.check(client_ip(&req, &limiter_state.settings.trusted_proxies)).err()
                };
                let metrics = metrics.clone();
                let fut = if refusal.is_some() { None } else { Some(srv.call(req)) };
                async move {
                    let Some(fut) = fut else {
                        let refusal = refusal.unwrap_or_else(|| unreachable!("refused without a reason"));
                        metrics.observe("rate_limited", 429, started.elapsed());
                        let body = error_json(&refusal.message, "RATE_LIMITED");
                        return Err(actix_web::error::InternalError::from_response(
                            "rate limited",
                            HttpResponse::TooManyRequests()
                                .insert_header((header::RETRY_AFTER, refusal.retry_after_secs.to_string()))
                                .content_type("application/json")
                                .body(body.to_string()),
                        )
                        .into());
                    };
                    let res = fut.await?;
                    metrics.observe(path, res.status().as_u16(), started.elapsed());
                    Ok(res)
                }
            })
            .route("/graphql", web::post().to(graphql_post))
            .service(
                web::resource("/graphql")
                    .guard(actix_web::guard::Get())
                    .guard(actix_web::guard::Header("upgrade", "websocket"))
                    .to(subscriptions),
            )
            .route("/graphql", web::get().to(graphql_get))
            .route("/schema.graphql", web::get().to(sdl))
            .route("/healthz", web::get().to(ops::healthz))
            .route("/readyz", web::get().to(ops::readyz))
            .route("/metrics", web::get().to(ops::metrics))
            .route("/feeds/announcements.atom", web::get().to(crate::feeds::announcements))
            .route("/export/{file}", web::get().to(crate::export::export))
            .route(crate::graphiql::ASSET_ROUTE, web::get().to(crate::graphiql::asset))
            .configure(crate::reconcile::routes)
            .configure(crate::explorer::routes)
    })
    .listen(listener)?
    .disable_signals()
    .run();
    Ok(server)
}
