//! Offline mode: a block of numbers reserved while online, and the upload of the tickets a
//! terminal printed from it while the back office was unreachable.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Most numbers in one block.
pub const MAX_BLOCK: u32 = 200;
/// Most tickets in one upload.
pub const MAX_UPLOAD: usize = 500;

/// How many offline numbers to reserve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineBlockRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 200))]
    #[serde(deserialize_with = "crate::whole::u32")]
    pub count: u32,
}

/// Numbers the terminal may hand out while the back office is unreachable, on `day`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineBlock {
    /// The office-local day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub day: Date,
    /// The offline prefix letter.
    pub prefix: String,
    pub first: u32,
    pub last: u32,
}

/// Tickets a terminal printed while offline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineUpload {
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub tickets: Vec<OfflineTicket>,
}

/// One ticket printed offline. Each ticket of an upload is checked on its own: one that is
/// not an offline number of this terminal's block, has an unreadable time or names an unknown
/// service is answered `rejected` with the reason, and the others are filed; so the fields
/// carry no limits here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineTicket {
    /// `Z001`: the office's offline prefix and a number of the terminal's block.
    pub display_number: String,
    /// The service; for a check-in only where the booking matches no open appointment.
    pub service_id: String,
    /// When it was printed, RFC 3339 (`2026-11-27T09:41:00Z`).
    pub issued_at: String,
    /// The booking number of an offline check-in, linked to its appointment now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_number: Option<String>,
}

/// What became of an uploaded ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfflineOutcome {
    /// Filed now.
    Accepted,
    /// Filed before (a repeated upload).
    Duplicate,
    /// Not filed; `reason` says why. The terminal stops offering it.
    Rejected,
    /// An outcome newer than this side of the contract (kept for the next upload).
    #[serde(other)]
    Unknown,
}

/// One uploaded ticket's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineResult {
    pub display_number: String,
    pub result: OfflineOutcome,
    #[serde(default)]
    pub reason: Option<String>,
}
