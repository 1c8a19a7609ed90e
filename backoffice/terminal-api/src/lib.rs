//! The one contract between a terminal and its back office: every request and reply of the
//! terminal API (`/api/v1/terminal/*`), closed enums for outcomes, states, origins, device
//! conditions and error codes, and the booking-number and code rules. The kiosk and the
//! back office both import their wire types from here and from nowhere else.
//!
//! Forward compatibility: every enum a newer back office could extend deserialises an unknown
//! value as `Unknown`, so an older terminal keeps working. Times are RFC 3339 (`Timestamp`),
//! office-local date-times ISO 8601 without an offset (`civil::DateTime`).

pub mod booking;
pub mod error;
pub mod heartbeat;
pub mod offline;
pub mod paths;
pub mod services;
pub mod ticket;
mod whole;

pub use booking::{BookingCode, BookingError, BookingNumber};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use heartbeat::{
    DeviceCondition, DeviceKind, DeviceReport, HeartbeatRequest, HeartbeatResponse, HelpRequest,
};
pub use offline::{
    OfflineBlock, OfflineBlockRequest, OfflineOutcome, OfflineResult, OfflineTicket, OfflineUpload,
};
pub use services::{ClosedReason, GroupView, ServiceState, ServiceView, ServicesResponse, Texts};
pub use ticket::{
    CheckInRequest, Origin, TicketOutcome, TicketResponse, TicketStatus, VisitorTicket,
    WalkInRequest,
};
