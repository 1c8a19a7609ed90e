//! Simulators that behave like the terminal's devices on the wire: same bytes, same faults.

pub mod card;
pub mod font;
pub mod paper;
pub mod parser;
pub mod printer;
pub mod scanner;

pub use paper::PrintedTicket;
pub use printer::{Fault, SimPrinter, SimTransport};
pub use scanner::{KeyboardRecording, SimSerialScanner};
