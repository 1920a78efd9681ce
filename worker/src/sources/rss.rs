//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, read with feed-rs. Each item points to the page
//! that is then fetched and extracted.

use super::ListedItem;
use crate::WorkerError;
use crate::fetch::{Fetched, Fetcher, Validators};

/// The items of the feed at `url`, in feed order; `None` when the feed answers 304 to
/// `validators`. Also returns the response, for its validators.
pub async fn list(
    fetcher: &Fetcher,
    url: &str,
    validators: Option<&Validators>,
) -> Result<(Option<Vec<ListedItem>>, Fetched), WorkerError> {
    let fetched = fetcher.get(url, validators).await?;
    if fetched.not_modified {
        return Ok((None, fetched));
    }
    let items = parse(&fetched.body, &fetched.url)?;
    Ok((Some(items), fetched))
}

/// Parses a feed; `base` resolves relative item links.
pub fn parse(body: &[u8], base: &str) -> Result<Vec<ListedItem>, WorkerError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base))
        .build()
        .parse(body)
        .map_err(|e| WorkerError::Feed { url: base.to_owned(), reason: e.to_string() })?;
    let base_url = url::Url::parse(base).ok();
    let items = feed
        .entries
        .into_iter()
        .filter_map(|entry| {
            let link = entry
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| entry.links.first())
                .map(|l| l.href.clone())
                // RSS items without <link> often carry the URL as a permalink guid
                .or_else(|| entry.id.starts_with("http").then(|| entry.id.clone()))?;
            let url = match &base_url {
                Some(b) => b.join(link.trim()).ok()?.to_string(),
                None => link,
            };
            Some(ListedItem {
                url,
                title: entry.title.map(|t| t.content.trim().to_owned()).filter(|t| !t.is_empty()),
                published: entry.published,
                updated: entry.updated,
                summary: entry.summary.map(|s| s.content),
            })
        })
        .collect();
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_items() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.de/</link>
            <item><title>Eins</title><link>https://x.de/1.html?utm_source=rss</link><pubDate>Tue, 10 Mar 2015 09:00:00 +0100</pubDate></item>
            <item><title>Zwei</title><link>/2.html</link></item></channel></rss>"#;
        let items = parse(rss, "https://x.de/feed.xml").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].published.unwrap().to_rfc3339(), "2015-03-10T08:00:00+00:00");
        assert_eq!(items[1].url, "https://x.de/2.html");
        let atom = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><updated>2024-01-01T00:00:00Z</updated>
            <entry><title>Drei</title><id>3</id><link href="https://x.de/3.html"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>"#;
        let items = parse(atom, "https://x.de/atom.xml").unwrap();
        assert_eq!(items[0].url, "https://x.de/3.html");
        assert!(items[0].published.is_none() && items[0].updated.is_some());
        assert!(parse(b"<html>not a feed", "https://x.de/").is_err());
    }
}
