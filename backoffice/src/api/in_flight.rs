//! The terminal requests running in this process, by terminal and idempotency key: a
//! duplicate that arrives while the first is still being answered is told so at once (409)
//! instead of waiting on the database.

use std::collections::HashSet;
use std::sync::Mutex;

/// The (terminal, key) pairs whose requests are running in this process.
#[derive(Default)]
pub struct InFlight(Mutex<HashSet<(String, String)>>);

/// Marks a request as running until dropped.
pub struct Running<'a> {
    set: &'a InFlight,
    entry: Option<(String, String)>,
}

impl InFlight {
    /// Marks the request running; `None` if the same one is running already.
    pub fn enter(&self, terminal_id: &str, key: &str) -> Option<Running<'_>> {
        let entry = (terminal_id.to_owned(), key.to_owned());
        let fresh = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(entry.clone());
        // Built only for the first: dropping it removes the entry.
        fresh.then(|| Running {
            set: self,
            entry: Some(entry),
        })
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            let mut set = self.set.0.lock().unwrap_or_else(|p| p.into_inner());
            set.remove(&entry);
        }
    }
}
