//! Wire types (JSON DTOs) the API answers with, converted from domain and store types here
//! and nowhere else.

use serde::Serialize;

use terminal_api::{self as wire, DeviceReport, VisitorTicket};

use crate::domain::availability::{ClosedReason, ServiceState};
use crate::domain::{Origin, TicketStatus};
use crate::queue::Waiting;
use crate::store::catalog::{Office, Service};
use crate::store::terminals::Terminal;
use crate::store::tickets::TicketRow;

/// Milliseconds since the epoch → RFC 3339 UTC.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Milliseconds since the epoch as a timestamp (the epoch for an impossible value).
pub fn timestamp(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// A ticket as the visitor sees it (on the terminal, on paper, on the phone page), with its
/// place as (people ahead, low, high minutes) when it is waiting.
pub fn visitor_ticket(
    ticket: &TicketRow,
    office: &Office,
    service: Option<&Service>,
    place: Option<(u32, u32, u32)>,
    counter: Option<String>,
    public_url: &str,
) -> VisitorTicket {
    let mut view = pending_ticket(
        office,
        (&ticket.service_id, service),
        ticket.origin,
        ticket.appointment_at,
        ticket.issued_at,
        &ticket.public_token,
        public_url,
    );
    view.display_number = ticket.display_number.clone();
    view.status = status(ticket.status);
    view.people_ahead = place.map_or(0, |p| p.0);
    view.wait_minutes = place.map_or([0, 0], |p| [p.1, p.2]);
    view.counter = counter;
    view
}

/// The phone page of the ticket with `token`.
fn status_url(public_url: &str, token: &str) -> String {
    format!("{}/t/{token}", public_url.trim_end_matches('/'))
}

/// A ticket about to be issued, as the visitor will see it; the write that issues it fills
/// in the display number, people ahead and wait.
pub fn pending_ticket(
    office: &Office,
    (service_id, service): (&str, Option<&Service>),
    origin: Origin,
    appointment_at: Option<i64>,
    issued_at: i64,
    token: &str,
    public_url: &str,
) -> VisitorTicket {
    VisitorTicket {
        display_number: String::new(),
        status: wire::TicketStatus::Waiting,
        origin: self::origin(origin),
        office_name: office.name.clone(),
        service_id: service_id.to_owned(),
        service_name: service.map(|s| s.names.0.clone()).unwrap_or_default(),
        waiting_area: service
            .map(|s| s.waiting_area.0.clone())
            .unwrap_or_default(),
        people_ahead: 0,
        wait_minutes: [0, 0],
        issued_at: timestamp(issued_at),
        appointment_at: appointment_at.map(timestamp),
        counter: None,
        status_url: status_url(public_url, token),
    }
}

/// A ticket's status on the wire.
pub fn status(s: TicketStatus) -> wire::TicketStatus {
    match s {
        TicketStatus::Waiting => wire::TicketStatus::Waiting,
        TicketStatus::Called => wire::TicketStatus::Called,
        TicketStatus::InService => wire::TicketStatus::InService,
        TicketStatus::Parked => wire::TicketStatus::Parked,
        TicketStatus::Finished => wire::TicketStatus::Finished,
        TicketStatus::NoShow => wire::TicketStatus::NoShow,
        TicketStatus::Forwarded => wire::TicketStatus::Forwarded,
        TicketStatus::Cancelled => wire::TicketStatus::Cancelled,
    }
}

/// A ticket's origin on the wire.
pub fn origin(o: Origin) -> wire::Origin {
    match o {
        Origin::Appointment => wire::Origin::Appointment,
        Origin::WalkIn => wire::Origin::WalkIn,
        Origin::Offline => wire::Origin::Offline,
    }
}

/// A service's walk-in state on the wire.
pub fn service_state(s: ServiceState) -> wire::ServiceState {
    match s {
        ServiceState::Open => wire::ServiceState::Open,
        ServiceState::Closed => wire::ServiceState::Closed,
        ServiceState::QuotaExhausted => wire::ServiceState::QuotaExhausted,
        ServiceState::WalkInNotToday => wire::ServiceState::WalkInNotToday,
    }
}

/// Why a service is closed, on the wire.
pub fn closed_reason(r: ClosedReason) -> wire::ClosedReason {
    match r {
        ClosedReason::OfficeClosedToday => wire::ClosedReason::OfficeClosedToday,
        ClosedReason::OutsideOpeningHours => wire::ClosedReason::OutsideOpeningHours,
        ClosedReason::ClosedToday => wire::ClosedReason::ClosedToday,
        ClosedReason::OutsideWalkInHours => wire::ClosedReason::OutsideWalkInHours,
        ClosedReason::QuotaExhausted => wire::ClosedReason::QuotaExhausted,
        ClosedReason::AppointmentsOnlyToday => wire::ClosedReason::AppointmentsOnlyToday,
    }
}

/// A ticket as staff see it in the console.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TicketView {
    pub id: i64,
    pub display_number: String,
    pub service_id: String,
    pub status: TicketStatus,
    pub origin: Origin,
    pub counter_id: Option<String>,
    pub call_count: u32,
    pub waiting_since: String,
    pub appointment_at: Option<String>,
    /// Position in the call order (waiting tickets only).
    pub position: Option<u32>,
    pub wait_minutes: Option<[u32; 2]>,
}

impl TicketView {
    pub fn new(t: &TicketRow, place: Option<&Waiting>) -> Self {
        Self {
            id: t.id,
            display_number: t.display_number.clone(),
            service_id: t.service_id.clone(),
            status: t.status,
            origin: t.origin,
            counter_id: t.counter_id.clone(),
            call_count: t.call_count,
            waiting_since: rfc3339(t.queued_at),
            appointment_at: t.appointment_at.map(rfc3339),
            position: place.map(|w| w.ahead + 1),
            wait_minutes: place.map(|w| [w.estimate.0, w.estimate.1]),
        }
    }
}

/// A terminal as IT and the front desk see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TerminalView {
    pub id: String,
    pub name: String,
    pub office_id: String,
    pub online: bool,
    pub last_heartbeat: Option<String>,
    pub app_version: Option<String>,
    pub config_version: Option<String>,
    pub devices: Vec<DeviceReport>,
}

impl TerminalView {
    pub fn new(t: &Terminal, now_ms: i64, timeout_secs: i64) -> Self {
        Self {
            id: t.id.clone(),
            name: t.name.clone(),
            office_id: t.office_id.clone(),
            online: t
                .last_heartbeat
                .is_some_and(|h| now_ms - h <= timeout_secs * 1000),
            last_heartbeat: t.last_heartbeat.map(rfc3339),
            app_version: t.app_version.clone(),
            config_version: t.config_version.clone(),
            devices: t.health.clone(),
        }
    }
}
