//! Headless UI tests: whole visits through the real screens with Slint's testing backend and
//! software renderer, against the real back office (or a fake for fixed outcomes), with the
//! simulated ticket printer. Screenshots go to `docs/screenshots/kiosk-*.png`.

mod fake;
mod fit;
mod footer;
mod harness;
mod help;
mod offline;
mod out_of_service;
mod privacy;
mod scanner;
mod screens;
mod speech;
mod visits;
