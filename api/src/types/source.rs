use async_graphql::{ID, Object};
use govgraph_shared::models;

/// A configured source of announcements or catalogue data.
pub struct Source(pub models::Source);

#[Object]
impl Source {
    pub async fn id(&self) -> ID {
        super::global_id("Source", self.0.id)
    }
    /// The unique name from `config/sources.toml`.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// rss, html, sitemap, page, or a catalogue kind.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// FILE (the sources file, mirrored at every start) or API (added through `putSource`).
    async fn origin(&self) -> String {
        self.0.origin.to_uppercase()
    }
    /// Cron (six fields, seconds first) in Europe/Berlin.
    async fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }
    /// The default state tag of its documents.
    async fn state(&self) -> Option<&str> {
        self.0.state_code.as_deref()
    }
    /// The issuing actor.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
}
