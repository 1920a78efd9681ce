//! `govgraph extract`: what the pipeline reads out of pages or texts, as JSON; nothing stored.

use anyhow::Context;
use govgraph_shared::config::Settings;
use govgraph_worker::extract::{self, Extracted};
use govgraph_worker::fetch::{Fetcher, charset};
use govgraph_worker::tagging::StateTagger;
use serde_json::{Value, json};

use crate::cli::Format;

pub async fn extract(settings: Settings, inputs: &[String], format: Format) -> anyhow::Result<()> {
    let tagger = StateTagger::new(&govgraph_shared::reference::states()?);
    let fetcher = Fetcher::new(&settings.fetch)?;
    let mut results = Vec::new();
    for input in inputs {
        let value = match read(&fetcher, input).await {
            Ok(extracted) => to_json(input, &extracted, &tagger),
            Err(e) if inputs.len() > 1 => json!({ "file": input, "error": format!("{e:#}") }),
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
    Ok(())
}

async fn read(fetcher: &Fetcher, input: &str) -> anyhow::Result<Extracted> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let fetched = fetcher.get(input, None).await?;
        return Ok(extract::extract_html(&fetched.text(), Some(&fetched.url)));
    }
    let bytes = std::fs::read(input).with_context(|| format!("reading {input}"))?;
    let text = charset::decode(&bytes, None);
    let looks_html = input.ends_with(".html")
        || input.ends_with(".htm")
        || text.trim_start().get(..200).unwrap_or(text.trim_start()).to_ascii_lowercase().contains("<html");
    Ok(if looks_html { extract::extract_html(&text, None) } else { extract::extract_text(&text) })
}

fn to_json(input: &str, e: &Extracted, tagger: &StateTagger) -> Value {
    let states = tagger.tag(e.title.as_deref().unwrap_or_default(), &e.text, e.place.as_deref(), None);
    json!({
        "file": input,
        "title": e.title,
        "published": e.published.map(|d| d.with_timezone(&chrono_tz::Europe::Berlin).date_naive().to_string()),
        "published_at": e.published.map(|d| d.to_rfc3339()),
        "published_source": e.published_source,
        "publisher": e.publisher,
        "place": e.place,
        "press_release_number": e.press_release_number,
        "text": e.text,
        "attachments": e.attachments,
        "canonical_url": e.canonical_url,
        "states": states.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        "state_scores": states,
    })
}
