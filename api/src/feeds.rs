//! Atom feeds for journalists: `/feeds/announcements.atom` with the filters of the GraphQL
//! `announcements` list as query parameters (`state`, `text`, `actor`, `body`, `project`, `from`,
//! `to`, `limit`); `actor`, `body` and `project` take slugs. Each entry links to the original and
//! to the announcement in the graph.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use govgraph_shared::models::graph::NamedNode;
use govgraph_shared::models::{self, Document, DocumentFilter};

use crate::limits::error_json;
use crate::markup::escape;
use crate::server::AppState;
use crate::types::global_id;

#[derive(serde::Deserialize)]
pub struct FeedParams {
    state: Option<String>,
    text: Option<String>,
    actor: Option<String>,
    body: Option<String>,
    project: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: Option<i64>,
}

fn bad(message: &str) -> HttpResponse {
    HttpResponse::BadRequest().content_type("application/json").body(error_json(message, "BAD_USER_INPUT").to_string())
}

pub async fn announcements(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<FeedParams>,
) -> HttpResponse {
    let p = params.into_inner();
    let limit = p.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return bad("`limit` must be between 1 and 200");
    }
    let Ok(mut conn) = state.pool.get().await else {
        return HttpResponse::ServiceUnavailable().body("the database is not available");
    };
    let mut filter = DocumentFilter {
        state: p.state.as_ref().map(|s| s.trim().to_uppercase()),
        text: p.text.as_ref().map(|t| t.replace('\0', "")).filter(|t| !t.trim().is_empty()),
        from: p.from,
        to: p.to,
        ..Default::default()
    };
    let mut title_parts = Vec::new();
    if let Some(code) = &filter.state {
        if !matches!(models::State::find_by_code(&mut conn, code).await, Ok(Some(_))) {
            return bad(&format!("unknown state `{code}`"));
        }
        title_parts.push(format!("state {code}"));
    }
    for (what, slug) in [("actor", &p.actor), ("body", &p.body), ("project", &p.project)] {
        let Some(slug) = slug else { continue };
        match NamedNode::find_by_slug(&mut conn, slug.trim()).await {
            Ok(Some(node)) => {
                filter.mentions.push(node.id);
                title_parts.push(node.name.unwrap_or_else(|| slug.clone()));
            }
            Ok(None) => return bad(&format!("no {what} with the slug `{slug}`")),
            Err(_) => return HttpResponse::ServiceUnavailable().body("the database is not available"),
        }
    }
    if let Some(t) = &filter.text {
        title_parts.push(format!("„{t}“"));
    }
    let docs = match Document::list(&mut conn, &filter, models::Page::first(limit)).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "the announcements feed failed");
            return HttpResponse::InternalServerError()
                .body("the feed could not be built; the server log has the details");
        }
    };
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let self_url = format!("{base}{}", req.uri());
    let updated: DateTime<Utc> = docs.iter().map(|d| d.updated_at).max().unwrap_or_else(Utc::now);
    let title = if title_parts.is_empty() {
        "govgraph: announcements".to_owned()
    } else {
        format!("govgraph: announcements ({})", title_parts.join(", "))
    };
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", escape(&title)));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&self_url)));
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n", escape(&self_url)));
    xml.push_str(&format!("  <updated>{}</updated>\n", updated.to_rfc3339()));
    xml.push_str("  <author><name>govgraph</name></author>\n  <generator>govgraph</generator>\n");
    for d in &docs {
        let id = global_id("Announcement", d.id);
        let graph = format!(
            "{base}/graphql?query={}",
            crate::markup::percent_encode(&format!(
                "{{ node(id: \"{}\") {{ ... on Announcement {{ title url publishedAt text }} }} }}",
                id.as_str()
            ))
        );
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape(&d.title)));
        xml.push_str(&format!("    <id>urn:govgraph:announcement:{}</id>\n", d.id));
        xml.push_str(&format!("    <updated>{}</updated>\n", d.updated_at.to_rfc3339()));
        if let Some(p) = d.published_at {
            xml.push_str(&format!("    <published>{}</published>\n", p.to_rfc3339()));
        }
        xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n", escape(&d.url)));
        xml.push_str(&format!("    <link rel=\"related\" type=\"application/json\" href=\"{}\"/>\n", escape(&graph)));
        if let Some(state) = &d.primary_state {
            xml.push_str(&format!("    <category term=\"{}\"/>\n", escape(state)));
        }
        if let Some(publisher) = &d.publisher {
            xml.push_str(&format!("    <author><name>{}</name></author>\n", escape(publisher)));
        }
        let summary: String = d.text.chars().take(400).collect();
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    HttpResponse::Ok().content_type("application/atom+xml; charset=utf-8").body(xml)
}
