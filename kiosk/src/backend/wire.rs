//! The back office's JSON (wire types) and their conversion into the flow's domain types —
//! the only place that knows the field names.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::flow::{
    Availability, CheckInOutcome, ClosedReason, Localized, Origin, ServiceGroup, ServiceInfo,
    ServiceTree, TicketInfo,
};

#[derive(Debug, Deserialize)]
pub struct ServicesResponse {
    pub office_name: String,
    pub office_address: String,
    pub groups: Vec<GroupView>,
}

#[derive(Debug, Deserialize)]
pub struct GroupView {
    pub id: String,
    pub prefix: String,
    pub name: BTreeMap<String, String>,
    pub services: Vec<ServiceView>,
}

#[derive(Debug, Deserialize)]
pub struct ServiceView {
    pub id: String,
    pub name: BTreeMap<String, String>,
    pub waiting_area: BTreeMap<String, String>,
    pub state: String,
    pub reason: Option<String>,
    pub next_opening: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TicketResponse {
    pub outcome: String,
    pub ticket: VisitorTicket,
}

#[derive(Debug, Deserialize)]
pub struct VisitorTicket {
    pub display_number: String,
    pub origin: String,
    pub office_name: String,
    pub service_id: String,
    pub service_name: BTreeMap<String, String>,
    pub waiting_area: BTreeMap<String, String>,
    pub people_ahead: u32,
    pub wait_minutes: [u32; 2],
    pub issued_at: String,
    pub appointment_at: Option<String>,
    pub status_url: String,
}

#[derive(Debug, Deserialize)]
pub struct OfflineBlock {
    pub day: String,
    pub prefix: String,
    pub first: u32,
    pub last: u32,
}

#[derive(Debug, Deserialize)]
pub struct OfflineResult {
    pub display_number: String,
    pub result: String,
}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    #[serde(default)]
    pub details: serde_json::Value,
}

fn reason(code: Option<&str>) -> ClosedReason {
    match code {
        Some("office_closed_today") => ClosedReason::OfficeClosedToday,
        Some("outside_opening_hours") => ClosedReason::OutsideOpeningHours,
        Some("closed_today") => ClosedReason::ClosedToday,
        Some("outside_walk_in_hours") => ClosedReason::OutsideWalkInHours,
        Some("quota_exhausted") => ClosedReason::QuotaExhausted,
        Some("appointments_only_today") => ClosedReason::AppointmentsOnlyToday,
        _ => ClosedReason::Other,
    }
}

/// The availability from a state code, reason code and next opening.
pub fn availability(state: &str, reason_code: Option<&str>, next: Option<&str>) -> Availability {
    let next_opening = next.and_then(|n| n.parse::<jiff::civil::DateTime>().ok());
    match state {
        "open" => Availability::Open,
        "quota_exhausted" => Availability::QuotaExhausted { next_opening },
        "walk_in_not_today" => Availability::NotToday { next_opening },
        _ => Availability::Closed {
            reason: reason(reason_code),
            next_opening,
        },
    }
}

impl From<ServicesResponse> for ServiceTree {
    fn from(r: ServicesResponse) -> Self {
        ServiceTree {
            office_name: r.office_name,
            office_address: r.office_address,
            groups: r
                .groups
                .into_iter()
                .map(|g| ServiceGroup {
                    id: g.id,
                    prefix: g.prefix,
                    name: Localized(g.name),
                    services: g
                        .services
                        .into_iter()
                        .map(|s| ServiceInfo {
                            availability: availability(
                                &s.state,
                                s.reason.as_deref(),
                                s.next_opening.as_deref(),
                            ),
                            id: s.id,
                            name: Localized(s.name),
                            waiting_area: Localized(s.waiting_area),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl TryFrom<VisitorTicket> for TicketInfo {
    type Error = jiff::Error;
    fn try_from(t: VisitorTicket) -> Result<Self, jiff::Error> {
        Ok(TicketInfo {
            number: t.display_number,
            // A ticket the back office answers with is filed there: one printed offline and
            // filed since shows like any other, with its live position.
            origin: match (t.origin.as_str(), &t.appointment_at) {
                ("appointment", _) | ("offline", Some(_)) => Origin::Appointment,
                _ => Origin::WalkIn,
            },
            office_name: t.office_name,
            service_id: t.service_id,
            service: Localized(t.service_name),
            waiting_area: Localized(t.waiting_area),
            people_ahead: t.people_ahead,
            wait_minutes: (t.wait_minutes[0], t.wait_minutes[1]),
            issued_at: t.issued_at.parse()?,
            appointment_at: t.appointment_at.map(|a| a.parse()).transpose()?,
            status_url: t.status_url,
        })
    }
}

fn time(details: &serde_json::Value, key: &str) -> Option<jiff::Timestamp> {
    details.get(key)?.as_str()?.parse().ok()
}

/// A check-in refusal from its error code and details; `None` for codes that are not an
/// outcome the visitor can act on.
pub fn check_in_refusal(e: &ErrorDetail) -> Option<CheckInOutcome> {
    let d = &e.details;
    Some(match e.code.as_str() {
        "unknown_booking" | "invalid_booking_number" => CheckInOutcome::UnknownBooking,
        "wrong_code" | "invalid_code" => CheckInOutcome::WrongCode {
            attempts_left: d
                .get("attempts_left")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
        },
        "throttled" => CheckInOutcome::Throttled {
            retry_at: time(d, "retry_at"),
        },
        "wrong_office" => {
            let office = d.get("office");
            let field = |k: &str| {
                office
                    .and_then(|o| o.get(k))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            CheckInOutcome::WrongOffice {
                name: field("name"),
                address: field("address"),
            }
        }
        "too_early" => CheckInOutcome::TooEarly {
            check_in_from: time(d, "check_in_from"),
        },
        "too_late" => CheckInOutcome::TooLate {
            walk_in_service_id: d
                .get("walk_in_service_id")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        },
        _ => return None,
    })
}

/// A walk-in refusal from its error code and details.
pub fn walk_in_refusal(e: &ErrorDetail) -> Option<Availability> {
    let d = &e.details;
    let state = match e.code.as_str() {
        "quota_exhausted" => "quota_exhausted",
        "walk_in_not_today" => "walk_in_not_today",
        "service_closed" | "unknown_service" | "numbers_exhausted" => "closed",
        _ => return None,
    };
    Some(availability(
        state,
        d.get("reason").and_then(serde_json::Value::as_str),
        d.get("next_opening").and_then(serde_json::Value::as_str),
    ))
}
