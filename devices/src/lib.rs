//! Drivers for the terminal's USB devices (ticket printer, code scanner, card reader) and a
//! simulator of each that speaks the same bytes and shows the same faults.
//!
//! Where the kiosk starts:
//! - tickets: build a [`ticket::Ticket`], wrap a [`printer::PrinterLink`] (over
//!   [`printer::UsbConnector`] on a terminal, over [`sim::SimPrinter`] in demo mode) in a
//!   [`service::DeviceService`], and call [`service::DeviceHandle::print_ticket`]: it never
//!   blocks, and the answer is either a confirmed [`printer::Printed`] or a
//!   [`printer::PrintError`] saying why (and whether part of a ticket may be on paper); give
//!   the link a [`escpos::textraster::TextRasterizer`] so text outside the printer's code page
//!   (Cyrillic, Turkish) prints as raster lines;
//! - scans: [`scanner::watch::spawn_scanner`];
//! - ID cards on the reader: [`card::watch::spawn_card_watcher`];
//! - health for the heartbeat and the staff console: the [`health::HealthEvent`]s all three
//!   report, and [`health::presence`] over [`usb::inventory::list_devices`].
//!
//! Invariants: this crate knows nothing of the UI or HTTP; a ticket is never re-sent
//! automatically (so never printed twice); scanned text and card data are never logged.

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
