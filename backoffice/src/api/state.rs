//! What every handler shares: the database, the clock, the event bus and the settings.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use tokio::sync::{Mutex, broadcast};

use super::events::Event;
use crate::estimate::Estimators;
use crate::store::Db;

/// The back office's clock: real time plus an offset tests (and only tests) may move.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> jiff::Timestamp {
        let real = jiff::Timestamp::now();
        real.checked_add(jiff::SignedDuration::from_millis(
            self.offset_ms.load(Ordering::Relaxed),
        ))
        .unwrap_or(real)
    }

    pub fn now_ms(&self) -> i64 {
        self.now().as_millisecond()
    }

    /// Moves the clock forward (tests).
    pub fn advance(&self, by: std::time::Duration) {
        self.offset_ms
            .fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }
}

/// Tunables, validated at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Wrong booking codes before the booking is locked.
    pub max_wrong_codes: u32,
    pub lock_minutes: i64,
    /// Unknown booking numbers a terminal may try per 10 minutes.
    pub max_unknown_bookings: u32,
    pub session_hours: i64,
    /// Failed logins per user name per 15 minutes.
    pub max_failed_logins: u32,
    /// Heartbeats older than this count as offline.
    pub heartbeat_timeout_secs: i64,
    /// Base URL of the visitor's phone page, for the ticket QR code.
    pub public_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_wrong_codes: 5,
            lock_minutes: 15,
            max_unknown_bookings: 10,
            session_hours: 10,
            max_failed_logins: 5,
            heartbeat_timeout_secs: 90,
            public_url: "https://127.0.0.1:8443".to_owned(),
        }
    }
}

/// A sliding-window counter of failures per key (terminal, user name).
#[derive(Debug, Default)]
pub struct Throttle {
    hits: Mutex<HashMap<String, Vec<i64>>>,
}

impl Throttle {
    /// Records a failure and returns how many fall within `window_ms` before `now`.
    pub async fn hit(&self, key: &str, now: i64, window_ms: i64) -> u32 {
        let mut hits = self.hits.lock().await;
        let list = hits.entry(key.to_owned()).or_default();
        list.retain(|t| *t > now - window_ms);
        list.push(now);
        list.len() as u32
    }

    /// Failures within the window, without recording one.
    pub async fn count(&self, key: &str, now: i64, window_ms: i64) -> u32 {
        let hits = self.hits.lock().await;
        hits.get(key).map_or(0, |l| {
            l.iter().filter(|t| **t > now - window_ms).count() as u32
        })
    }

    pub async fn clear(&self, key: &str) {
        self.hits.lock().await.remove(key);
    }
}

/// Shared state of the running back office.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub clock: Clock,
    pub events: broadcast::Sender<Event>,
    pub settings: Settings,
    pub unknown_bookings: Throttle,
    pub failed_logins: Throttle,
    pub estimators: Estimators,
    pub in_flight: super::in_flight::InFlight,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        let (events, _) = broadcast::channel(1024);
        Self(Arc::new(Inner {
            db,
            clock: Clock::default(),
            events,
            settings,
            unknown_bookings: Throttle::default(),
            failed_logins: Throttle::default(),
            estimators: Estimators::default(),
            in_flight: Default::default(),
        }))
    }

    pub fn publish(&self, event: Event) {
        // Nobody listening is fine.
        let _ = self.0.events.send(event);
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
