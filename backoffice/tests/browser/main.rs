//! The front desk end to end: the console, the call display and the phone page in headless
//! Chromium (`browser.rs`, `scenarios.rs`, `restart.rs`), and the console's API, pages and headers over
//! HTTPS (`console_api.rs`, `console_settings.rs`). The fan-out benchmark (`fanout.rs`) is a
//! separate bench target sharing `harness.rs`.

mod browser;
mod console_api;
mod console_settings;
mod harness;
mod restart;
mod scenarios;
