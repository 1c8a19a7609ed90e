//! The terminal contract's types (crate `terminal_api`) turned into the flow's domain types:
//! the one place that knows how an answer of the back office reads for the visitor.

use terminal_api::error::{
    ThrottledDetails, TooEarlyDetails, TooLateDetails, WalkInClosedDetails, WrongCodeDetails,
    WrongOfficeDetails,
};
use terminal_api::{self as api, ErrorCode, ErrorDetail, ServiceState};

use crate::flow::{
    Availability, CheckInOutcome, ClosedReason, Localized, Origin, ServiceGroup, ServiceInfo,
    ServiceTree, TicketInfo,
};

fn reason(reason: Option<api::ClosedReason>) -> ClosedReason {
    match reason {
        Some(api::ClosedReason::OfficeClosedToday) => ClosedReason::OfficeClosedToday,
        Some(api::ClosedReason::OutsideOpeningHours) => ClosedReason::OutsideOpeningHours,
        Some(api::ClosedReason::ClosedToday) => ClosedReason::ClosedToday,
        Some(api::ClosedReason::OutsideWalkInHours) => ClosedReason::OutsideWalkInHours,
        Some(api::ClosedReason::QuotaExhausted) => ClosedReason::QuotaExhausted,
        Some(api::ClosedReason::AppointmentsOnlyToday) => ClosedReason::AppointmentsOnlyToday,
        Some(api::ClosedReason::Unknown) | None => ClosedReason::Other,
    }
}

/// The availability from a state, its reason and the next opening.
pub fn availability(
    state: ServiceState,
    why: Option<api::ClosedReason>,
    next_opening: Option<jiff::civil::DateTime>,
) -> Availability {
    match state {
        ServiceState::Open => Availability::Open,
        ServiceState::QuotaExhausted => Availability::QuotaExhausted { next_opening },
        ServiceState::WalkInNotToday => Availability::NotToday { next_opening },
        ServiceState::Closed | ServiceState::Unknown => Availability::Closed {
            reason: reason(why),
            next_opening,
        },
    }
}

/// The office's service tree.
pub fn service_tree(r: api::ServicesResponse) -> ServiceTree {
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
                        availability: availability(s.state, s.reason, s.next_opening),
                        id: s.id,
                        name: Localized(s.name),
                        waiting_area: Localized(s.waiting_area),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A ticket the back office answered with.
pub fn ticket(t: api::VisitorTicket) -> TicketInfo {
    TicketInfo {
        number: t.display_number,
        // A ticket the back office answers with is filed there: one printed offline and
        // filed since shows like any other, with its live position.
        origin: match (t.origin, &t.appointment_at) {
            (api::Origin::Appointment, _) | (api::Origin::Offline, Some(_)) => Origin::Appointment,
            _ => Origin::WalkIn,
        },
        office_name: t.office_name,
        service_id: t.service_id,
        service: Localized(t.service_name),
        waiting_area: Localized(t.waiting_area),
        people_ahead: t.people_ahead,
        wait_minutes: (t.wait_minutes[0], t.wait_minutes[1]),
        issued_at: t.issued_at,
        appointment_at: t.appointment_at,
        status_url: t.status_url,
    }
}

/// A successful check-in: a new ticket, or the one from an earlier check-in.
pub fn checked_in(r: api::TicketResponse) -> CheckInOutcome {
    match r.outcome {
        api::TicketOutcome::AlreadyCheckedIn => CheckInOutcome::AlreadyCheckedIn(ticket(r.ticket)),
        _ => CheckInOutcome::CheckedIn(ticket(r.ticket)),
    }
}

/// A check-in refusal the visitor can act on; `None` for every other error.
pub fn check_in_refusal(e: &ErrorDetail) -> Option<CheckInOutcome> {
    Some(match e.code {
        ErrorCode::UnknownBooking | ErrorCode::InvalidBookingNumber => {
            CheckInOutcome::UnknownBooking
        }
        ErrorCode::WrongCode | ErrorCode::InvalidCode => CheckInOutcome::WrongCode {
            attempts_left: e.details::<WrongCodeDetails>().map(|d| d.attempts_left),
        },
        ErrorCode::Throttled => CheckInOutcome::Throttled {
            retry_at: e.details::<ThrottledDetails>().map(|d| d.retry_at),
        },
        ErrorCode::WrongOffice => {
            let office = e.details::<WrongOfficeDetails>().map(|d| d.office);
            CheckInOutcome::WrongOffice {
                name: office.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
                address: office.map(|o| o.address).unwrap_or_default(),
            }
        }
        ErrorCode::TooEarly => CheckInOutcome::TooEarly {
            check_in_from: e.details::<TooEarlyDetails>().map(|d| d.check_in_from),
        },
        ErrorCode::TooLate => CheckInOutcome::TooLate {
            walk_in_service_id: e.details::<TooLateDetails>().map(|d| d.walk_in_service_id),
        },
        _ => return None,
    })
}

/// A walk-in refusal: the service's availability now.
pub fn walk_in_refusal(e: &ErrorDetail) -> Option<Availability> {
    let state = match e.code {
        ErrorCode::QuotaExhausted => ServiceState::QuotaExhausted,
        ErrorCode::WalkInNotToday => ServiceState::WalkInNotToday,
        ErrorCode::ServiceClosed | ErrorCode::UnknownService | ErrorCode::NumbersExhausted => {
            ServiceState::Closed
        }
        _ => return None,
    };
    let d = e.details::<WalkInClosedDetails>();
    Some(availability(
        state,
        d.as_ref().and_then(|d| d.reason),
        d.and_then(|d| d.next_opening),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: ErrorCode, details: serde_json::Value) -> ErrorDetail {
        ErrorDetail {
            code,
            message: String::new(),
            field: None,
            details: Some(details),
            request_id: String::new(),
        }
    }

    #[test]
    fn refusals_read_their_typed_details() {
        let e = error(
            ErrorCode::WrongCode,
            serde_json::json!({ "attempts_left": 2 }),
        );
        assert_eq!(
            check_in_refusal(&e),
            Some(CheckInOutcome::WrongCode {
                attempts_left: Some(2)
            })
        );
        let e = error(
            ErrorCode::QuotaExhausted,
            serde_json::json!({ "reason": "quota_exhausted", "next_opening": "2026-11-27T08:00:00" }),
        );
        assert_eq!(
            walk_in_refusal(&e),
            Some(Availability::QuotaExhausted {
                next_opening: "2026-11-27T08:00:00".parse().ok()
            })
        );
    }

    #[test]
    fn codes_that_are_no_outcome_are_none() {
        for code in [
            ErrorCode::Internal,
            ErrorCode::Unknown,
            ErrorCode::UnknownTerminal,
        ] {
            assert_eq!(
                check_in_refusal(&error(code, serde_json::Value::Null)),
                None
            );
            assert_eq!(walk_in_refusal(&error(code, serde_json::Value::Null)), None);
        }
    }
}
