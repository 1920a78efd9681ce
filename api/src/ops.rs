//! Operations: `/healthz` (the process answers), `/readyz` (the database answers), `/metrics`
//! (Prometheus text: requests and latencies by route and status, GraphQL errors, harvest runs by
//! status, stored announcements).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::{HttpResponse, web};
use diesel_async::RunQueryDsl;
use govgraph_shared::models::stats;

use crate::server::AppState;

const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Request counters, kept in the process.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), Series>>,
    graphql_errors: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, route: &'static str, status: u16, took: Duration) {
        let secs = took.as_secs_f64();
        let mut map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let s = map.entry((route, status)).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn graphql_errors(&self, n: u64) {
        self.graphql_errors.fetch_add(n, Ordering::Relaxed);
    }
}

/// The label of a path: the known routes, or "other" (no label per URL).
pub fn route_label(path: &str) -> &'static str {
    match path {
        "/graphql" => "/graphql",
        "/schema.graphql" => "/schema.graphql",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        "/metrics" => "/metrics",
        "/feeds/announcements.atom" => "/feeds/announcements.atom",
        p if p.starts_with("/export/") => "/export",
        p if p.starts_with("/reconcile") => "/reconcile",
        p if p.starts_with("/graphiql/") => "/graphiql",
        "/" => "/",
        "/suche" => "/suche",
        "/netz" => "/netz",
        "/pfade" => "/pfade",
        p if p.starts_with("/explorer/") => "/explorer",
        p if p.starts_with("/pruefen") => "/pruefen",
        p => match p.split('/').nth(1) {
            Some("meldung") => "/meldung",
            Some("akteur") => "/akteur",
            Some("vereinbarung") => "/vereinbarung",
            Some("projekt") => "/projekt",
            Some("leistung") => "/leistung",
            Some("land") => "/land",
            _ => "other",
        },
    }
}

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Ready when the database answers within two seconds.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let check = async {
        let mut conn = state.pool.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.map_err(|e| e.to_string())
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(_)) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(Err(e)) => HttpResponse::ServiceUnavailable().content_type("text/plain").body(format!("database: {e}")),
        Err(_) => HttpResponse::ServiceUnavailable().content_type("text/plain").body("database: no answer in 2 s"),
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut out = String::new();
    let _ = writeln!(out, "# HELP govgraph_http_requests_total HTTP requests by route and status.");
    let _ = writeln!(out, "# TYPE govgraph_http_requests_total counter");
    let _ = writeln!(out, "# HELP govgraph_http_request_duration_seconds HTTP request latency.");
    let _ = writeln!(out, "# TYPE govgraph_http_request_duration_seconds histogram");
    {
        let map = state.metrics.requests.lock().unwrap_or_else(|e| e.into_inner());
        for ((route, status), s) in map.iter() {
            let labels = format!("route=\"{route}\",status=\"{status}\"");
            let _ = writeln!(out, "govgraph_http_requests_total{{{labels}}} {}", s.count);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "govgraph_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(out, "govgraph_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "govgraph_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "govgraph_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
    }
    let _ = writeln!(out, "# HELP govgraph_db_queries_total SQL statements run by this process.");
    let _ = writeln!(out, "# TYPE govgraph_db_queries_total counter");
    let _ = writeln!(out, "govgraph_db_queries_total {}", govgraph_shared::db::queries_run());
    let _ = writeln!(out, "# HELP govgraph_graphql_errors_total GraphQL errors answered.");
    let _ = writeln!(out, "# TYPE govgraph_graphql_errors_total counter");
    let _ = writeln!(
        out,
        "govgraph_graphql_errors_total {}",
        AtomicU64::load(&state.metrics.graphql_errors, Ordering::Relaxed)
    );
    if let Ok(mut conn) = state.pool.get().await {
        if let Ok(runs) = stats::runs_by_status(&mut conn).await {
            let _ = writeln!(out, "# HELP govgraph_harvest_runs Harvest runs by status.");
            let _ = writeln!(out, "# TYPE govgraph_harvest_runs gauge");
            for c in runs {
                let _ = writeln!(out, "govgraph_harvest_runs{{status=\"{}\"}} {}", c.key.unwrap_or_default(), c.n);
            }
        }
        if let Ok(nodes) = stats::nodes_by_type(&mut conn).await {
            let _ = writeln!(out, "# HELP govgraph_nodes Stored nodes by type.");
            let _ = writeln!(out, "# TYPE govgraph_nodes gauge");
            for c in nodes {
                let _ = writeln!(out, "govgraph_nodes{{type=\"{}\"}} {}", c.key.unwrap_or_default(), c.n);
            }
        }
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(out)
}
