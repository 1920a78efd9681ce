//! Reading a page: title, published date, publisher, place, press-release number, main text and
//! attachments. The main text comes from dom_smoothie (a port of Mozilla's Readability) run on
//! the page after [`boilerplate`] furniture was removed; metadata comes from JSON-LD, meta tags,
//! `<time>`, and the German forms of the text itself ([`dates`]). Plain text goes through the same
//! metadata and cleaning steps.

pub mod boilerplate;
pub mod dates;

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use dom_query::Document;
use regex::Regex;
use serde::Serialize;

/// Identifies the extractor in `documents.extractor`, so that re-parsing can find old output.
pub const EXTRACTOR: &str = "dom_smoothie-0.19+govgraph-1";

/// A link to a document attached to a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub url: String,
    pub title: String,
}

/// Where a published date came from, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    JsonLd,
    Meta,
    Time,
    Feed,
    Dateline,
    Text,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::JsonLd => "json_ld",
            DateSource::Meta => "meta",
            DateSource::Time => "time",
            DateSource::Feed => "feed",
            DateSource::Dateline => "dateline",
            DateSource::Text => "text",
        }
    }
}

/// What extraction reads out of one page or text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub published_source: Option<DateSource>,
    pub publisher: Option<String>,
    pub place: Option<String>,
    pub press_release_number: Option<String>,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub canonical_url: Option<String>,
}

static PM_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Pressemitteilung(?:en)?\s*(?:Nr\.?|Nummer)\s*:?\s*(\d+[\w/.-]*)").expect("valid regex")
});
static PRESS_OFFICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)Impressum:\s*(.{3,120}?)\s*(?:Pressestelle|Pressesprecher|Referat Presse)").expect("valid regex")
});
static TITLE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+[|–—-]\s+[^|–—]{2,80}$").expect("valid regex"));

const ATTACHMENT_EXTENSIONS: &[&str] =
    &[".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".zip", ".csv", ".rtf"];
/// How far into the text a date may stand to count as the document's date.
const TEXT_DATE_WINDOW: usize = 400;

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: impl AsRef<str>) -> Option<String> {
    let s = squash(s.as_ref());
    (!s.is_empty()).then_some(s)
}

/// Reads an HTML page; `url` (absolute) resolves relative links.
pub fn extract_html(html: &str, url: Option<&str>) -> Extracted {
    let doc = Document::from(html);
    let base = url.and_then(|u| url::Url::parse(u).ok());
    let resolve = |href: &str| -> Option<String> {
        match &base {
            Some(b) => b.join(href).ok().map(|u| u.to_string()),
            None => url::Url::parse(href).ok().map(|u| u.to_string()),
        }
    };

    // metadata that lives in the page furniture: read it before the furniture goes
    let page_text = doc.select("body").formatted_text().to_string();
    let press_release_number = PM_NUMBER.captures(&page_text).map(|c| c[1].trim_end_matches('.').to_owned());
    let publisher = PRESS_OFFICE.captures(&page_text).and_then(|c| non_empty(&c[1]));
    let dateline = page_text.lines().take(400).find_map(|l| dates::dateline(l).filter(|_| l.trim().len() < 80));

    let canonical_url = doc.select("link[rel=canonical]").attr("href").and_then(|h| resolve(&h));
    let attachments = attachments(&doc, &resolve);
    let json_ld = json_ld(&doc);
    let meta = |sel: &str| doc.select(sel).attr("content").and_then(non_empty);

    let h1 = doc.select("article h1, main h1, h1").first().text();
    let title = non_empty(&h1)
        .or_else(|| json_ld.headline.clone())
        .or_else(|| meta("meta[property='og:title']"))
        .or_else(|| non_empty(doc.select("title").first().text()).map(|t| TITLE_SUFFIX.replace(&t, "").into_owned()));

    let mut published = json_ld.published.map(|d| (d, DateSource::JsonLd));
    if published.is_none() {
        published = [
            "meta[property='article:published_time']",
            "meta[property='og:published_time']",
            "meta[itemprop=datePublished]",
            "meta[name='DC.date.issued']",
            "meta[name='dcterms.issued']",
            "meta[name=date]",
            "meta[name=pubdate]",
            "meta[name='publish-date']",
        ]
        .iter()
        .find_map(|sel| meta(sel).and_then(|v| dates::parse_machine(&v)))
        .map(|d| (d, DateSource::Meta));
    }

    remove_furniture(&doc);
    if published.is_none() {
        published = doc
            .select("article time[datetime], main time[datetime], time[datetime]")
            .iter()
            .find_map(|t| t.attr("datetime").and_then(|v| dates::parse_machine(&v)))
            .map(|d| (d, DateSource::Time));
    }

    let raw_text = main_text(doc, url);
    let mut text = boilerplate::clean_text(&raw_text);
    text = drop_leading(&text, title.as_deref());

    let mut out =
        Extracted { title, publisher, press_release_number, text, attachments, canonical_url, ..Default::default() };
    if let Some((place, date)) = dateline {
        out.place = Some(place);
        if published.is_none() {
            published = Some((dates::berlin_midnight(date), DateSource::Dateline));
        }
    }
    out.published = published.map(|p| p.0);
    out.published_source = published.map(|p| p.1);
    if out.published.is_none() {
        fill_date_from_text(&mut out);
    }
    out
}

/// Reads a plain-text document: the first substantial line is the title.
pub fn extract_text(raw: &str) -> Extracted {
    let press_release_number = PM_NUMBER.captures(raw).map(|c| c[1].to_owned());
    let publisher = PRESS_OFFICE.captures(raw).and_then(|c| non_empty(&c[1]));
    let dateline = raw.lines().take(20).find_map(|l| dates::dateline(l).filter(|_| l.trim().len() < 80));
    let cleaned = boilerplate::clean_text(raw);
    // a title is a heading: short, not a sentence ending in a full stop; a text that opens with
    // a sentence has no title of its own
    let title = cleaned
        .split("\n\n")
        .find(|l| l.chars().count() >= 8 && dates::dateline(l).is_none())
        .filter(|l| l.chars().count() <= 200 && !l.trim_end().ends_with('.'))
        .map(|l| l.trim_start_matches('#').trim().to_owned());
    let text = drop_leading(&cleaned, title.as_deref());
    let mut out = Extracted { title, publisher, press_release_number, text, ..Default::default() };
    if let Some((place, date)) = dateline {
        out.place = Some(place);
        out.published = Some(dates::berlin_midnight(date));
        out.published_source = Some(DateSource::Dateline);
    }
    if out.published.is_none() {
        fill_date_from_text(&mut out);
    }
    out
}

fn fill_date_from_text(out: &mut Extracted) {
    let head: String = out.text.chars().take(TEXT_DATE_WINDOW).collect();
    if let Some((date, _)) = dates::find_german(&head) {
        let instant = dates::berlin_midnight(date);
        if instant <= Utc::now() {
            out.published = Some(instant);
            out.published_source = Some(DateSource::Text);
        }
    }
}

/// Drops leading paragraphs that repeat the title or are a bare dateline.
fn drop_leading(text: &str, title: Option<&str>) -> String {
    let title = title.map(squash);
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    while let Some(first) = paragraphs.first() {
        let is_title = title.as_deref().is_some_and(|t| squash(first.trim_start_matches('#').trim()) == t);
        let is_dateline = first.len() < 80 && dates::dateline(first).is_some_and(|_| !first.contains(". "));
        // a kicker above the headline ("Titelinterview", "Kreisgeschehen")
        let is_kicker = first.chars().count() < 40
            && first.split_whitespace().count() <= 3
            && !first.ends_with(['.', '!', '?', ':', '“', '"'])
            && paragraphs.len() > 1;
        if is_title || is_dateline || is_kicker {
            paragraphs.remove(0);
        } else {
            break;
        }
    }
    paragraphs.join("\n\n")
}

/// Removes page furniture before the main-text extractor runs. An element that holds a large
/// part of the page's text is never furniture, whatever its class says (`<div class="no-sidebar">`).
fn remove_furniture(doc: &Document) {
    let total = doc.select("body").text().chars().filter(|c| !c.is_whitespace()).count().max(1);
    for node in doc.select(boilerplate::BOILERPLATE_SELECTORS).nodes() {
        if ["html", "body", "main", "article"].iter().any(|n| node.has_name(n)) {
            continue;
        }
        let own = node.text().chars().filter(|c| !c.is_whitespace()).count();
        if own * 10 > total * 3 {
            continue;
        }
        node.remove_from_parent();
    }
}

/// The page's landmarks for what is not its content (navigation, footer, side column, a page
/// header without the headline), and cookie or consent walls that [`remove_furniture`] kept for
/// their size (on a page with little else), where they do not hold the article.
fn furniture_landmarks<'a>(doc: &'a Document) -> Vec<dom_query::NodeRef<'a>> {
    doc.select(boilerplate::LANDMARK_SELECTORS)
        .nodes()
        .iter()
        .chain(doc.select(boilerplate::CONSENT_SELECTORS).nodes().iter())
        .filter(|node| {
            !["main", "article", "h1", "[itemprop=articleBody]", "[role=main]"]
                .iter()
                .any(|sel| node.is(sel) || dom_query::Selection::from(**node).select(sel).exists())
        })
        .cloned()
        .collect()
}

/// The article's text: what the readability scoring finds, unless it finds too little (a short
/// notice of one paragraph), picks a footer or a navigation over a short article, or misses the
/// container the page declares as its article body. Then the page's own container of the article
/// gives the text, else its largest block of text, furniture and landmarks removed. Empty when
/// the page has no text of its own (a listing of links, an error page, a cookie wall).
fn main_text(doc: Document, url: Option<&str>) -> String {
    let stripped = doc.clone();
    let landmarks: Vec<String> = furniture_landmarks(&stripped)
        .into_iter()
        .map(|node| {
            let text = squash(&node.text());
            node.remove_from_parent();
            text
        })
        .filter(|t| !t.is_empty())
        .collect();
    let fallback = container_text(&stripped);
    let declared = stripped.select("[itemprop=articleBody]").first().formatted_text();
    let declared_opening = first_paragraph(&boilerplate::clean_text(&declared));

    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    let url = url.filter(|u| u.starts_with("http"));
    let readable = match dom_smoothie::Readability::with_document(doc, url, Some(cfg)).and_then(|mut r| r.parse()) {
        Ok(article) => article.text_content.to_string(),
        Err(_) => String::new(),
    };
    let cleaned = boilerplate::clean_text(&readable);
    let misses_declared = declared_opening.chars().count() >= 40 && !squash(&cleaned).contains(&declared_opening);
    // readability may take a page's footer or navigation, alone or along with a short article:
    // a paragraph found only in the page's furniture is not the article's
    let own = squash(&stripped.select("body").text());
    let (mut kept, mut furniture) = (Vec::new(), 0);
    for p in cleaned.split("\n\n") {
        let squashed = squash(p);
        if own.contains(&squashed) || !landmarks.iter().any(|l| l.contains(&squashed)) {
            kept.push(p);
        } else {
            furniture += p.chars().count();
        }
    }
    let length: usize = kept.iter().map(|p| p.chars().count()).sum();
    if length < MIN_READABLE || furniture > length || misses_declared {
        return fallback;
    }
    // a page whose text is mostly the text of its links is a listing, not an article
    let links: Vec<String> =
        stripped.select("a").iter().map(|a| squash(&a.text())).filter(|t| t.chars().count() >= 3).collect();
    let linked: usize = kept
        .iter()
        .map(|p| {
            let p = squash(p);
            let in_links: usize = links.iter().filter(|l| p.contains(l.as_str())).map(|l| l.chars().count()).sum();
            in_links.min(p.chars().count())
        })
        .sum();
    if linked * 2 > length {
        return String::new();
    }
    kept.join("\n\n")
}

/// The first paragraph of a cleaned text, spaces squashed, at most 120 characters: enough to
/// recognise where a text came from.
fn first_paragraph(cleaned: &str) -> String {
    squash(cleaned.split("\n\n").next().unwrap_or_default()).chars().take(120).collect()
}

/// Readability's answer is taken when its cleaned text has at least this many characters.
const MIN_READABLE: usize = 80;

/// The text of the page's own article container, in the order a page names it: the schema.org
/// article body, `<article>`, `<main>`, the main role, the usual content ids; else the element
/// with the most text in paragraphs of its own. A container whose text is mostly links is a
/// listing, not an article, and gives nothing.
fn container_text(doc: &Document) -> String {
    const CONTAINERS: &[&str] = &["[itemprop=articleBody]", "article", "main", "[role=main]", "#content", "#inhalt"];
    let chosen = CONTAINERS
        .iter()
        .filter_map(|sel| doc.select(sel).nodes().iter().max_by_key(|n| own_text_len(n)).cloned())
        .find(|n| own_text_len(n) > 0)
        .or_else(|| largest_block(doc));
    let Some(node) = chosen else { return String::new() };
    let text_len = own_text_len(&node);
    let link_len: usize = dom_query::Selection::from(node).select("a").nodes().iter().map(own_text_len).sum();
    if text_len == 0 || link_len * 2 > text_len {
        return String::new();
    }
    node.formatted_text().to_string()
}

/// The element whose own paragraphs (`p` children, or its direct text) hold the most text.
fn largest_block(doc: &Document) -> Option<dom_query::Node<'_>> {
    doc.select("div, section, td, body")
        .nodes()
        .iter()
        .map(|n| {
            let own: usize = n.children().iter().filter(|c| c.is("p") || c.is_text()).map(own_text_len).sum();
            (own, *n)
        })
        .filter(|(own, _)| *own > 0)
        .max_by_key(|(own, _)| *own)
        .map(|(_, n)| n)
}

/// Characters of text, whitespace not counted.
fn own_text_len(node: &dom_query::Node<'_>) -> usize {
    node.text().chars().filter(|c| !c.is_whitespace()).count()
}

fn attachments(doc: &Document, resolve: &dyn Fn(&str) -> Option<String>) -> Vec<Attachment> {
    let mut out: Vec<Attachment> = Vec::new();
    for a in doc.select("a[href]").iter() {
        let Some(href) = a.attr("href") else { continue };
        let path = href.split(['?', '#']).next().unwrap_or_default().to_ascii_lowercase();
        if !ATTACHMENT_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
            continue;
        }
        let Some(url) = resolve(&href) else { continue };
        if out.iter().all(|x| x.url != url) {
            out.push(Attachment { url, title: squash(&a.text()) });
        }
    }
    out
}

#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    published: Option<DateTime<Utc>>,
}

fn json_ld(doc: &Document) -> JsonLd {
    let mut out = JsonLd::default();
    for script in doc.select("script[type='application/ld+json']").iter() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&script.text()) else {
            continue;
        };
        walk_json_ld(&value, &mut out);
    }
    out
}

fn walk_json_ld(v: &serde_json::Value, out: &mut JsonLd) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| walk_json_ld(i, out)),
        serde_json::Value::Object(map) => {
            if out.published.is_none() {
                out.published = map.get("datePublished").and_then(|d| d.as_str()).and_then(dates::parse_machine);
            }
            if out.headline.is_none() {
                out.headline = map.get("headline").and_then(|h| h.as_str()).and_then(non_empty);
            }
            if let Some(graph) = map.get("@graph") {
                walk_json_ld(graph, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn press_release_metadata_from_html() {
        let html = r#"<html><head><title>Neue Vereinbarung - Ministerium</title></head><body>
            <nav><a href="/">Startseite</a><a href="/themen">Themen im Überblick</a></nav>
            <div id="inhalt"><div>Pressemitteilung Nr.: 31</div><div>Magdeburg, den 15.07.2014</div>
            <h1>Neue Vereinbarung</h1>
            <p>Land und Kommunen haben heute in Magdeburg eine neue Rahmenvereinbarung unterzeichnet, die ihre Zusammenarbeit im E-Government regelt und fortschreibt.</p>
            <p>Die erste Vereinbarung stammt aus dem Jahr 2006 und wurde nun nach acht Jahren grundlegend erneuert und erweitert.</p>
            <div class="impressum">Impressum:<br>Ministerium der Finanzen<br>Pressestelle<br>Tel: 0391</div>
            <a href="/pm/anlage.pdf">Anlage (PDF)</a></div>
            <footer>© Land Sachsen-Anhalt</footer></body></html>"#;
        let e = extract_html(html, Some("https://www.mf.sachsen-anhalt.de/pm/31.html"));
        assert_eq!(e.title.as_deref(), Some("Neue Vereinbarung"));
        assert_eq!(e.press_release_number.as_deref(), Some("31"));
        assert_eq!(e.place.as_deref(), Some("Magdeburg"));
        assert_eq!(e.publisher.as_deref(), Some("Ministerium der Finanzen"));
        assert_eq!(e.published_source, Some(DateSource::Dateline));
        assert_eq!(e.published.unwrap().to_rfc3339(), "2014-07-14T22:00:00+00:00");
        assert_eq!(
            e.attachments,
            vec![Attachment {
                url: "https://www.mf.sachsen-anhalt.de/pm/anlage.pdf".into(),
                title: "Anlage (PDF)".into()
            }]
        );
        assert!(e.text.starts_with("Land und Kommunen"), "{}", e.text);
        for furniture in ["Startseite", "Impressum", "Pressemitteilung Nr", "Magdeburg, den", "©"] {
            assert!(!e.text.contains(furniture), "{furniture} in {}", e.text);
        }
    }

    #[test]
    fn plain_text_reads_dateline_and_title() {
        let e = extract_text(
            ": 31\nMagdeburg, den 15.07.2014\n\nKooperation erneuert\n\nLand und Kommunen haben unterzeichnet.",
        );
        assert_eq!(e.title.as_deref(), Some("Kooperation erneuert"));
        assert_eq!(e.place.as_deref(), Some("Magdeburg"));
        assert_eq!(e.text, "Land und Kommunen haben unterzeichnet.");
    }
}
