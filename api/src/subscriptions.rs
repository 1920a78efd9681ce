//! Subscriptions over WebSocket (graphql-transport-ws, and the older graphql-ws): new
//! announcements and new relations as they are stored, by any process, fed by [`crate::live`].

use async_graphql::{Context, Subscription};
use futures_util::Stream;
use govgraph_shared::db::Pool;
use govgraph_shared::ids::{DocumentId, RelationId};
use govgraph_shared::models::graph::Edge;
use govgraph_shared::models::{Document, DocumentFilter};
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
#[allow(clippy::too_many_arguments)]
impl SubscriptionRoot {
    /// Announcements as they are stored, by any process, with their tags: all of them, or those
    /// about a state, matching a text, or naming an actor, body, project or service (each given,
    /// all must hold).
    async fn announcement_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A state code (\"ST\", \"DE\").")] state: Option<String>,
        #[graphql(desc = "German full text (words, \"phrases\", -excluded, or).")] text: Option<String>,
        #[graphql(desc = "Naming this actor (a global id or a slug).")] actor: Option<String>,
        #[graphql(desc = "Naming this body (a global id or a slug).")] body: Option<String>,
        #[graphql(desc = "Naming this project (a global id or a slug).")] project: Option<String>,
        #[graphql(desc = "Naming this service (a global id or a slug).")] service: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = Announcement> + use<>> {
        use futures_util::StreamExt;
        let mentions = crate::roots::resolve_nodes(ctx, [actor, body, project, service]).await?;
        let filter = DocumentFilter {
            state: state.map(|s| s.trim().to_uppercase()),
            text: text.filter(|t| !t.trim().is_empty()),
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
        #[graphql(desc = "A predicate (PARTY_TO, SIGNED, MEMBER_OF, ...).")] predicate: Option<String>,
        #[graphql(desc = "Only edges from or to this node (a global id or a slug).")] node: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = Relation> + use<>> {
        use futures_util::StreamExt;
        let predicate = match predicate {
            Some(p) => crate::types::edges::predicates(Some(vec![p]))?.pop(),
            None => None,
        };
        let node = match node {
            Some(n) => Some(crate::roots::resolve_node(ctx, &n).await?),
            None => None,
        };
        let pool = ctx.data_unchecked::<Pool>().clone();
        let live = ctx.data_unchecked::<Live>();
        Ok(ids(live.relations.subscribe()).filter_map(move |id| {
            let pool = pool.clone();
            let predicate = predicate.clone();
            async move {
                let mut conn = pool.get().await.ok()?;
                let edge = Edge::by_ids(&mut conn, &[RelationId::new(id)]).await.ok()?.pop()?;
                if edge.status == "rejected"
                    || predicate.as_ref().is_some_and(|p| p != &edge.predicate)
                    || node.is_some_and(|n| n != edge.subject_id && n != edge.object_id)
                {
                    return None;
                }
                Some(Relation(edge))
            }
        }))
    }
}
