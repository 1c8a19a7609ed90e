//! The ticket printer: its typed status, the driver that confirms every job, and the link that
//! reconnects after an unplug.

pub mod driver;
pub mod link;
pub mod model;
pub mod status;

pub use driver::{FailReason, PrintError, Printed, StatusFailure, TicketPrinter, Timeouts};
pub use link::{Connector, PrinterLink, UsbConnector};
pub use model::{Confirmation, EPSON_TM_T88, GENERIC_ESCPOS, PrinterModel, model_for};
pub use status::{PaperLevel, PrinterProblem, PrinterStatus};
