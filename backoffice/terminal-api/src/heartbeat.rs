//! The heartbeat: versions, the health of each device, and a visitor's help request; the
//! answer carries a supervisor's lock.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Most devices in one heartbeat.
pub const MAX_DEVICES: usize = 32;
/// Longest version text.
pub const MAX_VERSION_CHARS: usize = 40;
/// Longest device detail.
pub const MAX_DETAIL_CHARS: usize = 200;
/// Versions and details: no control or invisible characters (JSON Schema pattern; the back
/// office checks exactly this, nothing is trimmed).
pub const PLAIN_PATTERN: &str =
    "^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$";

/// What a terminal reports every few seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeartbeatRequest {
    /// The kiosk's version.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$"
        )
    )]
    pub app_version: String,
    /// The running configuration's version.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 40,
            pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$"
        )
    )]
    pub config_version: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 32))]
    pub devices: Vec<DeviceReport>,
    /// Set while a visitor at the terminal asks for help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<HelpRequest>,
}

/// A visitor pressed *help*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HelpRequest {
    /// When: a later request is a new one, which staff hear again.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub requested_at: Timestamp,
}

/// A device class of a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    TicketPrinter,
    Scanner,
    CardReader,
    DocumentPrinter,
    /// A device newer than this side of the contract.
    #[serde(other)]
    Unknown,
}

/// How a device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceCondition {
    Ok,
    PaperLow,
    PaperOut,
    CoverOpen,
    /// Plugged in but not answering.
    Offline,
    /// Not plugged in.
    Absent,
    Error,
    /// The terminal cannot use USB at all (permissions, udev rules).
    UsbUnavailable,
    /// A condition newer than this side of the contract.
    #[serde(other)]
    Unknown,
}

impl DeviceCondition {
    /// Whether the device still works (staff see a warning, not an error).
    pub fn still_works(self) -> bool {
        matches!(self, DeviceCondition::Ok | DeviceCondition::PaperLow)
    }
}

/// One device's health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeviceReport {
    pub device: DeviceKind,
    pub state: DeviceCondition,
    /// What staff should do; never personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$"
        )
    )]
    pub detail: Option<String>,
}

/// The back office's answer to a heartbeat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartbeatResponse {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_time: Timestamp,
    /// Set while a supervisor has locked the terminal: show this message instead of the
    /// start screen until a heartbeat answers without it.
    #[serde(default)]
    pub locked_message: Option<String>,
}

/// Device kinds and conditions are open sets: a terminal newer than its back office may
/// report one the back office does not know yet, which it keeps as `unknown` instead of
/// refusing the heartbeat. So the schema is a string, with the known values listed.
#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

    fn open_set(known: &[&str]) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "One of {}; a value this side does not know yet reads as `unknown`.",
                known.join(", ")
            )))
            .examples(known.iter().take(1).copied())
            .into()
    }

    impl utoipa::PartialSchema for super::DeviceKind {
        fn schema() -> RefOr<Schema> {
            open_set(&[
                "ticket_printer",
                "scanner",
                "card_reader",
                "document_printer",
            ])
        }
    }
    impl utoipa::ToSchema for super::DeviceKind {}

    impl utoipa::PartialSchema for super::DeviceCondition {
        fn schema() -> RefOr<Schema> {
            open_set(&[
                "ok",
                "paper_low",
                "paper_out",
                "cover_open",
                "offline",
                "absent",
                "error",
                "usb_unavailable",
            ])
        }
    }
    impl utoipa::ToSchema for super::DeviceCondition {}
}
