use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Europe::Berlin;
use govgraph_shared::models::Document;

use super::{Source, State};
use crate::error::{ApiError, ApiResult, internal};
use crate::loaders::{SourceById, StatesByDocument};

/// A link to a document attached to an announcement.
#[derive(SimpleObject, serde::Deserialize)]
pub struct Attachment {
    pub url: String,
    pub title: String,
}

/// A harvested announcement: a press release or an article.
#[derive(Clone)]
pub struct Announcement(pub Document);

#[Object]
impl Announcement {
    pub async fn id(&self) -> ID {
        super::global_id("Announcement", self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The URL it was harvested from.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The URL it is stored under (no tracking parameters, no fragment).
    async fn canonical_url(&self) -> &str {
        &self.0.canonical_url
    }
    /// When it was published, in German time. A date without a time is midnight.
    async fn published_at(&self) -> Option<DateTime<FixedOffset>> {
        self.0.published_at.map(|d| d.with_timezone(&Berlin).fixed_offset())
    }
    /// The day of publication in Germany.
    async fn published_date(&self) -> Option<NaiveDate> {
        self.0.published_at.map(|d| d.with_timezone(&Berlin).date_naive())
    }
    /// Where the date was read: json_ld, meta, time, feed, dateline or text.
    async fn published_date_source(&self) -> Option<&str> {
        self.0.published_source.as_deref()
    }
    /// The issuing body, from the source or the page's press-office footer.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }
    /// The dateline's place ("Magdeburg").
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
    async fn press_release_number(&self) -> Option<&str> {
        self.0.press_release_number.as_deref()
    }
    /// The main text, without navigation, adverts and other page furniture.
    async fn text(&self) -> &str {
        &self.0.text
    }
    async fn attachments(&self) -> Vec<Attachment> {
        serde_json::from_value(self.0.attachments.clone()).unwrap_or_default()
    }
    /// The states it concerns, primary first.
    async fn states(&self, ctx: &Context<'_>) -> ApiResult<Vec<State>> {
        let loader = ctx.data_unchecked::<DataLoader<StatesByDocument>>();
        let states = loader.load_one(self.0.id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(states.unwrap_or_default().into_iter().filter_map(State::from_row).collect())
    }
    /// The primary state.
    async fn primary_state(&self, ctx: &Context<'_>) -> ApiResult<Option<State>> {
        let code = self.0.primary_state.as_deref().and_then(|c| c.parse().ok());
        crate::loaders::state(ctx, code).await
    }
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<Source>> {
        let Some(id) = self.0.source_id else {
            return Ok(None);
        };
        let loader = ctx.data_unchecked::<DataLoader<SourceById>>();
        let source = loader.load_one(id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(source.map(Source))
    }
    /// 1 for the first text seen; each change of the text adds one.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.0.fetched_at
    }
    async fn first_seen_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The nodes this announcement names, in text order, with where (character offsets) and how
    /// they were found.
    async fn mentions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Mention>> {
        let loader = ctx.data_unchecked::<DataLoader<crate::loaders::MentionsByDocument>>();
        let rows = loader.load_one(self.0.id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|m| Mention {
                node_type: m.entity_type,
                entity_id: m.entity_id,
                surface: m.surface,
                start_offset: m.start_offset,
                end_offset: m.end_offset,
                method: m.method,
            })
            .collect())
    }
    /// The edges of the graph that this announcement is evidence for (by predicate), each with
    /// all its evidence.
    async fn relations(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Relation>> {
        let loader = ctx.data_unchecked::<DataLoader<crate::loaders::EdgesReadIn>>();
        let rows = loader.load_one(self.0.id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(rows.unwrap_or_default().into_iter().map(super::Relation).collect())
    }
    /// Earlier texts of this announcement, oldest first (the current one is `text`).
    async fn versions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Version>> {
        let loader = ctx.data_unchecked::<DataLoader<crate::loaders::VersionsByDocument>>();
        let rows = loader.load_one(self.0.id).await.map_err(|e| internal(ApiError::Internal(e.to_string())))?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|v| Version {
                version: v.version,
                title: v.title,
                text: v.text,
                fetched_at: v.fetched_at,
                superseded_at: v.superseded_at,
            })
            .collect())
    }
}

/// A node an announcement names.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Mention {
    #[graphql(skip)]
    pub node_type: govgraph_shared::vocab::NodeType,
    #[graphql(skip)]
    pub entity_id: i64,
    /// The words as the text has them.
    pub surface: String,
    /// Character offsets in the announcement's text.
    pub start_offset: i32,
    pub end_offset: i32,
    /// gazetteer:reference, gazetteer:register, context:state, pattern:...
    pub method: String,
}

#[async_graphql::ComplexObject]
impl Mention {
    /// The node named (through the same loader as the ends of edges).
    async fn node(&self, ctx: &Context<'_>) -> ApiResult<crate::roots::Node> {
        super::relation::end(ctx, self.node_type, self.entity_id).await
    }
}

/// An earlier text of an announcement.
#[derive(SimpleObject)]
pub struct Version {
    pub version: i32,
    pub title: String,
    pub text: String,
    pub fetched_at: DateTime<Utc>,
    pub superseded_at: DateTime<Utc>,
}
