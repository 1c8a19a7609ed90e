//! Check-in and walk-in: the requests, the ticket the visitor gets, and its outcome.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::services::Texts;

/// A check-in with the booking number and its code (rules in [`crate::booking`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// The booking number, 6 to 10 digits.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 6, max_length = 10, pattern = "^[0-9]{6,10}$")
    )]
    pub booking_number: String,
    /// The short code from the confirmation, 4 or 5 letters and digits.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 4, max_length = 5, pattern = "^[A-Za-z0-9]{4,5}$")
    )]
    pub code: String,
}

/// A walk-in number for a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WalkInRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub service_id: String,
}

/// What a successful check-in or walk-in did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketOutcome {
    /// A new ticket for the appointment (201).
    CheckedIn,
    /// The appointment's ticket from an earlier check-in, again (200).
    AlreadyCheckedIn,
    /// A new walk-in ticket (201).
    WalkIn,
    /// An outcome newer than this side of the contract.
    #[serde(other)]
    Unknown,
}

/// The answer to a successful check-in or walk-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketResponse {
    pub outcome: TicketOutcome,
    pub ticket: VisitorTicket,
}

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Appointment,
    WalkIn,
    /// Printed by a terminal while the back office was unreachable, filed later.
    Offline,
    #[serde(other)]
    Unknown,
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    InService,
    Parked,
    Finished,
    NoShow,
    Forwarded,
    Cancelled,
    #[serde(other)]
    Unknown,
}

/// A ticket as the visitor sees it: on the terminal's screen, on paper, on the phone page.
/// No personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorTicket {
    /// `A017`.
    pub display_number: String,
    pub status: TicketStatus,
    pub origin: Origin,
    pub office_name: String,
    pub service_id: String,
    pub service_name: Texts,
    pub waiting_area: Texts,
    /// People ahead in the queue (0 when it is your turn or you were called).
    pub people_ahead: u32,
    /// Wait estimate in minutes, low and high.
    pub wait_minutes: [u32; 2],
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub appointment_at: Option<Timestamp>,
    /// The counter the visitor is called to, once called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
    /// The live status page, for the ticket's QR code.
    pub status_url: String,
}
