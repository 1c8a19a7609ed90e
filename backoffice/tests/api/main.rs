//! Integration tests of the back office over real HTTPS; each scenario runs on SQLite and on
//! PostgreSQL.

mod checkin;
mod harness;
mod numbers;
mod offline;
mod order;
mod robustness;
mod shutdown;
mod staff;
mod tls;
mod walkin;
