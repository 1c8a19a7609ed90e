//! Live events for staff consoles and call displays, fanned out over a broadcast channel.

use serde::Serialize;

use super::views::{TerminalView, TicketView};

/// Something that changed in an office.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A ticket was issued or changed status.
    Ticket {
        office_id: String,
        ticket: TicketView,
    },
    /// A ticket was called to a counter (drives the call display).
    Called {
        office_id: String,
        display_number: String,
        counter: String,
        at: String,
    },
    /// A terminal reported in (heartbeat, device health, help request).
    Terminal {
        office_id: String,
        terminal: TerminalView,
    },
}

impl Event {
    pub fn office_id(&self) -> &str {
        match self {
            Self::Ticket { office_id, .. }
            | Self::Called { office_id, .. }
            | Self::Terminal { office_id, .. } => office_id,
        }
    }
}
