//! The hardware code scanner in the kiosk: which scanner the terminal's configuration names,
//! and what the flow hears of its scans. Scanned text is visitor data: it goes to the flow and
//! never into a log.

use std::path::PathBuf;
use std::sync::Arc;

use devices::scanner::ScanError;
use devices::scanner::keymap::Layout;
use devices::scanner::watch::{ScannerEvent, ScannerSource};

use crate::flow::entry::parse_scan;
use crate::flow::{Event, ScanProblem};

/// The code scanner the terminal has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ScannerConfig {
    /// None: visitors type the booking number and code.
    #[default]
    None,
    /// A scanner in keyboard mode: its evdev node (`/dev/input/by-id/…-event-kbd`), grabbed
    /// exclusively so no keystroke reaches the screen.
    Keyboard(PathBuf),
    /// A scanner in serial mode (CDC-ACM): its tty, e.g. `/dev/ttyACM0`.
    Serial(PathBuf),
}

impl ScannerConfig {
    /// What the device thread opens; `None` without a scanner.
    ///
    /// A keyboard-mode scanner is read as US layout first, then German: a scanner left in US
    /// layout on a German terminal mangles `:` and `/`, and trying both against what a booking
    /// confirmation looks like recovers the code.
    pub fn source(&self) -> Option<ScannerSource> {
        match self {
            ScannerConfig::None => None,
            ScannerConfig::Keyboard(path) => Some(ScannerSource::Keyboard {
                path: path.clone(),
                layouts: vec![Layout::Us, Layout::De],
                accept: Some(Arc::new(|text: &str| parse_scan(text).is_some())),
            }),
            ScannerConfig::Serial(path) => Some(ScannerSource::Serial { path: path.clone() }),
        }
    }
}

/// What the visitor is told about input the scanner could not use.
pub fn problem(e: &ScanError) -> ScanProblem {
    match e {
        ScanError::TooLong { .. } | ScanError::Garbage { .. } => ScanProblem::Unreadable,
        // Readable, but in no layout a booking confirmation.
        ScanError::Unrecognised => ScanProblem::NotABooking,
    }
}

/// The flow event for a scan or a rejected scan; `None` for health changes (they go to the
/// heartbeat and the device check).
pub fn flow_event(event: ScannerEvent) -> Option<Event> {
    match event {
        ScannerEvent::Scan(scan) => Some(Event::Scanned(scan.text)),
        ScannerEvent::Rejected(e) => Some(Event::ScanRejected(problem(&e))),
        ScannerEvent::Health(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyboard_scanners_accept_only_booking_codes_in_either_layout() {
        let Some(ScannerSource::Keyboard {
            layouts, accept, ..
        }) = ScannerConfig::Keyboard("/dev/input/event9".into()).source()
        else {
            panic!("keyboard source expected");
        };
        assert_eq!(layouts, [Layout::Us, Layout::De]);
        let accept = accept.expect("a filter");
        assert!(accept("BT1:100123:AB2CD"));
        assert!(!accept("BT1Ö100123ÖAB2CD"), "US scan read as German");
        assert_eq!(ScannerConfig::None.source().map(|_| ()), None);
    }

    #[test]
    fn rejected_scans_become_notices() {
        assert_eq!(
            flow_event(ScannerEvent::Rejected(ScanError::Garbage { count: 2 })),
            Some(Event::ScanRejected(ScanProblem::Unreadable))
        );
        assert_eq!(problem(&ScanError::Unrecognised), ScanProblem::NotABooking);
    }
}
