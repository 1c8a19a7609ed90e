//! Which required devices count as missing: a device that is absent, unreachable or in an
//! error state for longer than a grace period (a USB re-enumeration or a printer's reboot is
//! shorter). Paper out and an open cover do not count: the visitor notes the number and staff
//! see the fault in the console. Pure: the controller feeds it observations and the clock.

use std::time::{Duration, Instant};

use devices::health::DeviceState;

use crate::flow::Device;

/// Whether `state` keeps a device from doing its job until someone intervenes.
pub fn out_of_order(state: DeviceState) -> bool {
    matches!(
        state,
        DeviceState::Absent
            | DeviceState::UsbUnavailable
            | DeviceState::Error
            | DeviceState::Offline
    )
}

#[derive(Debug)]
struct Watched {
    device: Device,
    failing_since: Option<Instant>,
    reported_missing: bool,
}

/// The required devices and whether each is missing.
#[derive(Debug)]
pub struct RequiredDevices {
    grace: Duration,
    watched: Vec<Watched>,
}

impl RequiredDevices {
    /// Watches `required`; a device is missing once out of order for `grace`.
    pub fn new(required: &[Device], grace: Duration) -> Self {
        let mut devices = required.to_vec();
        devices.sort();
        devices.dedup();
        Self {
            grace,
            watched: devices
                .into_iter()
                .map(|device| Watched {
                    device,
                    failing_since: None,
                    reported_missing: false,
                })
                .collect(),
        }
    }

    /// Whether `device` is watched.
    pub fn requires(&self, device: Device) -> bool {
        self.watched.iter().any(|w| w.device == device)
    }

    /// Records `device`'s state seen at `now`.
    pub fn observe(&mut self, device: Device, state: DeviceState, now: Instant) {
        if let Some(w) = self.watched.iter_mut().find(|w| w.device == device) {
            if out_of_order(state) {
                w.failing_since.get_or_insert(now);
            } else {
                w.failing_since = None;
            }
        }
    }

    /// The devices that went missing (`false`) or came back (`true`) since the last call.
    pub fn changes(&mut self, now: Instant) -> Vec<(Device, bool)> {
        let grace = self.grace;
        self.watched
            .iter_mut()
            .filter_map(|w| {
                let missing = w
                    .failing_since
                    .is_some_and(|since| now.saturating_duration_since(since) >= grace);
                (missing != w.reported_missing).then(|| {
                    w.reported_missing = missing;
                    (w.device, !missing)
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_only_after_the_grace_period_and_back_at_once() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut r = RequiredDevices::new(&[Device::TicketPrinter], s(10));
        r.observe(Device::TicketPrinter, DeviceState::Absent, t0);
        assert_eq!(r.changes(t0 + s(9)), vec![]);
        r.observe(Device::TicketPrinter, DeviceState::Absent, t0 + s(9));
        assert_eq!(r.changes(t0 + s(10)), vec![(Device::TicketPrinter, false)]);
        assert_eq!(r.changes(t0 + s(11)), vec![], "reported once");
        r.observe(Device::TicketPrinter, DeviceState::Ready, t0 + s(12));
        assert_eq!(r.changes(t0 + s(12)), vec![(Device::TicketPrinter, true)]);
    }

    #[test]
    fn a_short_dropout_and_paper_out_do_not_count() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut r = RequiredDevices::new(&[Device::TicketPrinter], s(10));
        r.observe(Device::TicketPrinter, DeviceState::Absent, t0);
        r.observe(Device::TicketPrinter, DeviceState::Ready, t0 + s(3));
        r.observe(Device::TicketPrinter, DeviceState::PaperOut, t0 + s(4));
        r.observe(Device::TicketPrinter, DeviceState::CoverOpen, t0 + s(5));
        assert_eq!(r.changes(t0 + s(60)), vec![]);
    }

    #[test]
    fn devices_not_required_are_not_watched() {
        let mut r = RequiredDevices::new(&[], Duration::ZERO);
        assert!(!r.requires(Device::CodeScanner));
        r.observe(Device::CodeScanner, DeviceState::Absent, Instant::now());
        assert_eq!(r.changes(Instant::now()), vec![]);
    }
}
