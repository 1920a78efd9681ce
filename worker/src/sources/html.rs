//! Listing pages read with CSS selectors (`[source.selectors]`: `item`, `link`, optional `title`,
//! `date`, `next_page`), paged until a page lists nothing newer than what is stored, or
//! `max_pages` (default 5).

use chrono::{DateTime, Utc};
use dom_query::Document;
use serde::Deserialize;

use super::ListedItem;
use crate::WorkerError;
use crate::extract::dates;
use crate::fetch::Fetcher;

const DEFAULT_MAX_PAGES: usize = 5;

/// The kind-specific keys of an `html` source.
#[derive(Debug, Clone, Deserialize)]
pub struct HtmlSettings {
    pub selectors: Selectors,
    #[serde(default)]
    pub max_pages: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Selectors {
    pub item: String,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub next_page: Option<String>,
}

/// What a listing run read.
#[derive(Debug, Default)]
pub struct Listing {
    pub items: Vec<ListedItem>,
    pub pages: usize,
    /// Set when the item selector matched nothing on the first page.
    pub structure_changed: Option<String>,
}

impl HtmlSettings {
    pub fn from_json(name: &str, v: &serde_json::Value) -> Result<HtmlSettings, WorkerError> {
        let s: HtmlSettings = serde_json::from_value(v.clone()).map_err(|e| WorkerError::Config {
            source_name: name.to_owned(),
            reason: format!("an html source needs [source.selectors] with `item` and `link`: {e}"),
        })?;
        for sel in [
            Some(&s.selectors.item),
            s.selectors.link.as_ref(),
            s.selectors.title.as_ref(),
            s.selectors.date.as_ref(),
            s.selectors.next_page.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if dom_query::Matcher::new(sel).is_err() {
                return Err(WorkerError::Config {
                    source_name: name.to_owned(),
                    reason: format!("`{sel}` is not a CSS selector"),
                });
            }
        }
        Ok(s)
    }
}

/// Reads the listing at `url` and its next pages. Paging stops at the first page whose dated
/// items are all older than `known_until` (the newest stored document of the source).
pub async fn list(
    fetcher: &Fetcher,
    url: &str,
    settings: &HtmlSettings,
    known_until: Option<DateTime<Utc>>,
) -> Result<Listing, WorkerError> {
    let max_pages = settings.max_pages.unwrap_or(DEFAULT_MAX_PAGES).max(1);
    let mut listing = Listing::default();
    let mut next = Some(url.to_owned());
    let mut visited = std::collections::HashSet::new();
    while let Some(page_url) = next.take() {
        if listing.pages >= max_pages || !visited.insert(page_url.clone()) {
            break;
        }
        let fetched = fetcher.get(&page_url, None).await?;
        listing.pages += 1;
        let (items, next_url) = parse_page(&fetched.text(), &fetched.url, &settings.selectors);
        if items.is_empty() && listing.pages == 1 {
            listing.structure_changed = Some(format!(
                "the item selector `{}` matched nothing on {page_url}; the page's structure may have changed",
                settings.selectors.item
            ));
        }
        let all_old = known_until.is_some_and(|k| {
            items.iter().any(|i| i.published.is_some()) && items.iter().all(|i| i.published.is_none_or(|p| p < k))
        });
        listing.items.extend(items);
        if all_old {
            break;
        }
        next = next_url;
    }
    Ok(listing)
}

/// The items of one listing page and the URL of the next page.
pub fn parse_page(html: &str, base: &str, sel: &Selectors) -> (Vec<ListedItem>, Option<String>) {
    let doc = Document::from(html);
    let base = url::Url::parse(base).ok();
    let resolve = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with("javascript:") || href.starts_with("mailto:") {
            return None;
        }
        match &base {
            Some(b) => b.join(href).ok().map(|u| u.to_string()),
            None => url::Url::parse(href).ok().map(|u| u.to_string()),
        }
    };
    let Some(items_sel) = doc.try_select(&sel.item) else {
        return (Vec::new(), None);
    };
    let mut items = Vec::new();
    for item in items_sel.iter() {
        let link_el = match &sel.link {
            Some(l) => item.try_select(l).map(|s| s.first()),
            None => None,
        };
        let href = link_el
            .as_ref()
            .and_then(|a| a.attr("href"))
            .or_else(|| item.attr("href"))
            .or_else(|| item.attr("data-url"))
            .or_else(|| item.try_select("a[href]").and_then(|a| a.first().attr("href")));
        let Some(url) = href.and_then(|h| resolve(&h)) else {
            continue;
        };
        let text_of = |s: &Option<String>| {
            s.as_ref()
                .and_then(|s| item.try_select(s))
                .map(|e| e.first().text().split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty())
        };
        let title =
            text_of(&sel.title).or_else(|| link_el.map(|a| a.text().split_whitespace().collect::<Vec<_>>().join(" ")));
        let published = text_of(&sel.date)
            .and_then(|d| dates::parse_german(&d).map(dates::berlin_midnight).or_else(|| dates::parse_machine(&d)));
        if items.iter().all(|i: &ListedItem| i.url != url) {
            items.push(ListedItem {
                url,
                title: title.filter(|t| !t.is_empty()),
                published,
                updated: None,
                summary: None,
            });
        }
    }
    let next = sel
        .next_page
        .as_ref()
        .and_then(|s| doc.try_select(s))
        .and_then(|a| a.first().attr("href"))
        .and_then(|h| resolve(&h));
    (items, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_items_dates_and_the_next_page() {
        let html = r#"<ul>
          <li class="listEntry" data-url="/de/a.php"><h4 class="listEntryTitle"><a href="/de/a.php">Leerung
              graue Tonne</a></h4><div class="listEntryDate">18.07.2025</div></li>
          <li class="listEntry"><h4 class="listEntryTitle"><a href="b.php#x">Zweite</a></h4></li>
          <li class="listEntry"><h4 class="listEntryTitle"><a href="javascript:void(0)">kaputt</a></h4></li>
        </ul><div class="pageNaviList"><a class="pageNaviNextLink" href="?page=2#list">&gt;</a></div>"#;
        let sel = Selectors {
            item: "li.listEntry".into(),
            link: Some("h4.listEntryTitle a".into()),
            title: None,
            date: Some("div.listEntryDate".into()),
            next_page: Some("div.pageNaviList a.pageNaviNextLink".into()),
        };
        let (items, next) = parse_page(html, "https://www.salzkotten.de/de/news.php", &sel);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].url, "https://www.salzkotten.de/de/a.php");
        assert_eq!(items[0].title.as_deref(), Some("Leerung graue Tonne"));
        assert_eq!(items[0].published.unwrap().to_rfc3339(), "2025-07-17T22:00:00+00:00");
        assert_eq!(items[1].url, "https://www.salzkotten.de/de/b.php#x");
        assert_eq!(next.as_deref(), Some("https://www.salzkotten.de/de/news.php?page=2#list"));
    }
}
