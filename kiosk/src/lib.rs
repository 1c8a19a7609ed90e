//! The kiosk: the visitor flow, the back-office client, printing, and the wiring of the
//! Slint screens to them.

pub mod backend;
pub mod controller;
#[cfg(feature = "demo")]
pub mod demo;
pub mod flow;
pub mod format;
pub mod health;
pub mod heartbeat;
pub mod launch;
pub mod offline;
pub mod printing;
pub mod scanning;
pub mod speech;
pub mod ui;
