//! Sitemaps: `urlset` files and sitemap indexes (followed to a bounded depth and count), filtered
//! by `url_pattern`, newest `lastmod` first, at most `max_items` (default 200) per run.

use quick_xml::Reader;
use quick_xml::events::Event;
use regex::Regex;

use super::ListedItem;
use crate::WorkerError;
use crate::extract::dates;
use crate::fetch::Fetcher;

const MAX_SITEMAPS: usize = 50;
const DEFAULT_MAX_ITEMS: usize = 200;

/// One sitemap read: its page entries and the child sitemaps it lists.
#[derive(Debug, Default, PartialEq)]
pub struct Sitemap {
    pub pages: Vec<(String, Option<String>)>,
    pub children: Vec<String>,
}

/// Parses a sitemap or sitemap index.
pub fn parse(body: &[u8]) -> Result<Sitemap, String> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut out = Sitemap::default();
    let mut buf = Vec::new();
    let (mut in_index, mut root_seen) = (false, false);
    let (mut loc, mut lastmod) = (None::<String>, None::<String>);
    // the text of the element being read (`loc`, `lastmod`), entities resolved
    let mut text: Option<String> = None;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().into_inner() {
                "sitemapindex" => (in_index, root_seen) = (true, true),
                "urlset" => root_seen = true,
                "loc" | "lastmod" => text = Some(String::new()),
                _ => text = None,
            },
            Ok(Event::Text(t)) => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.into_inner());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.into_inner());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(buf) = text.as_mut() {
                    let name = r.into_inner();
                    let resolved = match &*name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        n => n
                            .strip_prefix("#x")
                            .map(|h| u32::from_str_radix(h, 16))
                            .or_else(|| n.strip_prefix('#').map(str::parse))
                            .and_then(Result::ok)
                            .and_then(char::from_u32),
                    };
                    if let Some(c) = resolved {
                        buf.push(c);
                    }
                }
            }
            Ok(Event::End(e)) => match e.local_name().into_inner() {
                "loc" => loc = text.take().map(|t| t.trim().to_owned()),
                "lastmod" => lastmod = text.take().map(|t| t.trim().to_owned()),
                "url" | "sitemap" => {
                    if let Some(l) = loc.take().filter(|l| !l.is_empty()) {
                        if in_index {
                            out.children.push(l);
                        } else {
                            out.pages.push((l, lastmod.clone()));
                        }
                    }
                    lastmod = None;
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(format!("at byte {}: {e}", reader.buffer_position())),
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("neither a <urlset> nor a <sitemapindex>".into());
    }
    Ok(out)
}

/// The pages of the sitemap at `url` (following indexes) whose URL matches `pattern`.
pub async fn list(
    fetcher: &Fetcher,
    url: &str,
    pattern: Option<&Regex>,
    max_items: Option<usize>,
) -> Result<Vec<ListedItem>, WorkerError> {
    let mut queue = vec![url.to_owned()];
    let mut read = 0;
    let mut pages = Vec::new();
    while let Some(next) = queue.pop() {
        if read >= MAX_SITEMAPS {
            break;
        }
        read += 1;
        let fetched = fetcher.get(&next, None).await?;
        let map = parse(&fetched.body).map_err(|reason| WorkerError::Feed { url: next.clone(), reason })?;
        queue.extend(map.children);
        pages.extend(map.pages);
    }
    let mut items: Vec<ListedItem> = pages
        .into_iter()
        .filter(|(loc, _)| pattern.is_none_or(|p| p.is_match(loc)))
        .map(|(loc, lastmod)| ListedItem {
            url: loc,
            title: None,
            published: None,
            updated: lastmod.as_deref().and_then(dates::parse_machine),
            summary: None,
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.updated));
    items.truncate(max_items.unwrap_or(DEFAULT_MAX_ITEMS));
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlsets_and_indexes() {
        let set = br#"<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://x.de/aktuelles/a?id=1&amp;p=2</loc><lastmod>2024-05-01</lastmod></url>
              <url><loc><![CDATA[https://x.de/impressum]]></loc></url>
            </urlset>"#;
        let map = parse(set).unwrap();
        assert_eq!(
            map.pages,
            vec![
                ("https://x.de/aktuelles/a?id=1&p=2".into(), Some("2024-05-01".into())),
                ("https://x.de/impressum".into(), None)
            ]
        );
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://x.de/sitemap-1.xml</loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>"#;
        assert_eq!(parse(index).unwrap().children, vec!["https://x.de/sitemap-1.xml".to_string()]);
        assert!(parse(b"<html><body>kein Sitemap</body></html>").is_err());
    }
}
