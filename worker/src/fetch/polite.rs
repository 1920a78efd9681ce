//! Politeness shared by every fetch of a process: at most one request at a time per host, a
//! minimum gap between requests to a host (the larger of the source's delay and the host's
//! robots.txt Crawl-delay; it holds across sources of one host), and a global bound on requests
//! in flight. robots.txt is read once per host and cached ([`super::robots`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use super::robots::Rules;

/// What is known about one host.
#[derive(Default)]
pub struct HostState {
    /// When the last request to the host finished.
    pub last: Option<Instant>,
    pub robots: Option<(Arc<Rules>, Instant)>,
}

/// The per-host gates and the global bound.
pub struct Politeness {
    hosts: Mutex<HashMap<String, Arc<tokio::sync::Mutex<HostState>>>>,
    global: Arc<Semaphore>,
}

/// Permission to send one request to a host; dropping it releases the host.
pub struct Turn {
    pub host: OwnedMutexGuard<HostState>,
    _global: OwnedSemaphorePermit,
}

impl Politeness {
    pub fn new(max_in_flight: usize) -> Politeness {
        Politeness { hosts: Mutex::new(HashMap::new()), global: Arc::new(Semaphore::new(max_in_flight.max(1))) }
    }

    fn host(&self, key: &str) -> Arc<tokio::sync::Mutex<HostState>> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts.entry(key.to_owned()).or_default().clone()
    }

    /// Waits for the host to be free (and the global bound), without waiting out the delay.
    pub async fn enter(&self, host_key: &str) -> Turn {
        let host = self.host(host_key).lock_owned().await;
        let permit = self.global.clone().acquire_owned().await.expect("the semaphore is never closed");
        Turn { host, _global: permit }
    }
}

impl Turn {
    /// Sleeps until `delay` has passed since the host's last request.
    pub async fn wait(&self, delay: Duration) {
        if let Some(last) = self.host.last {
            tokio::time::sleep_until(last + delay).await;
        }
    }

    pub fn done(&mut self) {
        self.host.last = Some(Instant::now());
    }
}
