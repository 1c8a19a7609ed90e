//! The back office's domain: offices, services, counters, appointments, tickets, terminals.
//! Pure types and rules; no I/O.

pub mod availability;
pub mod checkin;
pub mod office;
pub mod order;
pub mod text;
pub mod ticket;
pub mod wait;

pub use office::{OfficeRules, OpeningHours, ServiceRules, TimeRange, WalkInRules};
pub use ticket::{Action, IllegalTransition, Origin, TicketStatus};
