//! Drivers for the terminal's USB devices (ticket printer, code scanner, card reader) and a
//! simulator of each that speaks the same bytes and shows the same faults.

pub mod card;
pub mod document;
pub mod escpos;
pub mod health;
pub mod printer;
pub mod scanner;
pub mod service;
pub mod sim;
pub mod ticket;
pub mod usb;
