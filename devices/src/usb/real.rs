//! The real USB printer transport over `rusb`: finds the printer by VID:PID or by the USB
//! printer class, claims its interface (detaching the kernel's `usblp` driver) and moves bytes
//! over its bulk endpoints.

use super::inventory::{usb_context, usb_node};
use super::transport::{PortStatus, TransportError, UsbTransport};
use rusb::{Context, Device, DeviceHandle, Direction, TransferType, UsbContext};
use std::time::Duration;

/// USB interface class of printers.
pub const PRINTER_CLASS: u8 = 7;
/// Printer-class request `GET_PORT_STATUS`.
const GET_PORT_STATUS: u8 = 1;

/// Which device is the ticket printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterSelector {
    /// A configured vendor and product ID.
    VidPid(u16, u16),
    /// The first device with a printer-class interface.
    AnyPrinter,
}

impl std::fmt::Display for PrinterSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::VidPid(v, p) => write!(f, "printer {v:04x}:{p:04x}"),
            Self::AnyPrinter => f.write_str("USB printer (class 7)"),
        }
    }
}

/// The bulk endpoint pair on a printer interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Endpoints {
    interface: u8,
    alt_setting: u8,
    bulk_out: u8,
    bulk_in: u8,
}

/// Finds the printer interface of `device`: class 7 with a bulk OUT and a bulk IN endpoint.
fn printer_endpoints(device: &Device<Context>) -> Option<Endpoints> {
    let config = device.active_config_descriptor().ok()?;
    for interface in config.interfaces() {
        for alt in interface.descriptors() {
            if alt.class_code() != PRINTER_CLASS {
                continue;
            }
            let bulk = |dir| {
                alt.endpoint_descriptors()
                    .find(|e| e.transfer_type() == TransferType::Bulk && e.direction() == dir)
                    .map(|e| e.address())
            };
            if let (Some(bulk_out), Some(bulk_in)) = (bulk(Direction::Out), bulk(Direction::In)) {
                return Some(Endpoints {
                    interface: alt.interface_number(),
                    alt_setting: alt.setting_number(),
                    bulk_out,
                    bulk_in,
                });
            }
        }
    }
    None
}

fn usb_err(operation: &'static str) -> impl Fn(rusb::Error) -> TransportError {
    move |source| match source {
        rusb::Error::NoDevice => TransportError::Disconnected,
        rusb::Error::Timeout => TransportError::Timeout { transferred: None },
        source => TransportError::Usb { operation, source },
    }
}

/// An open, claimed USB ticket printer.
pub struct RusbTransport {
    handle: DeviceHandle<Context>,
    endpoints: Endpoints,
    label: String,
    ids: (u16, u16),
}

impl std::fmt::Debug for RusbTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RusbTransport")
            .field("device", &self.label)
            .finish()
    }
}

impl RusbTransport {
    /// Finds, opens and claims the printer that `selector` names.
    pub fn open(selector: PrinterSelector) -> Result<Self, TransportError> {
        let context = usb_context()?;
        let devices = context.devices().map_err(TransportError::NoUsb)?;
        for device in devices.iter() {
            let Ok(desc) = device.device_descriptor() else {
                continue;
            };
            if let PrinterSelector::VidPid(v, p) = selector
                && (desc.vendor_id(), desc.product_id()) != (v, p)
            {
                continue;
            }
            let label = format!(
                "{:04x}:{:04x} bus {} address {}",
                desc.vendor_id(),
                desc.product_id(),
                device.bus_number(),
                device.address()
            );
            let Some(endpoints) = printer_endpoints(&device) else {
                if matches!(selector, PrinterSelector::VidPid(..)) {
                    return Err(TransportError::NoPrinterInterface { what: label });
                }
                continue;
            };
            let mut t = Self::claim(&device, endpoints, label)?;
            t.ids = (desc.vendor_id(), desc.product_id());
            return Ok(t);
        }
        Err(TransportError::NotFound {
            what: selector.to_string(),
        })
    }

    fn claim(
        device: &Device<Context>,
        endpoints: Endpoints,
        label: String,
    ) -> Result<Self, TransportError> {
        let handle = device.open().map_err(|source| match source {
            rusb::Error::Access => TransportError::Permission {
                path: usb_node(device),
                source,
            },
            other => usb_err("open")(other),
        })?;
        // The kernel's usblp driver binds printers; libusb detaches it on claim and reattaches
        // it on release where the platform supports that.
        if let Err(e) = handle.set_auto_detach_kernel_driver(true) {
            tracing::debug!(error = %e, "automatic kernel driver detach not supported");
        }
        handle
            .claim_interface(endpoints.interface)
            .map_err(|source| match source {
                rusb::Error::Busy => TransportError::Busy {
                    interface: endpoints.interface,
                    source,
                },
                rusb::Error::Access => TransportError::Permission {
                    path: usb_node(device),
                    source,
                },
                other => usb_err("claim interface")(other),
            })?;
        if endpoints.alt_setting != 0 {
            handle
                .set_alternate_setting(endpoints.interface, endpoints.alt_setting)
                .map_err(usb_err("set alternate setting"))?;
        }
        tracing::info!(device = %label, "ticket printer claimed");
        Ok(Self {
            handle,
            endpoints,
            label,
            ids: (0, 0),
        })
    }

    /// The device's vendor and product ID.
    pub fn usb_ids(&self) -> (u16, u16) {
        self.ids
    }
}

impl UsbTransport for RusbTransport {
    fn write_bulk(&mut self, data: &[u8], timeout: Duration) -> Result<usize, TransportError> {
        let mut sent = 0;
        while sent < data.len() {
            match self
                .handle
                .write_bulk(self.endpoints.bulk_out, &data[sent..], timeout)
            {
                Ok(0) => {
                    return Err(TransportError::Timeout {
                        transferred: Some(sent),
                    });
                }
                Ok(n) => sent += n,
                Err(rusb::Error::Timeout) => {
                    return Err(TransportError::Timeout {
                        transferred: Some(sent),
                    });
                }
                Err(rusb::Error::Pipe) => {
                    return Err(TransportError::Stall {
                        endpoint: self.endpoints.bulk_out,
                    });
                }
                Err(e) => return Err(usb_err("bulk write")(e)),
            }
        }
        Ok(sent)
    }

    fn read_bulk(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        match self.handle.read_bulk(self.endpoints.bulk_in, buf, timeout) {
            Ok(n) => Ok(n),
            Err(rusb::Error::Timeout) => Err(TransportError::Timeout {
                transferred: Some(0),
            }),
            Err(rusb::Error::Pipe) => Err(TransportError::Stall {
                endpoint: self.endpoints.bulk_in,
            }),
            Err(e) => Err(usb_err("bulk read")(e)),
        }
    }

    fn port_status(&mut self, timeout: Duration) -> Result<PortStatus, TransportError> {
        let request_type = rusb::request_type(
            Direction::In,
            rusb::RequestType::Class,
            rusb::Recipient::Interface,
        );
        // GET_PORT_STATUS takes the plain interface number in wIndex (as Linux usblp sends it;
        // only GET_DEVICE_ID puts the interface in the high byte).
        let index = u16::from(self.endpoints.interface);
        let mut buf = [0u8; 1];
        let n = self
            .handle
            .read_control(request_type, GET_PORT_STATUS, 0, index, &mut buf, timeout)
            .map_err(usb_err("GET_PORT_STATUS"))?;
        if n == 1 {
            Ok(PortStatus(buf[0]))
        } else {
            Err(TransportError::Timeout {
                transferred: Some(n),
            })
        }
    }

    fn clear_halt(&mut self) -> Result<(), TransportError> {
        self.handle
            .clear_halt(self.endpoints.bulk_out)
            .map_err(usb_err("clear halt"))?;
        self.handle
            .clear_halt(self.endpoints.bulk_in)
            .map_err(usb_err("clear halt"))
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
