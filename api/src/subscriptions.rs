//! Subscriptions over WebSocket (graphql-transport-ws, and the older graphql-ws): new
//! announcements and new relations as they are stored, by any process, fed by [`crate::live`].

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use govgraph_shared::db::Pool;
use govgraph_shared::models::graph::Edge;
use govgraph_shared::models::{Document, DocumentState};
use tokio::sync::broadcast;

use crate::live::Live;
use crate::types::{Announcement, Relation};

#[derive(Default)]
pub struct SubscriptionRoot;

/// The ids a channel carries; a subscriber that falls behind skips what it missed.
fn ids(rx: broadcast::Receiver<i64>) -> impl Stream<Item = i64> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(id) => return Some((id, rx)),
                Err(broadcast::error::RecvError::Lagged(n)) => tracing::warn!(skipped = n, "a subscriber fell behind"),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

#[Subscription]
impl SubscriptionRoot {
    /// Announcements as they are stored (optionally only those about a state).
    async fn announcement_added(&self, ctx: &Context<'_>, state: Option<String>) -> impl Stream<Item = Announcement> {
        use futures_util::StreamExt;
        let pool = ctx.data_unchecked::<Pool>().clone();
        let live = ctx.data_unchecked::<Live>();
        let state = state.map(|s| s.trim().to_uppercase());
        ids(live.announcements.subscribe()).filter_map(move |id| {
            let pool = pool.clone();
            let state = state.clone();
            async move {
                let mut conn = pool.get().await.ok()?;
                let doc = Document::find(&mut conn, id).await.ok()??;
                if let Some(code) = &state {
                    let tags = DocumentState::for_documents(&mut conn, &[id]).await.ok()?;
                    if !tags.iter().any(|t| &t.state_code == code) {
                        return None;
                    }
                }
                Some(Announcement(doc))
            }
        })
    }

    /// Edges as they are stored (optionally of one predicate), with their evidence.
    async fn relation_added(&self, ctx: &Context<'_>, predicate: Option<String>) -> impl Stream<Item = Relation> {
        use futures_util::StreamExt;
        let pool = ctx.data_unchecked::<Pool>().clone();
        let live = ctx.data_unchecked::<Live>();
        let predicate = predicate.map(|p| p.trim().to_lowercase());
        ids(live.relations.subscribe()).filter_map(move |id| {
            let pool = pool.clone();
            let predicate = predicate.clone();
            async move {
                let mut conn = pool.get().await.ok()?;
                let edge = Edge::by_ids(&mut conn, &[id]).await.ok()?.pop()?;
                if predicate.as_ref().is_some_and(|p| p != &edge.predicate) {
                    return None;
                }
                Some(Relation(edge))
            }
        })
    }
}
