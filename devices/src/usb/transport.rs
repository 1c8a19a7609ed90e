//! The byte pipe to a USB printer: bulk OUT, bulk IN and the printer-class port status, each
//! with a timeout. The real device and the simulator implement the same trait.

use std::time::Duration;
use thiserror::Error;

/// A claimed USB printer interface.
pub trait UsbTransport: Send {
    /// Writes `data` to the bulk OUT endpoint, returning the bytes accepted. On a timeout the
    /// error says how much had been accepted, when the transport knows.
    fn write_bulk(&mut self, data: &[u8], timeout: Duration) -> Result<usize, TransportError>;

    /// Reads from the bulk IN endpoint into `buf`, returning the bytes received.
    fn read_bulk(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError>;

    /// The USB printer-class `GET_PORT_STATUS` control request.
    fn port_status(&mut self, timeout: Duration) -> Result<PortStatus, TransportError>;

    /// Clears a stall (halt) on both bulk endpoints.
    fn clear_halt(&mut self) -> Result<(), TransportError>;

    /// A short description for logs, e.g. `04b8:0202 bus 1 address 7`.
    fn describe(&self) -> String;
}

impl<T: UsbTransport + ?Sized> UsbTransport for Box<T> {
    fn write_bulk(&mut self, data: &[u8], timeout: Duration) -> Result<usize, TransportError> {
        (**self).write_bulk(data, timeout)
    }
    fn read_bulk(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        (**self).read_bulk(buf, timeout)
    }
    fn port_status(&mut self, timeout: Duration) -> Result<PortStatus, TransportError> {
        (**self).port_status(timeout)
    }
    fn clear_halt(&mut self) -> Result<(), TransportError> {
        (**self).clear_halt()
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// The one-byte port status of the USB printer class (IEEE 1284 status lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortStatus(pub u8);

impl PortStatus {
    /// Bit 3, *Not Error*: clear when the printer reports an error.
    pub const NOT_ERROR: u8 = 0x08;
    /// Bit 4, *Select*: set when the printer is online.
    pub const SELECT: u8 = 0x10;
    /// Bit 5, *Paper Empty*.
    pub const PAPER_EMPTY: u8 = 0x20;

    /// The printer reports no error.
    pub fn no_error(self) -> bool {
        self.0 & Self::NOT_ERROR != 0
    }

    /// The printer is selected (online).
    pub fn selected(self) -> bool {
        self.0 & Self::SELECT != 0
    }

    /// The paper is out.
    pub fn paper_empty(self) -> bool {
        self.0 & Self::PAPER_EMPTY != 0
    }
}

/// A failed USB operation, with what the operator can do about it.
#[derive(Debug, Error)]
pub enum TransportError {
    /// The transfer did not finish in time.
    #[error(
        "USB transfer timed out ({transferred:?} bytes accepted): the printer is busy, stopped or stuck"
    )]
    Timeout {
        /// Bytes accepted before the timeout, when known.
        transferred: Option<usize>,
    },
    /// The device is gone.
    #[error("the device was unplugged or lost power: check the USB cable and the power supply")]
    Disconnected,
    /// The endpoint answered with a stall.
    #[error("the printer stalled endpoint {endpoint:#04x}: it refused the data")]
    Stall {
        /// The endpoint address.
        endpoint: u8,
    },
    /// The process may not open the device node.
    #[error(
        "no permission on {path}: install the udev rule 70-buergerterminal-devices.rules (devices/udev/)"
    )]
    Permission {
        /// The device node, e.g. `/dev/bus/usb/001/007`.
        path: String,
        /// The libusb error.
        #[source]
        source: rusb::Error,
    },
    /// Another driver or process holds the interface.
    #[error(
        "interface {interface} is claimed by another process or driver: stop CUPS or whatever holds the printer"
    )]
    Busy {
        /// The interface number.
        interface: u8,
        /// The libusb error.
        #[source]
        source: rusb::Error,
    },
    /// No matching device is attached.
    #[error("no {what} is attached: check the cable, or the VID:PID in the terminal configuration")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The device has no bulk endpoint pair on a printer interface.
    #[error("the device {what} has no printer interface with bulk IN and OUT endpoints")]
    NoPrinterInterface {
        /// The device.
        what: String,
    },
    /// There is no usbfs in this environment (a container without /dev/bus/usb).
    #[error("USB is not accessible here: no usbfs at {path}; mount it or run on the terminal")]
    NoUsbfs {
        /// Where usbfs was expected.
        path: &'static str,
    },
    /// libusb could not start.
    #[error(
        "USB is not accessible here (libusb failed to start; no usbfs?): mount /dev/bus/usb or run on the terminal"
    )]
    NoUsb(#[source] rusb::Error),
    /// The operating system refused a resource (a thread, a file).
    #[error("{operation} failed")]
    Io {
        /// What was being done.
        operation: &'static str,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Any other libusb failure.
    #[error("USB {operation} failed")]
    Usb {
        /// What was being done.
        operation: &'static str,
        /// The libusb error.
        #[source]
        source: rusb::Error,
    },
}

impl TransportError {
    /// Whether the device is gone and a reconnect is needed.
    pub fn is_disconnect(&self) -> bool {
        matches!(self, Self::Disconnected)
    }
}
