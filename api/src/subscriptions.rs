//! Subscriptions over WebSocket (graphql-transport-ws, and the older graphql-ws): new
//! announcements and new relations as they are stored, by any process, fed by [`crate::live`].

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use govgraph_shared::db::Pool;
use govgraph_shared::ids::{DocumentId, RelationId};
use govgraph_shared::models::graph::Edge;
use govgraph_shared::models::{Document, DocumentFilter};
use tokio::sync::broadcast;

use crate::filters::{AnnouncementAddedFilter, RelationAddedFilter};
use crate::live::Live;
use crate::types::{Announcement, Relation};
use govgraph_shared::vocab::Status;

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
#[allow(clippy::too_many_arguments)]
impl SubscriptionRoot {
    /// Announcements as they are stored, by any process, with their tags: all of them, or those
    /// about a state, matching a text, or naming an actor, body, project or service (each given,
    /// all must hold).
    async fn announcement_added(
        &self,
        ctx: &Context<'_>,
        filter: Option<AnnouncementAddedFilter>,
    ) -> async_graphql::Result<impl Stream<Item = Announcement> + use<>> {
        use futures_util::StreamExt;
        let f = filter.unwrap_or_default();
        let mentions = crate::roots::resolve_nodes(ctx, [f.actor, f.body, f.project, f.service]).await?;
        let filter = DocumentFilter {
            state: f.state.map(|s| s.as_str().to_owned()),
            text: f.text.filter(|t| !t.trim().is_empty()),
            mentions,
            ..Default::default()
        };
        let pool = ctx.data_unchecked::<Pool>().clone();
        let live = ctx.data_unchecked::<Live>();
        Ok(ids(live.announcements.subscribe()).filter_map(move |id| {
            let pool = pool.clone();
            let filter = filter.clone();
            async move {
                let mut conn = pool.get().await.ok()?;
                // also with no filter: a duplicate or a deleted document is not announced
                if !Document::matches(&mut conn, id, &filter).await.ok()? {
                    return None;
                }
                Some(Announcement(Document::find(&mut conn, DocumentId::new(id)).await.ok()??))
            }
        }))
    }

    /// Edges as they are stored, with their evidence: all, or of one predicate, or touching one
    /// node.
    async fn relation_added(
        &self,
        ctx: &Context<'_>,
        filter: Option<RelationAddedFilter>,
    ) -> async_graphql::Result<impl Stream<Item = Relation> + use<>> {
        use futures_util::StreamExt;
        let RelationAddedFilter { predicate, node } = filter.unwrap_or_default();
        let node = match node {
            Some(n) => Some(crate::roots::resolve_node(ctx, &n).await?),
            None => None,
        };
        let pool = ctx.data_unchecked::<Pool>().clone();
        let live = ctx.data_unchecked::<Live>();
        Ok(ids(live.relations.subscribe()).filter_map(move |id| {
            let pool = pool.clone();
            async move {
                let mut conn = pool.get().await.ok()?;
                let edge = Edge::by_ids(&mut conn, &[RelationId::new(id)]).await.ok()?.pop()?;
                if edge.status == Status::Rejected
                    || predicate.is_some_and(|p| p != edge.predicate)
                    || node.is_some_and(|n| n != edge.subject_id && n != edge.object_id)
                {
                    return None;
                }
                Some(Relation(edge))
            }
        }))
    }
}
