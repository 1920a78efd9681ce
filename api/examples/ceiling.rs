//! The ceiling for the API load benchmark: plain actix-web handlers that run the same SQL as the
//! GraphQL resolvers (the same model functions, one statement per list and level) and write JSON
//! by hand; no GraphQL parsing, validation, limits or DataLoaders. `bench/api/run.sh` measures
//! GraphQL's throughput as a ratio of this.
//!
//!     DATABASE_URL=... cargo run --release -p govgraph-api --example ceiling -- 127.0.0.1:8091

use std::collections::{HashMap, HashSet};

use actix_web::{App, HttpResponse, HttpServer, web};
use govgraph_shared::db::Pool;
use govgraph_shared::models::graph::{Actor, ActorFilter, Direction, Edge, EvidenceRow};
use govgraph_shared::models::{self, Document, DocumentFilter, DocumentState};
use serde_json::json;

#[derive(serde::Deserialize)]
struct Q {
    state: Option<String>,
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn fail(e: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::InternalServerError().body(e.to_string())
}

async fn announcements(pool: web::Data<Pool>, q: web::Query<Q>) -> HttpResponse {
    let Ok(mut conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    let filter = DocumentFilter { state: q.state.clone(), ..Default::default() };
    let docs = match Document::list(&mut conn, &filter, models::Page::first(21)).await {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    let states = match DocumentState::for_documents(&mut conn, &ids).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let edges: Vec<_> = docs
        .iter()
        .take(20)
        .map(|d| {
            let codes: Vec<&str> =
                states.iter().filter(|s| s.document_id == d.id).map(|s| s.state_code.as_str()).collect();
            json!({ "node": { "id": d.id, "title": d.title, "publishedAt": d.published_at, "states": codes } })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "data": { "announcements": { "edges": edges } } }))
}

async fn nested(pool: web::Data<Pool>, q: web::Query<Q>) -> HttpResponse {
    let Ok(mut conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    let filter = ActorFilter {
        state: q.state.as_deref().and_then(|s| govgraph_shared::vocab::StateCode::parse_code(s).ok()),
        ..Default::default()
    };
    let actors = match Actor::list(&mut conn, &filter, models::Page::first(21)).await {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let ids: Vec<i64> = actors.iter().take(20).map(|a| a.id).collect();
    let edges = match Edge::of_nodes(&mut conn, &ids, &[], Direction::Both, 10).await {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let rel_ids: Vec<i64> = edges.iter().map(|e| e.edge.id).collect();
    let evidence = match EvidenceRow::for_relations(&mut conn, &rel_ids).await {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let mut by_rel: HashMap<i64, Vec<serde_json::Value>> = HashMap::new();
    for ev in evidence {
        by_rel
            .entry(ev.relation_id)
            .or_default()
            .push(json!({ "sentence": ev.sentence, "announcementTitle": ev.document_title }));
    }
    let out: Vec<_> = actors
        .iter()
        .take(20)
        .map(|a| {
            let rels: Vec<_> = edges
                .iter()
                .filter(|e| e.node == a.id)
                .map(|e| {
                    json!({ "predicate": e.edge.predicate, "object": { "name": e.edge.object_name },
                            "evidence": by_rel.get(&e.edge.id).cloned().unwrap_or_default() })
                })
                .collect();
            json!({ "node": { "name": a.name, "relations": { "nodes": rels } } })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "data": { "actors": { "edges": out } } }))
}

async fn search(pool: web::Data<Pool>, q: web::Query<Q>) -> HttpResponse {
    let Ok(mut conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    let filter =
        models::search::SearchFilter { types: vec![models::search::HitType::Announcement], ..Default::default() };
    match models::search::hits(&mut conn, q.q.as_deref().unwrap_or("Digitalisierung"), &filter, None, 10).await {
        Ok(hits) => {
            let hits: Vec<_> = hits.iter().map(|h| json!({ "name": h.name, "snippet": h.snippet })).collect();
            HttpResponse::Ok().json(json!({ "data": { "search": hits } }))
        }
        Err(e) => fail(e),
    }
}

async fn paths(pool: web::Data<Pool>, q: web::Query<Q>) -> HttpResponse {
    let Ok(mut conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    let find = |slug: Option<String>| async move { slug };
    let (Some(from), Some(to)) = (find(q.from.clone()).await, find(q.to.clone()).await) else {
        return HttpResponse::BadRequest().finish();
    };
    let a = models::graph::NamedNode::find_by_slug(&mut conn, &from).await.ok().flatten().map(|n| n.id);
    let b = models::graph::NamedNode::find_by_slug(&mut conn, &to).await.ok().flatten().map(|n| n.id);
    let (Some(a), Some(b)) = (a, b) else { return HttpResponse::BadRequest().finish() };
    let mut seen: HashSet<i64> = HashSet::from([a]);
    let mut frontier = vec![a];
    let mut hops = 0;
    while !frontier.is_empty() && hops < 3 && !seen.contains(&b) {
        hops += 1;
        let rows = match Edge::of_nodes(&mut conn, &frontier, &[], Direction::Both, 100).await {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        frontier = Vec::new();
        for r in rows {
            for n in [r.edge.subject_id, r.edge.object_id] {
                if seen.insert(n) {
                    frontier.push(n);
                }
            }
        }
    }
    HttpResponse::Ok().json(json!({ "data": { "found": seen.contains(&b), "hops": hops } }))
}

/// The walk of issue 13: an agreement, its first 10 parties with their state, first 5 agreements
/// and first 5 bodies, and its first 10 signatories with their evidence; a statement per list and
/// level, as the GraphQL loaders run them.
async fn walk(pool: web::Data<Pool>, q: web::Query<Q>) -> HttpResponse {
    use govgraph_shared::models::nodes::{NodeRow, NodeTable};
    use govgraph_shared::vocab::Predicate;
    let Ok(mut conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    let Some(slug) = q.q.clone() else { return HttpResponse::BadRequest().finish() };
    macro_rules! get {
        ($e:expr) => {
            match $e.await {
                Ok(v) => v,
                Err(e) => return fail(e),
            }
        };
    }
    let Some(deal) = get!(NodeRow::find(&mut conn, NodeTable::Agreements, None, Some(&slug), None)) else {
        return HttpResponse::NotFound().finish();
    };
    let parties = get!(Edge::of_nodes(&mut conn, &[deal.id], &[Predicate::PartyTo], Direction::Incoming, 10));
    let signatories = get!(Edge::of_nodes(&mut conn, &[deal.id], &[Predicate::Signed], Direction::Incoming, 10));
    let actor_ids: Vec<i64> = parties.iter().chain(&signatories).map(|e| e.edge.subject_id).collect();
    let actors: HashMap<i64, Actor> =
        get!(Actor::by_ids(&mut conn, &actor_ids)).into_iter().map(|a| (a.id, a)).collect();
    let party_ids: Vec<i64> = parties.iter().map(|e| e.edge.subject_id).collect();
    let theirs =
        get!(Edge::of_nodes(&mut conn, &party_ids, &[Predicate::PartyTo, Predicate::Signed], Direction::Outgoing, 5));
    let bodies = get!(Edge::of_nodes(&mut conn, &party_ids, &[Predicate::MemberOf], Direction::Outgoing, 5));
    let agreement_ids: Vec<i64> = theirs.iter().map(|e| e.edge.object_id).collect();
    let agreements: HashMap<i64, NodeRow> = get!(NodeRow::by_ids(&mut conn, NodeTable::Agreements, &agreement_ids))
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let body_ids: Vec<i64> = bodies.iter().map(|e| e.edge.object_id).collect();
    let body_actors: HashMap<i64, Actor> =
        get!(Actor::by_ids(&mut conn, &body_ids)).into_iter().map(|a| (a.id, a)).collect();
    let signed: Vec<i64> = signatories.iter().map(|e| e.edge.id).collect();
    let evidence = get!(EvidenceRow::for_relations(&mut conn, &signed));
    let party_json: Vec<_> = parties
        .iter()
        .map(|p| {
            let a = actors.get(&p.edge.subject_id);
            let of = |list: &[models::graph::NodeEdge], end: &dyn Fn(i64) -> serde_json::Value| -> Vec<serde_json::Value> {
                list.iter().filter(|e| e.node == p.edge.subject_id).map(|e| end(e.edge.object_id)).collect()
            };
            json!({ "subject": {
                "name": a.map(|a| a.name.as_str()),
                "state": a.and_then(|a| a.state_code).map(|c| json!({ "code": c.as_str() })),
                "agreements": { "nodes": of(&theirs, &|id| json!({ "object": agreements.get(&id).map(|g| json!({ "name": g.name, "date": g.date })) })) },
                "bodies": { "nodes": of(&bodies, &|id| json!({ "object": body_actors.get(&id).map(|b| json!({ "name": b.name })) })) },
            } })
        })
        .collect();
    let signatory_json: Vec<_> = signatories
        .iter()
        .map(|s| {
            let ev: Vec<_> = evidence
                .iter()
                .filter(|e| e.relation_id == s.edge.id)
                .map(|e| json!({ "sentence": e.sentence, "announcement": { "title": e.document_title, "url": e.document_url } }))
                .collect();
            json!({ "subject": { "name": actors.get(&s.edge.subject_id).map(|a| a.name.as_str()) }, "title": s.edge.title, "evidence": ev })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "data": { "agreement": { "name": deal.name, "date": deal.date,
        "parties": { "nodes": party_json }, "signatories": { "nodes": signatory_json } } } }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let bind = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8091".into());
    let pool = web::Data::new(govgraph_shared::db::pool(&url, 16).expect("a pool"));
    println!("ceiling listening on http://{bind}");
    HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .route("/announcements", web::get().to(announcements))
            .route("/nested", web::get().to(nested))
            .route("/search", web::get().to(search))
            .route("/paths", web::get().to(paths))
            .route("/walk", web::get().to(walk))
    })
    .bind(bind)?
    .run()
    .await
}
