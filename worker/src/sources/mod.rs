//! Source adapters: each lists the items of one kind of source. Every adapter fetches through
//! [`crate::fetch::Fetcher`].

pub mod html;
pub mod rss;
pub mod sitemap;

use chrono::{DateTime, Utc};

/// One item a source lists: the page to fetch and what the listing says about it.
#[derive(Debug, Clone)]
pub struct ListedItem {
    pub url: String,
    pub title: Option<String>,
    /// The listing's publication date (RSS pubDate, Atom published).
    pub published: Option<DateTime<Utc>>,
    /// A weaker date (Atom updated), used when nothing better is found.
    pub updated: Option<DateTime<Utc>>,
    pub summary: Option<String>,
}
