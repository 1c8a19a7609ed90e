//! The health model: one state per configured device, and an event each time a state changes
//! — what the kiosk shows, sends in its heartbeat and the staff console displays.

use crate::printer::{PaperLevel, PrinterStatus};
use crate::usb::TransportError;
use crate::usb::inventory::UsbDeviceInfo;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The kinds of device a terminal has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceKind {
    /// The thermal ticket printer.
    TicketPrinter,
    /// The A4 printer beside the terminal.
    DocumentPrinter,
    /// The QR/barcode scanner.
    CodeScanner,
    /// The smart-card reader.
    CardReader,
}

/// What a device is doing, as far as the visitor and staff are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceState {
    /// Attached and working.
    #[default]
    Ready,
    /// Working, but the paper roll is nearly used up.
    PaperLow,
    /// Out of paper.
    PaperOut,
    /// Cover open.
    CoverOpen,
    /// In an error state.
    Error,
    /// Attached but offline.
    Offline,
    /// Not attached (unplugged, or for a card reader: the reader is gone).
    Absent,
    /// USB cannot be inspected at all (no usbfs).
    UsbUnavailable,
}

impl DeviceState {
    /// Whether the device can do its job.
    pub fn usable(self) -> bool {
        matches!(self, Self::Ready | Self::PaperLow)
    }

    /// What staff should do, if anything.
    pub fn hint(self) -> Option<&'static str> {
        match self {
            Self::Ready => None,
            Self::PaperLow => Some("paper nearly used up: have a new roll ready"),
            Self::PaperOut => Some("load a new paper roll"),
            Self::CoverOpen => Some("close the printer cover"),
            Self::Error => Some("open and close the cover, or switch the device off and on"),
            Self::Offline => Some("check that the device is switched on"),
            Self::Absent => Some("check the USB cable"),
            Self::UsbUnavailable => {
                Some("USB is not accessible: mount /dev/bus/usb or install the udev rule")
            }
        }
    }
}

impl From<PrinterStatus> for DeviceState {
    fn from(s: PrinterStatus) -> Self {
        if s.paper == PaperLevel::Out {
            Self::PaperOut
        } else if s.cover_open {
            Self::CoverOpen
        } else if s.error {
            Self::Error
        } else if !s.online {
            Self::Offline
        } else if s.paper == PaperLevel::Low {
            Self::PaperLow
        } else {
            Self::Ready
        }
    }
}

/// A change of a device's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthEvent {
    /// Which device.
    pub device: DeviceKind,
    /// Its new state.
    pub state: DeviceState,
    /// When the device came back after being absent: how long it was gone.
    pub gap: Option<Duration>,
}

/// Keeps the last state of each device and turns observations into change events.
#[derive(Debug, Default)]
pub struct HealthTracker {
    states: HashMap<DeviceKind, (DeviceState, Option<Instant>)>,
}

impl HealthTracker {
    /// An empty tracker: every first observation is an event.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last known state of `device`.
    pub fn state(&self, device: DeviceKind) -> Option<DeviceState> {
        self.states.get(&device).map(|(s, _)| *s)
    }

    /// Records `state` for `device` at `now`; returns an event if it changed.
    pub fn observe(
        &mut self,
        device: DeviceKind,
        state: DeviceState,
        now: Instant,
    ) -> Option<HealthEvent> {
        let previous = self.states.get(&device).copied();
        if previous.map(|(s, _)| s) == Some(state) {
            return None;
        }
        let absent_since = previous.and_then(|(_, since)| since);
        let gap = match (state, absent_since) {
            (DeviceState::Absent, _) => None,
            (_, Some(since)) => Some(now.saturating_duration_since(since)),
            (_, None) => None,
        };
        let since = if state == DeviceState::Absent {
            absent_since.or(Some(now))
        } else {
            None
        };
        self.states.insert(device, (state, since));
        tracing::info!(?device, ?state, ?gap, "device health changed");
        Some(HealthEvent { device, state, gap })
    }
}

/// How a configured device is recognised on the bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfiguredDevice {
    /// Its role.
    pub kind: DeviceKind,
    /// Exact VID:PID, if configured.
    pub vid_pid: Option<(u16, u16)>,
    /// Otherwise, a USB class (7 printer, 3 HID, 2 CDC, 11 smart card).
    pub class: Option<u8>,
}

impl ConfiguredDevice {
    /// Whether `dev` is this device.
    pub fn matches(&self, dev: &UsbDeviceInfo) -> bool {
        match (self.vid_pid, self.class) {
            (Some((v, p)), _) => dev.vendor_id == v && dev.product_id == p,
            (None, Some(class)) => dev.has_class(class),
            (None, None) => false,
        }
    }
}

/// Matches the configured devices against an inventory (or its failure) and returns the
/// presence state of each: `Ready` when found, `Absent` when not, `UsbUnavailable` when the
/// bus could not be read.
pub fn presence(
    configured: &[ConfiguredDevice],
    inventory: &Result<Vec<UsbDeviceInfo>, TransportError>,
) -> Vec<(DeviceKind, DeviceState)> {
    configured
        .iter()
        .map(|c| {
            let state = match inventory {
                Err(_) => DeviceState::UsbUnavailable,
                Ok(found) if found.iter().any(|d| c.matches(d)) => DeviceState::Ready,
                Ok(_) => DeviceState::Absent,
            };
            (c.kind, state)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(vid: u16, pid: u16, classes: &[u8]) -> UsbDeviceInfo {
        UsbDeviceInfo {
            vendor_id: vid,
            product_id: pid,
            class: 0,
            interface_classes: classes.to_vec(),
            serial: None,
            product: None,
            bus: 1,
            address: 2,
        }
    }

    #[test]
    fn unplug_and_replug_report_the_gap() {
        let mut h = HealthTracker::new();
        let t0 = Instant::now();
        let k = DeviceKind::TicketPrinter;
        assert!(h.observe(k, DeviceState::Ready, t0).is_some());
        assert!(
            h.observe(k, DeviceState::Ready, t0).is_none(),
            "no event without change"
        );
        let gone = h.observe(k, DeviceState::Absent, t0 + Duration::from_secs(1));
        assert_eq!(gone.map(|e| e.state), Some(DeviceState::Absent));
        let back = h
            .observe(k, DeviceState::Ready, t0 + Duration::from_secs(8))
            .expect("event");
        assert_eq!(back.gap, Some(Duration::from_secs(7)));
    }

    #[test]
    fn inventory_matches_by_vid_pid_or_class_and_reports_no_usb() {
        let configured = [
            ConfiguredDevice {
                kind: DeviceKind::TicketPrinter,
                vid_pid: Some((0x04b8, 0x0202)),
                class: None,
            },
            ConfiguredDevice {
                kind: DeviceKind::CardReader,
                vid_pid: None,
                class: Some(11),
            },
        ];
        let found = Ok(vec![dev(0x04b8, 0x0202, &[7])]);
        assert_eq!(
            presence(&configured, &found),
            [
                (DeviceKind::TicketPrinter, DeviceState::Ready),
                (DeviceKind::CardReader, DeviceState::Absent),
            ]
        );
        let none = Err(TransportError::NoUsb(rusb::Error::Other));
        assert!(
            presence(&configured, &none)
                .iter()
                .all(|(_, s)| *s == DeviceState::UsbUnavailable)
        );
    }

    #[test]
    fn printer_status_maps_to_the_state_staff_see() {
        let s = PrinterStatus {
            online: false,
            cover_open: true,
            paper: PaperLevel::Low,
            error: false,
        };
        assert_eq!(DeviceState::from(s), DeviceState::CoverOpen);
        let low = PrinterStatus {
            online: true,
            cover_open: false,
            paper: PaperLevel::Low,
            error: false,
        };
        assert_eq!(DeviceState::from(low), DeviceState::PaperLow);
        assert!(DeviceState::PaperLow.usable());
    }
}
