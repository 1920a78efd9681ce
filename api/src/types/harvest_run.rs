use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use govgraph_shared::models;
use govgraph_shared::vocab::{RunStatus, RunTrigger};

use super::Source;
use crate::error::{ApiResult, internal};
use crate::loaders::SourceById;

/// An error of a run, with the URL it concerns.
#[derive(SimpleObject)]
pub struct RunError {
    pub url: String,
    pub message: String,
}

/// One harvest of one source, with its counts and errors.
#[derive(Clone)]
pub struct HarvestRun(pub models::HarvestRun);

#[Object]
impl HarvestRun {
    pub async fn id(&self) -> ID {
        super::global_id("HarvestRun", self.0.id)
    }
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<Source>> {
        let loader = ctx.data_unchecked::<DataLoader<SourceById>>();
        let source = loader
            .load_one(self.0.source_id)
            .await
            .map_err(|e| internal(crate::error::ApiError::Internal(e.to_string())))?;
        Ok(source.map(Source))
    }
    async fn status(&self) -> RunStatus {
        self.0.status
    }
    async fn trigger(&self) -> RunTrigger {
        self.0.trigger
    }
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }
    /// Items the source listed.
    async fn items_seen(&self) -> i32 {
        self.0.items_seen
    }
    async fn items_new(&self) -> i32 {
        self.0.items_new
    }
    async fn items_updated(&self) -> i32 {
        self.0.items_updated
    }
    async fn items_unchanged(&self) -> i32 {
        self.0.items_unchanged
    }
    async fn items_failed(&self) -> i32 {
        self.0.items_failed
    }
    /// Items skipped (robots.txt, filters).
    async fn items_skipped(&self) -> i32 {
        self.0.items_skipped
    }
    /// Catalogue entries a load no longer found (kept, marked as no longer listed).
    async fn items_removed(&self) -> i32 {
        self.0.items_removed
    }
    async fn errors(&self) -> Vec<RunError> {
        self.0.error_list().into_iter().map(|e| RunError { url: e.url, message: e.message }).collect()
    }
    /// A summary of what went wrong, if anything.
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
}
