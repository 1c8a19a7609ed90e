//! In-process copies of what every terminal request reads and hardly anything changes: each
//! office's configuration (office, groups, services, counters) and the terminals.
//!
//! Writes through [`Db`](super::Db) drop the copies at once; a copy is also reloaded after
//! [`MAX_AGE`], so an edit made by another back-office instance on the same PostgreSQL
//! database shows within that time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a copy is used before it is read again.
pub const MAX_AGE: Duration = Duration::from_secs(2);

/// Short-lived copies of rarely changing rows (office configuration, terminals), keyed by
/// id, dropped by every local write to them.
pub struct TtlCache<V> {
    entries: Mutex<HashMap<String, (Instant, V)>>,
    /// Bumped by every write, so a read that raced with a write is not kept.
    generation: AtomicU64,
}

impl<V> Default for TtlCache<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            generation: AtomicU64::default(),
        }
    }
}

impl<V: Clone> TtlCache<V> {
    /// The copy under `key` if it is young enough.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < MAX_AGE)
            .map(|(_, v)| v.clone())
    }

    /// The generation to pass to [`Self::put`] for a read that starts now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a copy read since `generation`, unless a write happened meanwhile.
    pub fn put(&self, generation: u64, key: String, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            entries.insert(key, (Instant::now(), value));
        }
    }

    /// Forgets every copy (after any write to the rows behind them).
    pub fn invalidate(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}
