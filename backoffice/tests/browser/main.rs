//! The front desk end to end in headless Chromium: the console, the call display and the phone
//! page (`browser.rs`, `scenarios.rs`, `restart.rs`); the console's API without a browser is in
//! `tests/api/`. The fan-out benchmark (`fanout.rs`) is a separate bench target sharing
//! `harness.rs`.

mod browser;
mod harness;
mod restart;
mod scenarios;
