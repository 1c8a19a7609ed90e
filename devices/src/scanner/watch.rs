//! A scanner thread for the kiosk: opens the scanner (keyboard or serial mode), forwards every
//! scan to an async channel, and reopens the device after it was unplugged, reporting health
//! changes on the same channel.

use super::evdev::{KeyboardConfig, KeyboardScanner};
use super::keymap::Layout;
use super::serial::SerialScanner;
use super::{Framing, Scan, ScanError};
use crate::health::{DeviceKind, DeviceState, HealthEvent, HealthTracker};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What the scanner thread reports.
#[derive(Debug)]
pub enum ScannerEvent {
    /// A code was scanned.
    Scan(Scan),
    /// Input that was not a usable code.
    Rejected(ScanError),
    /// The scanner came or went.
    Health(HealthEvent),
}

/// Tells whether decoded text is a code the kiosk expects (shared across reopenings).
pub type SharedAccept = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Which scanner to read.
#[derive(Clone)]
pub enum ScannerSource {
    /// A keyboard-mode scanner's evdev node (use the stable `/dev/input/by-id/…` path).
    Keyboard {
        /// The node.
        path: PathBuf,
        /// Layouts to try, in order.
        layouts: Vec<Layout>,
        /// What a valid scan looks like.
        accept: Option<SharedAccept>,
    },
    /// A serial-mode scanner's tty.
    Serial {
        /// The port, e.g. `/dev/ttyACM0`.
        path: PathBuf,
    },
}

impl std::fmt::Debug for ScannerSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Keyboard { path, layouts, .. } => f
                .debug_struct("Keyboard")
                .field("path", path)
                .field("layouts", layouts)
                .finish(),
            Self::Serial { path } => f.debug_struct("Serial").field("path", path).finish(),
        }
    }
}

enum Opened {
    Keyboard(KeyboardScanner<std::fs::File>),
    Serial(SerialScanner),
}

fn open(source: &ScannerSource, framing: Framing) -> Result<Opened, String> {
    match source {
        ScannerSource::Keyboard {
            path,
            layouts,
            accept,
        } => {
            let accept = accept
                .clone()
                .map(|f| Box::new(move |t: &str| f(t)) as super::evdev::AcceptFn);
            let config = KeyboardConfig {
                layouts: layouts.clone(),
                accept,
                framing,
            };
            KeyboardScanner::open(path, config)
                .map(Opened::Keyboard)
                .map_err(|e| e.to_string())
        }
        ScannerSource::Serial { path } => SerialScanner::open(path, framing)
            .map(Opened::Serial)
            .map_err(|e| e.to_string()),
    }
}

/// Starts the scanner thread. It ends when the receiver is dropped (at the next event).
pub fn spawn_scanner(
    source: ScannerSource,
    framing: Framing,
    retry: Duration,
) -> std::io::Result<(mpsc::UnboundedReceiver<ScannerEvent>, JoinHandle<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let thread =
        std::thread::Builder::new()
            .name("scanner".into())
            .spawn(move || {
                let mut health = HealthTracker::new();
                let mut report = |state, tx: &mpsc::UnboundedSender<ScannerEvent>| match health
                    .observe(DeviceKind::CodeScanner, state, Instant::now())
                {
                    Some(e) => tx.send(ScannerEvent::Health(e)).is_ok(),
                    None => !tx.is_closed(),
                };
                loop {
                    let mut scanner = match open(&source, framing) {
                        Ok(s) => s,
                        Err(reason) => {
                            tracing::debug!(%reason, "scanner not available");
                            if !report(DeviceState::Absent, &tx) {
                                return;
                            }
                            std::thread::sleep(retry);
                            continue;
                        }
                    };
                    if !report(DeviceState::Ready, &tx) {
                        return;
                    }
                    loop {
                        let next = match &mut scanner {
                            Opened::Keyboard(k) => k.next_scan().map_err(|e| e.to_string()),
                            Opened::Serial(s) => s.next_scan().map(Some).map_err(|e| e.to_string()),
                        };
                        let event = match next {
                            Ok(Some(Ok(scan))) => ScannerEvent::Scan(scan),
                            Ok(Some(Err(rejected))) => ScannerEvent::Rejected(rejected),
                            Ok(None) | Err(_) => break,
                        };
                        if tx.send(event).is_err() {
                            return;
                        }
                    }
                    tracing::warn!("scanner lost; reopening");
                }
            })?;
    Ok((rx, thread))
}
