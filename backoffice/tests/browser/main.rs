//! The front desk end to end: the console, the call display and the phone page in headless
//! Chromium (`browser.rs`, `scenarios.rs`), and the console's API, pages and headers over
//! HTTPS (`console_api.rs`).

mod browser;
mod console_api;
mod harness;
mod scenarios;
