use async_graphql::{Context, ID, Object};
use govgraph_shared::models;
use govgraph_shared::vocab::{SourceKind, SourceOrigin};

use crate::error::ApiResult;

/// A configured source of announcements or catalogue data.
#[derive(Clone)]
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
    async fn kind(&self) -> SourceKind {
        self.0.kind
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn origin(&self) -> SourceOrigin {
        self.0.origin
    }
    /// Cron (six fields, seconds first) in Europe/Berlin.
    async fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }
    /// The default state tag of its documents.
    async fn state(&self, ctx: &Context<'_>) -> ApiResult<Option<super::State>> {
        crate::loaders::state(ctx, self.0.state_code.as_deref().and_then(|c| c.parse().ok())).await
    }
    /// The issuing actor.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
}
