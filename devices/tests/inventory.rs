//! USB inventory on whatever machine runs the tests: in CI there is no usbfs, and the answer
//! must be a clear message, never a panic.

use devices::usb::TransportError;
use devices::usb::inventory::{USBFS, list_devices};
use devices::usb::real::{PrinterSelector, RusbTransport};

#[test]
fn listing_usb_devices_never_panics_and_explains_a_missing_usbfs() {
    if !std::path::Path::new(USBFS).is_dir() {
        // Not "no devices", which would read as everything unplugged.
        assert!(matches!(
            list_devices(),
            Err(TransportError::NoUsbfs { .. })
        ));
    }
    match list_devices() {
        Ok(devices) => {
            for d in devices {
                assert_eq!(d.vid_pid().len(), 9, "vvvv:pppp");
            }
        }
        Err(e) => assert!(e.to_string().contains("usbfs"), "{e}"),
    }
}

#[test]
fn opening_an_absent_printer_tells_the_operator_what_to_check() {
    let err =
        RusbTransport::open(PrinterSelector::VidPid(0xffff, 0xfffe)).expect_err("no such printer");
    let msg = err.to_string();
    assert!(
        msg.contains("ffff:fffe") || msg.contains("usbfs"),
        "message names the device or the missing usbfs: {msg}"
    );
}

#[test]
fn hotplug_watcher_starts_or_says_why_not() {
    match devices::usb::hotplug::HotplugWatcher::start() {
        Ok(Some(w)) => drop(w), // started and stops cleanly on drop
        Ok(None) => {}          // libusb without hotplug: the link polls instead
        Err(e) => assert!(e.to_string().contains("usbfs"), "{e}"),
    }
}
