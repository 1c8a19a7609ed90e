//! The one error body every back-office endpoint answers with, the closed list of its codes,
//! and the typed details of the refusals a terminal acts on.

use jiff::Timestamp;
use jiff::civil::DateTime;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::services::ClosedReason;

/// `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// Machine-readable `code`, human `message`, the offending `field`, structured `details`
/// (see the `*Details` types), and the `request_id` that finds the request in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: Option<serde_json::Value>,
    #[serde(default)]
    pub request_id: String,
}

impl ErrorDetail {
    /// The details as the type this code documents; `None` if absent or of another shape.
    pub fn details<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.details.clone()?).ok()
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// Every error code the back office answers with. A code this terminal does not know
        /// yet reads as `Unknown`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $text)] $variant,)*
            /// A code newer than this side of the contract.
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl ErrorCode {
            /// Every known code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it is sent.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    // Any request.
    /// A field is missing, malformed or out of range (`field` names it).
    InvalidField = "invalid_field",
    /// The body is not JSON.
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is not well-formed JSON.
    MalformedJson = "malformed_json",
    /// The body is over the size limit.
    BodyTooLarge = "body_too_large",
    /// No such endpoint.
    NotFound = "not_found",
    /// The endpoint does not take this method.
    MethodNotAllowed = "method_not_allowed",
    /// Too many attempts; `details` is [`ThrottledDetails`] on check-in.
    Throttled = "throttled",
    /// A bug or corrupt data on the back office's side (logged with the request id).
    Internal = "internal",
    /// The back office cannot reach its database right now.
    StorageUnavailable = "storage_unavailable",
    /// The back office is stopping or overloaded.
    Unavailable = "unavailable",
    // Who may call.
    /// No or expired staff session, or no valid client certificate.
    Unauthenticated = "unauthenticated",
    /// Terminal endpoints need a client certificate.
    ClientCertificateRequired = "client_certificate_required",
    /// The certificate is valid but the terminal is not enrolled.
    UnknownTerminal = "unknown_terminal",
    /// Allowed to log in, not to do this.
    Forbidden = "forbidden",
    /// A staff write without the session's CSRF token.
    Csrf = "csrf",
    /// Wrong user name or password.
    LoginFailed = "login_failed",
    // Idempotency.
    /// A POST without `Idempotency-Key`.
    IdempotencyKeyMissing = "idempotency_key_missing",
    /// A key that is not 8 to 100 visible ASCII characters.
    IdempotencyKeyInvalid = "idempotency_key_invalid",
    /// The same key with another request.
    IdempotencyKeyReused = "idempotency_key_reused",
    /// The same key is still being answered; retry shortly.
    RequestInFlight = "request_in_flight",
    // Terminal: check-in.
    /// Not 6 to 10 digits.
    InvalidBookingNumber = "invalid_booking_number",
    /// Not 4 or 5 letters and digits.
    InvalidCode = "invalid_code",
    /// No appointment has this booking number.
    UnknownBooking = "unknown_booking",
    /// The code does not match; `details` is [`WrongCodeDetails`].
    WrongCode = "wrong_code",
    /// The appointment is at another office; `details` is [`WrongOfficeDetails`].
    WrongOffice = "wrong_office",
    /// Check-in opens later; `details` is [`TooEarlyDetails`].
    TooEarly = "too_early",
    /// The appointment has passed; `details` is [`TooLateDetails`].
    TooLate = "too_late",
    /// Already checked in (the check-in itself answers 200 with the ticket instead).
    AlreadyCheckedIn = "already_checked_in",
    // Terminal: walk-in and offline.
    /// The terminal's office is not configured.
    UnknownOffice = "unknown_office",
    /// No such service at this office.
    UnknownService = "unknown_service",
    /// Closed now; `details` is [`WalkInClosedDetails`].
    ServiceClosed = "service_closed",
    /// Today's walk-in quota is used up; `details` is [`WalkInClosedDetails`].
    QuotaExhausted = "quota_exhausted",
    /// Appointments only today; `details` is [`WalkInClosedDetails`].
    WalkInNotToday = "walk_in_not_today",
    /// Every number of the service group is in use.
    NumbersExhausted = "numbers_exhausted",
    /// No offline numbers left for today.
    OfflineNumbersExhausted = "offline_numbers_exhausted",
    // Staff.
    /// No such ticket.
    UnknownTicket = "unknown_ticket",
    /// No such counter.
    UnknownCounter = "unknown_counter",
    /// No such action.
    UnknownAction = "unknown_action",
    /// No such chart.
    UnknownChart = "unknown_chart",
    /// Nobody is waiting.
    QueueEmpty = "queue_empty",
    /// The clerk has not chosen a counter.
    NoCounter = "no_counter",
    /// The terminal has no open help request.
    NoHelpRequest = "no_help_request",
    /// This action is not possible in the ticket's status.
    IllegalTransition = "illegal_transition",
    /// Someone changed the ticket at the same moment.
    Changed = "changed",
    /// The queue changed while picking the next visitor.
    Busy = "busy",
    /// Too many live streams open.
    TooManyStreams = "too_many_streams",
}

/// The schema lists the codes as they are sent (the derive would list the variant names).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes = ErrorCode::ALL.iter().map(|c| c.as_str());
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(codes))
            .description(Some(
                "Machine-readable reason; a terminal reads codes it does not know as `unknown`.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorCode {}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `details` of `wrong_code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WrongCodeDetails {
    /// Tries left before the booking is locked for a while.
    pub attempts_left: u32,
}

/// `details` of `throttled` on check-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThrottledDetails {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub retry_at: Timestamp,
}

/// The office an appointment is at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeRef {
    pub id: String,
    pub name: String,
    pub address: String,
}

/// `details` of `wrong_office`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WrongOfficeDetails {
    pub office: OfficeRef,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub appointment_at: Timestamp,
}

/// `details` of `too_early`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TooEarlyDetails {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub check_in_from: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub appointment_at: Timestamp,
}

/// `details` of `too_late`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TooLateDetails {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub appointment_at: Timestamp,
    /// The service to offer a walk-in number for.
    pub walk_in_service_id: String,
}

/// `details` of `service_closed`, `quota_exhausted` and `walk_in_not_today`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkInClosedDetails {
    pub reason: Option<ClosedReason>,
    /// Office-local date-time walk-ins are taken again.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-11-27T08:00:00"))]
    pub next_opening: Option<DateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_survive() {
        for code in ErrorCode::ALL {
            let text = serde_json::to_string(code).expect("serialises");
            assert_eq!(text, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&text).ok(), Some(*code));
        }
        let newer: ErrorCode = serde_json::from_str("\"some_future_code\"").expect("parses");
        assert_eq!(newer, ErrorCode::Unknown);
    }

    #[test]
    fn typed_details() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"error":{"code":"wrong_code","message":"m","details":{"attempts_left":2},"request_id":"r"}}"#,
        )
        .expect("parses");
        assert_eq!(body.error.code, ErrorCode::WrongCode);
        let d: WrongCodeDetails = body.error.details().expect("typed");
        assert_eq!(d.attempts_left, 2);
        assert!(body.error.details::<TooLateDetails>().is_none());
    }
}
