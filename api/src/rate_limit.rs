//! The per-client rate limit, by client address.
//!
//! Each process answers from its own token bucket (governor: `GOVGRAPH_RATE_LIMIT` requests a
//! second, bursts of twice that) without waiting for anything. API processes on one database also
//! share a budget per client and window (`GOVGRAPH_RATE_LIMIT_WINDOW_SECS`, the rate times the
//! window): once a second each process adds the requests it let through to `rate_windows` and
//! reads back those clients' totals, and a client over its budget is refused by every process
//! until its window ends. So replicas behind a load balancer do not multiply a client's budget,
//! and no request waits for the database; a client may overshoot by what it sends within a second.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use govgraph_shared::db::Pool;
use govgraph_shared::models::rate_window::RateWindow;

/// Why a request was refused, and when to come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub retry_after_secs: u64,
}

pub struct RateLimit {
    local: DefaultKeyedRateLimiter<IpAddr>,
    shared: Arc<Shared>,
}

/// The budget shared through the database.
struct Shared {
    window_secs: i64,
    budget: i64,
    /// Requests let through since the last exchange, per client.
    seen: Mutex<HashMap<IpAddr, i64>>,
    /// Clients over their budget, with the end of their window (Unix seconds).
    refused: Mutex<HashMap<IpAddr, i64>>,
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

impl RateLimit {
    /// A limit of `per_sec` requests a second per client; with a pool, the budget of a window is
    /// shared with the other processes on the database (the exchange runs on the current Tokio
    /// runtime until the process ends).
    pub fn new(per_sec: u32, window_secs: u64, pool: Option<Pool>) -> RateLimit {
        let per_sec = per_sec.max(1);
        let rate = NonZeroU32::new(per_sec).expect("at least one");
        let burst = NonZeroU32::new(per_sec.saturating_mul(2)).expect("at least one");
        let window_secs = window_secs.max(1) as i64;
        let shared = Arc::new(Shared {
            window_secs,
            budget: per_sec as i64 * window_secs,
            seen: Mutex::default(),
            refused: Mutex::default(),
        });
        if let Some(pool) = pool {
            tokio::spawn(exchange(shared.clone(), pool));
        }
        RateLimit { local: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)), shared }
    }

    /// Lets a request of `client` through, or says why not.
    pub fn check(&self, client: IpAddr) -> Result<(), Refusal> {
        let now = now_secs();
        if let Some(end) = self.shared.refused.lock().expect("not poisoned").get(&client).copied()
            && end > now
        {
            return Err(Refusal {
                message: format!(
                    "this address used its budget of {} requests in {} s (over all API processes); wait for the next window",
                    self.shared.budget, self.shared.window_secs
                ),
                retry_after_secs: (end - now) as u64,
            });
        }
        if self.local.check_key(&client).is_err() {
            return Err(Refusal {
                message: "too many requests from this address; slow down".to_owned(),
                retry_after_secs: 1,
            });
        }
        *self.shared.seen.lock().expect("not poisoned").entry(client).or_default() += 1;
        Ok(())
    }
}

/// Once a second: adds what this process let through to the shared counts, and learns which of
/// its clients are over their budget. A failing database only pauses the sharing.
async fn exchange(shared: Arc<Shared>, pool: Pool) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut forgotten_before = 0;
    loop {
        tick.tick().await;
        // in one order in every process, so that two upserts never wait for each other's rows
        let seen: Vec<(IpAddr, i64)> = {
            let mut seen: Vec<(IpAddr, i64)> = shared.seen.lock().expect("not poisoned").drain().collect();
            seen.sort();
            seen
        };
        let now = now_secs();
        let window = now - now.rem_euclid(shared.window_secs);
        shared.refused.lock().expect("not poisoned").retain(|_, end| *end > now);
        if seen.is_empty() {
            continue;
        }
        // counts that could not be shared are kept for the next second
        let keep = |seen: &[(IpAddr, i64)]| {
            let mut pending = shared.seen.lock().expect("not poisoned");
            for (ip, n) in seen {
                *pending.entry(*ip).or_default() += n;
            }
        };
        let mut conn = match pool.get().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "rate limit: no database connection; the budget is not shared this second");
                keep(&seen);
                continue;
            }
        };
        let counts: Vec<(String, i64)> = seen.iter().map(|(ip, n)| (ip.to_string(), *n)).collect();
        match RateWindow::add(&mut conn, window, &counts).await {
            Ok(totals) => {
                let mut refused = shared.refused.lock().expect("not poisoned");
                for t in totals.into_iter().filter(|t| t.requests > shared.budget) {
                    if let Ok(ip) = t.client.parse::<IpAddr>() {
                        refused.insert(ip, t.window_start + shared.window_secs);
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "rate limit: could not share the counts");
                keep(&seen);
            }
        }
        if window > forgotten_before {
            if let Err(e) = RateWindow::forget_before(&mut conn, window - shared.window_secs).await {
                tracing::warn!(error = %e, "rate limit: could not forget old windows");
            }
            forgotten_before = window;
        }
    }
}
