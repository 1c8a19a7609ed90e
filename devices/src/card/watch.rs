//! A card-reader thread for the kiosk: watches pcscd, forwards card events to an async
//! channel, and reconnects when pcscd restarts, reporting the reader's health on the way.

use super::{CardEvent, CardWatcher};
use crate::health::{DeviceKind, DeviceState, HealthEvent, HealthTracker};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the card-reader thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardNotice {
    /// A reader or card event.
    Card(CardEvent),
    /// The reader came or went (including pcscd stopping).
    Health(HealthEvent),
}

/// Starts the card-reader thread; it ends when the receiver is dropped.
pub fn spawn_card_watcher(
    retry: Duration,
) -> std::io::Result<(mpsc::UnboundedReceiver<CardNotice>, JoinHandle<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let thread =
        std::thread::Builder::new()
            .name("card-reader".into())
            .spawn(move || {
                let mut health = HealthTracker::new();
                let mut readers = 0usize;
                let mut report = |state, tx: &mpsc::UnboundedSender<CardNotice>| match health
                    .observe(DeviceKind::CardReader, state, Instant::now())
                {
                    Some(e) => tx.send(CardNotice::Health(e)).is_ok(),
                    None => !tx.is_closed(),
                };
                loop {
                    let mut watcher = match CardWatcher::new() {
                        Ok(w) => w,
                        Err(e) => {
                            tracing::debug!(error = %e, "pcscd not reachable");
                            if !report(e.reader_state(), &tx) {
                                return;
                            }
                            std::thread::sleep(retry);
                            continue;
                        }
                    };
                    loop {
                        let events = match watcher.wait(retry) {
                            Ok(events) => events,
                            Err(e) => {
                                tracing::warn!(error = %e, "card reader service lost");
                                readers = 0;
                                if !report(e.reader_state(), &tx) {
                                    return;
                                }
                                break;
                            }
                        };
                        for e in events {
                            match &e {
                                CardEvent::ReaderAdded(_) => readers += 1,
                                CardEvent::ReaderRemoved(_) => readers = readers.saturating_sub(1),
                                _ => {}
                            }
                            if tx.send(CardNotice::Card(e)).is_err() {
                                return;
                            }
                        }
                        let state = if readers > 0 {
                            DeviceState::Ready
                        } else {
                            DeviceState::Absent
                        };
                        if !report(state, &tx) {
                            return;
                        }
                    }
                    std::thread::sleep(retry);
                }
            })?;
    Ok((rx, thread))
}
