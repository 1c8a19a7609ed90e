//! Integration tests of the back office over real HTTPS, terminal and staff API (the console's
//! API included; its pages in a browser are `tests/browser/`); each scenario runs on SQLite and
//! on PostgreSQL.

mod checkin;
mod console;
mod console_settings;
mod harness;
mod numbers;
mod offline;
mod order;
mod robustness;
mod shutdown;
mod staff;
mod tls;
mod walkin;
