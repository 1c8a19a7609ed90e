//! The inventory of attached USB devices (VID:PID, class, serial) through a `rusb::Context`;
//! reports a missing usbfs as an error instead of panicking.

use super::transport::TransportError;
use rusb::{Context, Device, UsbContext};
use std::time::Duration;

/// One attached USB device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbDeviceInfo {
    /// Vendor ID.
    pub vendor_id: u16,
    /// Product ID.
    pub product_id: u16,
    /// Device class, or the first interface's class when the device defers to interfaces.
    pub class: u8,
    /// Classes of all interfaces of the active configuration.
    pub interface_classes: Vec<u8>,
    /// Serial number, when the device has one and may be opened.
    pub serial: Option<String>,
    /// Product string, when readable.
    pub product: Option<String>,
    /// Bus number.
    pub bus: u8,
    /// Address on the bus.
    pub address: u8,
}

impl UsbDeviceInfo {
    /// `vvvv:pppp`.
    pub fn vid_pid(&self) -> String {
        format!("{:04x}:{:04x}", self.vendor_id, self.product_id)
    }

    /// Whether any interface has class `class`.
    pub fn has_class(&self, class: u8) -> bool {
        self.class == class || self.interface_classes.contains(&class)
    }
}

/// Where Linux mounts usbfs.
pub const USBFS: &str = "/dev/bus/usb";

/// A libusb context, or [`TransportError::NoUsbfs`] / [`TransportError::NoUsb`] where USB
/// cannot be reached (as in containers and CI). libusb itself starts without usbfs and then
/// just sees no devices, which would read as "everything unplugged".
pub fn usb_context() -> Result<Context, TransportError> {
    if !std::path::Path::new(USBFS).is_dir() {
        return Err(TransportError::NoUsbfs { path: USBFS });
    }
    Context::new().map_err(TransportError::NoUsb)
}

/// The device node of `device`, for operator messages.
pub fn usb_node<T: UsbContext>(device: &Device<T>) -> String {
    format!(
        "/dev/bus/usb/{:03}/{:03}",
        device.bus_number(),
        device.address()
    )
}

/// Lists the attached USB devices. Strings are read only where the device may be opened.
pub fn list_devices() -> Result<Vec<UsbDeviceInfo>, TransportError> {
    let context = usb_context()?;
    let devices = context.devices().map_err(TransportError::NoUsb)?;
    let mut out = Vec::new();
    for device in devices.iter() {
        let Ok(desc) = device.device_descriptor() else {
            continue;
        };
        let interface_classes: Vec<u8> = device
            .active_config_descriptor()
            .map(|c| {
                c.interfaces()
                    .flat_map(|i| i.descriptors().map(|d| d.class_code()).collect::<Vec<_>>())
                    .collect()
            })
            .unwrap_or_default();
        let class = match desc.class_code() {
            0 => interface_classes.first().copied().unwrap_or(0),
            c => c,
        };
        let (serial, product) = match device.open() {
            Ok(h) => {
                let t = Duration::from_millis(200);
                let lang = h.read_languages(t).ok().and_then(|l| l.first().copied());
                match lang {
                    Some(lang) => (
                        h.read_serial_number_string(lang, &desc, t).ok(),
                        h.read_product_string(lang, &desc, t).ok(),
                    ),
                    None => (None, None),
                }
            }
            Err(_) => (None, None),
        };
        out.push(UsbDeviceInfo {
            vendor_id: desc.vendor_id(),
            product_id: desc.product_id(),
            class,
            interface_classes,
            serial,
            product,
            bus: device.bus_number(),
            address: device.address(),
        });
    }
    Ok(out)
}
