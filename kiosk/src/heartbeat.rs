//! What the terminal tells the back office every few seconds, built from the devices' states
//! and the visitor's help request; and the guard that keeps one heartbeat on the wire at a
//! time (one can take longer than the interval when the back office is slow).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use devices::health::DeviceState;

use crate::backend::{DeviceCondition, DeviceKind, DeviceReport, Heartbeat, HelpRequest};

/// A device state as the contract names it.
pub fn condition(state: DeviceState) -> DeviceCondition {
    match state {
        DeviceState::Ready => DeviceCondition::Ok,
        DeviceState::PaperLow => DeviceCondition::PaperLow,
        DeviceState::PaperOut => DeviceCondition::PaperOut,
        DeviceState::CoverOpen => DeviceCondition::CoverOpen,
        DeviceState::Error => DeviceCondition::Error,
        DeviceState::Offline => DeviceCondition::Offline,
        DeviceState::Absent => DeviceCondition::Absent,
        DeviceState::UsbUnavailable => DeviceCondition::UsbUnavailable,
    }
}

fn report(device: DeviceKind, state: DeviceState) -> DeviceReport {
    DeviceReport {
        device,
        state: condition(state),
        detail: state.hint().map(str::to_owned),
    }
}

/// What the terminal knows when a heartbeat is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    /// The ticket printer's state.
    pub printer: DeviceState,
    /// The code scanner's state, if the terminal has one and its thread has reported.
    pub scanner: Option<DeviceState>,
    /// When the visitor asked for help, while the request is open.
    pub help: Option<jiff::Timestamp>,
}

/// The heartbeat for what was observed.
pub fn build(app_version: &str, config_version: &str, seen: &Observed) -> Heartbeat {
    let mut devices = vec![report(DeviceKind::TicketPrinter, seen.printer)];
    if let Some(scanner) = seen.scanner {
        devices.push(report(DeviceKind::Scanner, scanner));
    }
    Heartbeat {
        app_version: app_version.to_owned(),
        config_version: config_version.to_owned(),
        devices,
        help: seen.help.map(|requested_at| HelpRequest { requested_at }),
    }
}

/// Lets one heartbeat run at a time; a second one asked for meanwhile is folded into a
/// rerun of the first, so a help request is never lost and never sent twice at once. One
/// atomic state (idle, running, running and asked again), so no request falls between the end
/// of a run and the next.
#[derive(Debug, Default)]
pub struct OneAtATime(AtomicU8);

const IDLE: u8 = 0;
const RUNNING: u8 = 1;
const AGAIN: u8 = 2;

/// Held while a heartbeat runs.
#[derive(Debug)]
pub struct Running {
    guard: Arc<OneAtATime>,
    finished: bool,
}

impl OneAtATime {
    /// Starts a heartbeat unless one is running; then the running one goes again when done.
    pub fn start(self: &Arc<Self>) -> Option<Running> {
        match self
            .0
            .compare_exchange(IDLE, RUNNING, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => Some(Running {
                guard: Arc::clone(self),
                finished: false,
            }),
            Err(_) => {
                let _ =
                    self.0
                        .compare_exchange(RUNNING, AGAIN, Ordering::AcqRel, Ordering::Acquire);
                None
            }
        }
    }
}

impl Running {
    /// After a run: `true` if another was asked for meanwhile (run again), else the guard is
    /// free and this returns `false`.
    pub fn again(&mut self) -> bool {
        let state = &self.guard.0;
        match state.compare_exchange(RUNNING, IDLE, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => {
                self.finished = true;
                false
            }
            Err(_) => {
                state.store(RUNNING, Ordering::Release);
                true
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A run that ended without asking (a panic, a dropped task) frees the guard.
        if !self.finished {
            self.guard.0.store(IDLE, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_device_and_the_help_request_apart() {
        let at: jiff::Timestamp = "2026-12-01T09:00:00Z".parse().expect("time");
        let beat = build(
            "1.0",
            "cfg-7",
            &Observed {
                printer: DeviceState::PaperOut,
                scanner: Some(DeviceState::Ready),
                help: Some(at),
            },
        );
        assert_eq!(beat.config_version, "cfg-7");
        assert_eq!(beat.devices.len(), 2);
        assert_eq!(beat.devices[0].device, DeviceKind::TicketPrinter);
        assert_eq!(beat.devices[0].state, DeviceCondition::PaperOut);
        assert!(
            beat.devices[0].detail.is_some(),
            "staff are told what to do"
        );
        assert_eq!(beat.devices[1].detail, None);
        assert_eq!(beat.help, Some(HelpRequest { requested_at: at }));
    }

    #[test]
    fn no_scanner_no_help_no_reports_of_them() {
        let beat = build(
            "1.0",
            "cfg",
            &Observed {
                printer: DeviceState::Ready,
                scanner: None,
                help: None,
            },
        );
        assert_eq!(beat.devices.len(), 1);
        let json = serde_json::to_value(&beat).expect("json");
        assert!(json.get("help").is_none());
    }

    #[test]
    fn a_second_heartbeat_waits_for_the_first_and_reruns_it() {
        let guard = Arc::new(OneAtATime::default());
        let mut first = guard.start().expect("first runs");
        assert!(guard.start().is_none(), "second does not run alongside");
        assert!(guard.start().is_none(), "nor a third");
        assert!(first.again(), "the first goes again, once for both");
        assert!(!first.again(), "then it is done");
        let mut next = guard
            .start()
            .expect("free again before the first is dropped");
        drop(first);
        assert!(
            guard.start().is_none(),
            "dropping the finished run frees nothing"
        );
        assert!(
            next.again(),
            "the refused start is folded into the running one"
        );
        assert!(!next.again());
    }
}
