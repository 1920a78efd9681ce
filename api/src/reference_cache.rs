//! Small reference tables kept in process: the states (17 rows), which nearly every request that
//! shows an announcement or an edge to a Land needs. The vocabularies are Rust enums
//! (`govgraph_shared::vocab`), not tables, so the states are the only such table.
//!
//! The copy is dropped when the table changes: a statement trigger on `states` notifies
//! `govgraph_reference` (migration `reference_notify`), and the listener of [`crate::live`] calls
//! [`StatesCache::reload`]; it also reloads after every (re)connection, since a change may have
//! been missed while it was away. An empty cache (at start, after a change, when a reload
//! failed) reads the table.

use std::sync::{Arc, RwLock};

use diesel_async::AsyncPgConnection;
use govgraph_shared::db::Pool;
use govgraph_shared::models::State;

/// The states, shared by every request of the process.
#[derive(Clone)]
pub struct StatesCache {
    pool: Pool,
    cached: Arc<RwLock<Cached>>,
}

#[derive(Default)]
struct Cached {
    /// Bumped by every invalidation: a read that started before it is not stored.
    generation: u64,
    states: Option<Arc<Vec<State>>>,
}

impl StatesCache {
    /// An empty cache that reads through `pool`.
    pub fn new(pool: Pool) -> StatesCache {
        StatesCache { pool, cached: Arc::default() }
    }

    fn get(&self) -> (u64, Option<Arc<Vec<State>>>) {
        let c = self.cached.read().expect("not poisoned");
        (c.generation, c.states.clone())
    }

    fn store(&self, generation: u64, states: Arc<Vec<State>>) {
        let mut c = self.cached.write().expect("not poisoned");
        if c.generation == generation {
            c.states = Some(states);
        }
    }

    /// The states in AGS order, DE last, read on `conn` only when the cache is empty.
    pub async fn all_with(&self, conn: &mut AsyncPgConnection) -> govgraph_shared::Result<Arc<Vec<State>>> {
        let (generation, states) = self.get();
        if let Some(states) = states {
            return Ok(states);
        }
        let states = Arc::new(State::all(conn).await?);
        self.store(generation, states.clone());
        Ok(states)
    }

    /// The states, with a connection of the pool only when the cache is empty.
    pub async fn all(&self) -> govgraph_shared::Result<Arc<Vec<State>>> {
        if let (_, Some(states)) = self.get() {
            return Ok(states);
        }
        let mut conn = self.pool.get().await?;
        self.all_with(&mut conn).await
    }

    /// Forgets the copy: the next request reads the table.
    pub fn invalidate(&self) {
        let mut c = self.cached.write().expect("not poisoned");
        c.generation += 1;
        c.states = None;
    }

    /// Forgets the copy and reads the table again (what a notification does).
    pub async fn reload(&self) {
        self.invalidate();
        if let Err(e) = self.all().await {
            tracing::warn!(error = %e, "could not reload the states; the next request reads them");
        }
    }
}
