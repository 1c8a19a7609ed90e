//! The reference back office: queues, appointments, tickets and the terminal fleet, over
//! HTTPS. `serve` wires storage, TLS and the API; the binary in `main.rs` parses the command
//! line and calls it.

pub mod api;
pub mod app;
pub mod demo;
pub mod domain;
pub mod estimate;
pub mod queue;
pub mod server;
pub mod store;
pub mod tls;
pub mod web;
