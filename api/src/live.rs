//! Live events: one PostgreSQL connection per API process LISTENs on `govgraph_announcement` and
//! `govgraph_relation` (notified by triggers, see the `notify` migration) and fans the ids out to
//! the subscriptions of this process, and on `govgraph_reference` (the `reference_notify`
//! migration), which reloads the in-process copy of the states
//! ([`crate::reference_cache::StatesCache`]). A lost connection is opened again, with back-off,
//! and the states are reloaded once it listens again.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::broadcast;
use tokio_postgres::AsyncMessage;

/// The channels subscriptions read from.
#[derive(Clone)]
pub struct Live {
    pub announcements: broadcast::Sender<i64>,
    pub relations: broadcast::Sender<i64>,
    /// The states, reloaded when the table changes.
    pub states: crate::reference_cache::StatesCache,
}

impl Live {
    /// Starts listening on the database at `url`; `states` is the cache it keeps current.
    pub fn start(url: String, states: crate::reference_cache::StatesCache) -> Live {
        let (announcements, _) = broadcast::channel(1024);
        let (relations, _) = broadcast::channel(4096);
        let live = Live { announcements, relations, states };
        let out = live.clone();
        tokio::spawn(async move {
            let mut wait = Duration::from_millis(200);
            loop {
                match listen(&url, &out).await {
                    Ok(()) => tracing::warn!("the LISTEN connection closed; opening it again"),
                    Err(e) => tracing::warn!(error = %e, "the LISTEN connection failed; trying again"),
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(30));
            }
        });
        live
    }
}

async fn listen(url: &str, out: &Live) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    let driver = async {
        while let Some(message) = messages.next().await {
            if let AsyncMessage::Notification(n) = message? {
                if n.channel() == "govgraph_reference" {
                    if n.payload() == "states" {
                        let states = out.states.clone();
                        tokio::spawn(async move { states.reload().await });
                    }
                    continue;
                }
                let Ok(id) = n.payload().parse::<i64>() else { continue };
                let channel = match n.channel() {
                    "govgraph_announcement" => &out.announcements,
                    "govgraph_relation" => &out.relations,
                    _ => continue,
                };
                let _ = channel.send(id); // nobody listening is fine
            }
        }
        Ok::<(), tokio_postgres::Error>(())
    };
    let subscribe = async {
        client
            .batch_execute("LISTEN govgraph_announcement; LISTEN govgraph_relation; LISTEN govgraph_reference")
            .await?;
        tracing::info!("listening for new announcements and relations and for changed states");
        // a change while nobody listened was not heard
        out.states.reload().await;
        std::future::pending::<()>().await;
        Ok::<(), tokio_postgres::Error>(())
    };
    tokio::select! {
        r = driver => r,
        r = subscribe => r,
    }
}
