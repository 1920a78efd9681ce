//! Exports for researchers, streamed page by page (constant memory whatever the size):
//!
//! - `/export/nodes.csv`, `/export/edges.csv`: one row per node (id, type, kind, name, slug,
//!   state, status) and per edge (subject, predicate, object, role, title, status, confidence,
//!   how many places it was read, the first of them: method, sentence, URL);
//! - `/export/graph.graphml`: nodes and edges with their attributes, for Gephi;
//! - `/export/graph.jsonld`: the same as JSON-LD (`@graph`).
//!
//! Query parameters: `state` (nodes of that state, and the edges that touch them), `type`
//! (nodes of one type: actor, project, agreement, service), `predicate` (edges of one predicate).
//! GraphML and JSON-LD only hold edges whose two ends are in the export.

use std::collections::HashSet;

use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use govgraph_shared::db::Pool;
use govgraph_shared::models::export::{self, ExportEdge, ExportNode};

use crate::limits::error_json;
use crate::server::AppState;

const PAGE: i64 = 2_000;

#[derive(serde::Deserialize, Clone, Default)]
pub struct ExportParams {
    state: Option<String>,
    #[serde(rename = "type")]
    entity_type: Option<String>,
    predicate: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    NodesCsv,
    EdgesCsv,
    GraphMl,
    JsonLd,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| (*c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn urn(id: i64) -> String {
    format!("urn:govgraph:node:{id}")
}

fn node_text(format: Format, n: &ExportNode, first: bool) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    match format {
        Format::NodesCsv => format!(
            "{},{},{},{},{},{},{}\n",
            n.id,
            n.entity_type,
            csv_field(&o(&n.kind)),
            csv_field(&o(&n.name)),
            csv_field(&o(&n.slug)),
            o(&n.state),
            o(&n.status)
        ),
        Format::GraphMl => format!(
            "<node id=\"n{}\"><data key=\"label\">{}</data><data key=\"type\">{}</data><data key=\"kind\">{}</data><data key=\"state\">{}</data><data key=\"status\">{}</data><data key=\"slug\">{}</data></node>\n",
            n.id,
            xml(&o(&n.name)),
            n.entity_type,
            xml(&o(&n.kind)),
            o(&n.state),
            o(&n.status),
            xml(&o(&n.slug))
        ),
        Format::JsonLd => format!(
            "{}{}",
            if first { "" } else { ",\n" },
            serde_json::json!({
                "@id": urn(n.id), "@type": n.entity_type, "name": n.name, "kind": n.kind,
                "slug": n.slug, "state": n.state, "status": n.status,
            })
        ),
        Format::EdgesCsv => String::new(),
    }
}

fn edge_text(format: Format, e: &ExportEdge, first: bool) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    match format {
        Format::EdgesCsv => format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            e.id,
            e.subject_id,
            e.predicate,
            e.object_id,
            o(&e.role),
            csv_field(&o(&e.title)),
            e.status,
            e.confidence,
            e.evidence_count,
            csv_field(&o(&e.evidence_method)),
            csv_field(&o(&e.evidence_sentence)),
            csv_field(&o(&e.evidence_url))
        ),
        Format::GraphMl => format!(
            "<edge id=\"e{}\" source=\"n{}\" target=\"n{}\"><data key=\"predicate\">{}</data><data key=\"role\">{}</data><data key=\"title\">{}</data><data key=\"confidence\">{}</data><data key=\"evidence_count\">{}</data><data key=\"evidence\">{}</data><data key=\"evidence_url\">{}</data></edge>\n",
            e.id,
            e.subject_id,
            e.object_id,
            e.predicate,
            o(&e.role),
            xml(&o(&e.title)),
            e.confidence,
            e.evidence_count,
            xml(&o(&e.evidence_sentence)),
            xml(&o(&e.evidence_url))
        ),
        Format::JsonLd => format!(
            "{}{}",
            if first { "" } else { ",\n" },
            serde_json::json!({
                "@id": format!("urn:govgraph:relation:{}", e.id), "@type": "Relation",
                "subject": { "@id": urn(e.subject_id) }, "predicate": e.predicate,
                "object": { "@id": urn(e.object_id) }, "role": e.role, "title": e.title,
                "confidence": e.confidence, "evidenceCount": e.evidence_count,
                "evidence": { "method": e.evidence_method, "sentence": e.evidence_sentence, "url": e.evidence_url },
            })
        ),
        Format::NodesCsv => String::new(),
    }
}

const GRAPHML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
<key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
<key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n\
<key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n\
<key id=\"state\" for=\"node\" attr.name=\"state\" attr.type=\"string\"/>\n\
<key id=\"status\" for=\"node\" attr.name=\"status\" attr.type=\"string\"/>\n\
<key id=\"slug\" for=\"node\" attr.name=\"slug\" attr.type=\"string\"/>\n\
<key id=\"predicate\" for=\"edge\" attr.name=\"predicate\" attr.type=\"string\"/>\n\
<key id=\"role\" for=\"edge\" attr.name=\"role\" attr.type=\"string\"/>\n\
<key id=\"title\" for=\"edge\" attr.name=\"title\" attr.type=\"string\"/>\n\
<key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" attr.type=\"double\"/>\n\
<key id=\"evidence_count\" for=\"edge\" attr.name=\"evidence_count\" attr.type=\"int\"/>\n\
<key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n\
<key id=\"evidence_url\" for=\"edge\" attr.name=\"evidence_url\" attr.type=\"string\"/>\n\
<graph id=\"govgraph\" edgedefault=\"directed\">\n";

const JSONLD_HEAD: &str = "{\"@context\": {\"@vocab\": \"urn:govgraph:vocab:\", \"name\": \"http://schema.org/name\", \
\"subject\": {\"@type\": \"@id\"}, \"object\": {\"@type\": \"@id\"}},\n\"@graph\": [\n";

/// Where the stream is.
struct Cursor {
    pool: Pool,
    format: Format,
    params: ExportParams,
    stage: u8,
    after: i64,
    first: bool,
    kept: HashSet<i64>,
}

async fn next_chunk(mut c: Cursor) -> Option<(Result<Bytes, actix_web::Error>, Cursor)> {
    let fail = |e: String| {
        tracing::error!(error = %e, "an export failed midway");
        actix_web::error::ErrorInternalServerError("the export failed; the server log has the details")
    };
    loop {
        match c.stage {
            0 => {
                c.stage = if c.format == Format::EdgesCsv { 2 } else { 1 };
                let head = match c.format {
                    Format::NodesCsv => "id,type,kind,name,slug,state,status\n",
                    Format::EdgesCsv => {
                        "id,subject,predicate,object,role,title,status,confidence,evidence_count,evidence_method,evidence_sentence,evidence_url\n"
                    }
                    Format::GraphMl => GRAPHML_HEAD,
                    Format::JsonLd => JSONLD_HEAD,
                };
                return Some((Ok(Bytes::from_static(head.as_bytes())), c));
            }
            1 => {
                let mut conn = match c.pool.get().await {
                    Ok(conn) => conn,
                    Err(e) => return Some((Err(fail(e.to_string())), Cursor { stage: 9, ..c })),
                };
                let state = c.params.state.clone();
                let t = c.params.entity_type.clone();
                let rows = match export::nodes(&mut conn, c.after, PAGE, state.as_deref(), t.as_deref()).await {
                    Ok(rows) => rows,
                    Err(e) => return Some((Err(fail(e.to_string())), Cursor { stage: 9, ..c })),
                };
                if rows.is_empty() {
                    c.stage = if c.format == Format::NodesCsv { 3 } else { 2 };
                    c.after = 0;
                    continue;
                }
                let mut out = String::new();
                for n in &rows {
                    out.push_str(&node_text(c.format, n, c.first));
                    c.first = false;
                    if c.format != Format::NodesCsv {
                        c.kept.insert(n.id);
                    }
                }
                c.after = rows.last().map_or(c.after, |n| n.id);
                return Some((Ok(Bytes::from(out)), c));
            }
            2 => {
                let mut conn = match c.pool.get().await {
                    Ok(conn) => conn,
                    Err(e) => return Some((Err(fail(e.to_string())), Cursor { stage: 9, ..c })),
                };
                let state = c.params.state.clone();
                let p = c.params.predicate.clone();
                let rows = match export::edges(&mut conn, c.after, PAGE, state.as_deref(), p.as_deref()).await {
                    Ok(rows) => rows,
                    Err(e) => return Some((Err(fail(e.to_string())), Cursor { stage: 9, ..c })),
                };
                if rows.is_empty() {
                    c.stage = 3;
                    continue;
                }
                let mut out = String::new();
                for e in &rows {
                    let whole = c.format == Format::EdgesCsv
                        || (c.kept.contains(&e.subject_id) && c.kept.contains(&e.object_id));
                    if whole {
                        out.push_str(&edge_text(c.format, e, c.first));
                        c.first = false;
                    }
                }
                c.after = rows.last().map_or(c.after, |e| e.id);
                return Some((Ok(Bytes::from(out)), c));
            }
            3 => {
                c.stage = 9;
                let tail = match c.format {
                    Format::GraphMl => "</graph>\n</graphml>\n",
                    Format::JsonLd => "\n]}\n",
                    _ => continue,
                };
                return Some((Ok(Bytes::from_static(tail.as_bytes())), c));
            }
            _ => return None,
        }
    }
}

pub async fn export(
    state: web::Data<AppState>,
    file: web::Path<String>,
    params: web::Query<ExportParams>,
) -> HttpResponse {
    let (format, content_type) = match file.as_str() {
        "nodes.csv" => (Format::NodesCsv, "text/csv; charset=utf-8"),
        "edges.csv" => (Format::EdgesCsv, "text/csv; charset=utf-8"),
        "graph.graphml" => (Format::GraphMl, "application/graphml+xml; charset=utf-8"),
        "graph.jsonld" => (Format::JsonLd, "application/ld+json"),
        other => {
            let message = format!("no export `{other}`: nodes.csv, edges.csv, graph.graphml or graph.jsonld");
            return HttpResponse::NotFound()
                .content_type("application/json")
                .body(error_json(&message, "NOT_FOUND").to_string());
        }
    };
    let mut params = params.into_inner();
    params.state = params.state.map(|s| s.trim().to_uppercase());
    params.predicate = params.predicate.map(|p| p.trim().to_lowercase());
    params.entity_type = params.entity_type.map(|t| t.trim().to_lowercase());
    if let Some(t) = &params.entity_type
        && !["actor", "project", "agreement", "service"].contains(&t.as_str())
    {
        let message = format!("unknown type `{t}`: actor, project, agreement or service");
        return HttpResponse::BadRequest()
            .content_type("application/json")
            .body(error_json(&message, "BAD_USER_INPUT").to_string());
    }
    let cursor =
        Cursor { pool: state.pool.clone(), format, params, stage: 0, after: 0, first: true, kept: HashSet::new() };
    let stream = futures_util::stream::unfold(cursor, next_chunk);
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("content-disposition", format!("attachment; filename=\"govgraph-{}\"", file.as_str())))
        .streaming(stream)
}
