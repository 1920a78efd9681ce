//! `govgraph extract`: what the pipeline reads out of pages or texts, as JSON; nothing stored.

use anyhow::Context;
use govgraph_shared::analysis::{Analysis, EntityType};
use govgraph_shared::config::Settings;
use govgraph_worker::error::isolate;
use govgraph_worker::extract::{self, Extracted};
use govgraph_worker::fetch::{Fetcher, charset};
use govgraph_worker::tagging::Tagger;
use serde_json::{Value, json};

use crate::cli::Format;

pub async fn extract(settings: Settings, inputs: &[String], format: Format) -> anyhow::Result<()> {
    let tagger = govgraph_worker::tagging::analysis::embedded()?;
    let fetcher = Fetcher::new(&settings.fetch)?;
    let mut results = Vec::new();
    let mut failed = 0;
    for input in inputs {
        // one input that cannot be read or analysed is reported in its place; the others go on
        let analysed = read(&fetcher, input).await.and_then(|raw| {
            isolate(input, || {
                let extracted = match raw {
                    Raw::Html { text, url } => extract::extract_html(&text, url.as_deref()),
                    Raw::Text(text) => extract::extract_text(&text),
                };
                to_json(input, &extracted, &tagger)
            })
            .map_err(anyhow::Error::from)
        });
        let value = match analysed {
            Ok(value) => value,
            Err(e) if inputs.len() > 1 => {
                failed += 1;
                eprintln!("govgraph: {input}: {e:#}");
                json!({ "file": input, "error": format!("{e:#}") })
            }
            Err(e) => return Err(e),
        };
        if format == Format::Jsonl {
            println!("{}", serde_json::to_string(&value)?);
        } else {
            results.push(value);
        }
    }
    if format == Format::Json {
        let out = if results.len() == 1 { results.remove(0) } else { Value::Array(results) };
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} inputs failed", inputs.len());
    }
    Ok(())
}

/// An input as read: a page (with the URL it came from) or a plain text.
enum Raw {
    Html { text: String, url: Option<String> },
    Text(String),
}

async fn read(fetcher: &Fetcher, input: &str) -> anyhow::Result<Raw> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let fetched = fetcher.get(input, None).await?;
        return Ok(Raw::Html { text: fetched.text(), url: Some(fetched.url) });
    }
    let bytes = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let text = charset::decode(&bytes, None);
    let looks_html = input.ends_with(".html")
        || input.ends_with(".htm")
        || text.trim_start().get(..200).unwrap_or(text.trim_start()).to_ascii_lowercase().contains("<html");
    Ok(if looks_html { Raw::Html { text, url: None } } else { Raw::Text(text) })
}

fn to_json(input: &str, e: &Extracted, tagger: &Tagger) -> Value {
    let published = e.published.map(|d| d.with_timezone(&chrono_tz::Europe::Berlin).date_naive());
    let tagged = tagger.tag(e.title.as_deref().unwrap_or_default(), &e.text, e.place.as_deref(), None, published);
    json!({
        "file": input,
        "title": e.title,
        "published": published.map(|d| d.to_string()),
        "published_at": e.published.map(|d| d.to_rfc3339()),
        "published_source": e.published_source,
        "publisher": e.publisher,
        "place": e.place,
        "press_release_number": e.press_release_number,
        "text": e.text,
        "attachments": e.attachments,
        "canonical_url": e.canonical_url,
        "states": tagged.states.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        "state_scores": tagged.states,
        "entities": entities(&tagged.analysis),
        "relations": relations(&tagged.analysis),
    })
}

/// The entities of the contract: `kind` in the vocabulary of the gold file (actor kinds, `body`,
/// `project`, `agreement`, `service`), the finer kind as `subkind`.
fn entities(a: &Analysis) -> Vec<Value> {
    a.entities
        .iter()
        .map(|x| {
            let kind = match x.entity_type {
                EntityType::Actor => x.kind.as_str(),
                EntityType::Project => "project",
                EntityType::Agreement => "agreement",
                EntityType::Service => "service",
            };
            json!({
                "name": x.name,
                "kind": kind,
                "subkind": x.kind,
                "state": x.state,
                "status": x.status,
                "key": x.key,
                "aliases": x.aliases,
                "title": x.title,
                "date": x.date,
                "method": x.method,
                "mentions": x.mentions,
            })
        })
        .collect()
}

fn relations(a: &Analysis) -> Vec<Value> {
    a.relations
        .iter()
        .map(|r| {
            json!({
                "subject": a.entities[r.subject].name,
                "predicate": r.predicate,
                "object": a.entities[r.object].name,
                "role": r.role,
                "title": r.title,
                "date": r.date,
                "evidence": r.evidence.text,
                "evidence_span": { "start": r.evidence.start, "end": r.evidence.end },
                "method": r.method,
                "confidence": r.confidence,
            })
        })
        .collect()
}
