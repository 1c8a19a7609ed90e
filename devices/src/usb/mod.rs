//! USB access: the transport trait every printer driver talks through, its `rusb`
//! implementation, and the inventory of attached devices.

pub mod hotplug;
pub mod inventory;
pub mod real;
pub mod transport;

pub use transport::{PortStatus, TransportError, UsbTransport};
