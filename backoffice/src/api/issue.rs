//! Issuing tickets for terminals: appointment check-in with all its outcomes, walk-ins, and
//! tickets printed offline. Handlers call these; these call the store.

use std::sync::Arc;

use axum::http::StatusCode;

use super::error::ApiError;
use super::events::Event;
use super::idempotent::{AnswerKey, Reply};
use super::state::AppState;
use super::views::{self, TicketView};
use crate::domain::Origin;
use crate::domain::availability::{ServiceState, walk_in_availability};
use crate::domain::checkin::{self, Admission, WrongCode};
use crate::domain::wait::WaitCurve;
use crate::queue;
use crate::store::appointments::code_hash;
use crate::store::catalog::{Office, OfficeCatalog};
use crate::store::issuing::{IssueError, Issued, NewTicket, Numbering, TicketAnswer, new_token};
use crate::store::terminals::Terminal;
use crate::store::tickets::TicketRow;
use terminal_api::error::{
    OfficeRef, ThrottledDetails, TooEarlyDetails, TooLateDetails, WalkInClosedDetails,
    WrongCodeDetails, WrongOfficeDetails,
};
use terminal_api::{
    BookingCode, BookingNumber, CheckInRequest, ErrorCode, OfflineOutcome, OfflineResult,
    OfflineTicket, TicketOutcome, TicketResponse, VisitorTicket,
};

pub async fn office_of(state: &AppState, office_id: &str) -> Result<Office, ApiError> {
    state.db.office(office_id).await?.ok_or_else(|| {
        ApiError::not_found(
            ErrorCode::UnknownOffice,
            "The terminal's office is not configured.",
        )
    })
}

/// The office's configuration (from the in-process copy).
pub async fn catalog_of(state: &AppState, office_id: &str) -> Result<Arc<OfficeCatalog>, ApiError> {
    state.db.catalog(office_id).await?.ok_or_else(|| {
        ApiError::not_found(
            ErrorCode::UnknownOffice,
            "The terminal's office is not configured.",
        )
    })
}

/// Recomputes the office's wait estimates in the background if they are due.
fn refresh_estimates_if_due(state: &AppState, catalog: &Arc<OfficeCatalog>) {
    if !state
        .estimators
        .claim_refresh(&catalog.office.id, state.clock.now_ms())
    {
        return;
    }
    let (state, catalog) = (state.clone(), catalog.clone());
    tokio::spawn(async move {
        let now = state.clock.now();
        let office = &catalog.office;
        if let Err(error) =
            queue::snapshot(&state.db, &state.estimators, office, &catalog.services, now).await
        {
            tracing::warn!(%error, "could not refresh the wait estimates");
        }
    });
}

/// The visitor's view of a ticket with its current place in the queue; `known` is the place
/// worked out while issuing it.
pub async fn visitor_ticket(
    state: &AppState,
    office: &Office,
    ticket: &TicketRow,
    known: Option<(u32, u32, u32)>,
) -> Result<VisitorTicket, ApiError> {
    let catalog = catalog_of(state, &office.id).await?;
    let place = match known {
        Some(place) => {
            refresh_estimates_if_due(state, &catalog);
            Some(place)
        }
        None => {
            let place = queue::place_of(
                &state.db,
                &state.estimators,
                office,
                &catalog.services,
                state.clock.now(),
                ticket,
                || refresh_estimates_if_due(state, &catalog),
            )
            .await?;
            // Keep the estimate the visitor was first given, for the accuracy statistics.
            if let (None, Some((_, low, high)), false) =
                (ticket.estimate_low, place, ticket.origin == Origin::Offline)
            {
                let db = state.db.clone();
                let id = ticket.id;
                tokio::spawn(async move {
                    if let Err(error) = db
                        .record_estimate(id, i64::from(low), i64::from(high))
                        .await
                    {
                        tracing::warn!(%error, "could not store the wait estimate");
                    }
                });
            }
            place
        }
    };
    let counter = ticket
        .counter_id
        .as_ref()
        .and_then(|id| catalog.counters.iter().find(|c| &c.id == id))
        .map(|c| c.name.clone());
    Ok(views::visitor_ticket(
        ticket,
        office,
        catalog.service(&ticket.service_id),
        place,
        counter,
        &state.settings.public_url,
    ))
}

/// Wait ranges from the office's recent estimate, for a ticket about to be issued.
fn placement(state: &AppState, office_id: &str, now_ms: i64) -> Option<WaitCurve> {
    state
        .estimators
        .curve(office_id, now_ms, queue::STALE_ESTIMATE_MS)
}

fn announce(state: &AppState, ticket: &TicketRow) {
    state.publish(Event::Ticket {
        office_id: ticket.office_id.clone(),
        ticket: TicketView::new(ticket, None),
    });
}

/// Typed details for an error body (plain fields: serialising cannot fail).
fn details(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Checks a visitor in. Returns 201 with a new ticket, or 200 with the ticket already issued.
pub async fn check_in(
    state: &AppState,
    terminal: &Terminal,
    req: &CheckInRequest,
    answer: &AnswerKey,
) -> Result<Reply, ApiError> {
    let number = BookingNumber::parse(&req.booking_number).map_err(|e| {
        ApiError::bad_request(ErrorCode::InvalidBookingNumber, e.to_string())
            .field("booking_number")
    })?;
    let code = BookingCode::parse(&req.code)
        .map_err(|e| ApiError::bad_request(ErrorCode::InvalidCode, e.to_string()).field("code"))?;
    let (number, code) = (number.as_str(), code.as_str());
    let now = state.clock.now_ms();
    let limits = checkin::Limits {
        max_unknown_bookings: state.settings.max_unknown_bookings,
        max_wrong_codes: state.settings.max_wrong_codes,
        lock_minutes: state.settings.lock_minutes,
    };
    let window = checkin::UNKNOWN_BOOKING_WINDOW_MS;
    let throttle_key = format!("terminal:{}", terminal.id);
    let recent_unknown = state
        .unknown_bookings
        .count(&throttle_key, now, window)
        .await;
    checkin::terminal_may_ask(recent_unknown, &limits, now).map_err(throttled)?;
    let Some(appointment) = state.db.appointment(number).await? else {
        state.unknown_bookings.hit(&throttle_key, now, window).await;
        return Err(ApiError::not_found(
            ErrorCode::UnknownBooking,
            "There is no appointment with this booking number.",
        )
        .field("booking_number"));
    };
    if appointment.locked_until > now {
        return Err(throttled(appointment.locked_until));
    }
    if appointment.code_hash != code_hash(number, code) {
        let failures = state
            .db
            .record_wrong_code(
                appointment.id,
                limits.max_wrong_codes,
                checkin::lock_until(&limits, now),
            )
            .await?;
        return Err(match checkin::after_wrong_code(failures, &limits, now) {
            WrongCode::Locked { until } => throttled(until),
            WrongCode::AttemptsLeft(attempts_left) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::WrongCode,
                "The code does not match this booking number.",
            )
            .field("code")
            .details(details(WrongCodeDetails { attempts_left })),
        });
    }
    if appointment.failed_attempts > 0 {
        state.db.reset_wrong_codes(appointment.id).await?;
    }
    let office = office_of(state, &appointment.office_id).await?;
    let booked = checkin::Booked {
        office_id: &appointment.office_id,
        starts_at: appointment.starts_at,
        ticket_id: appointment.ticket_id,
    };
    match checkin::admit(&booked, &terminal.office_id, &office.rules, now) {
        Admission::AlreadyCheckedIn { ticket_id } => {
            let ticket = state
                .db
                .ticket(ticket_id)
                .await?
                .ok_or_else(ApiError::internal)?;
            let view = visitor_ticket(state, &office, &ticket, None).await?;
            return reply(StatusCode::OK, TicketOutcome::AlreadyCheckedIn, view);
        }
        Admission::WrongOffice => {
            return Err(ApiError::conflict(
                ErrorCode::WrongOffice,
                "This appointment is at another office.",
            )
            .details(details(WrongOfficeDetails {
                office: OfficeRef {
                    id: office.id,
                    name: office.name,
                    address: office.address,
                },
                appointment_at: views::timestamp(appointment.starts_at),
            })));
        }
        Admission::TooEarly { opens_at } => {
            return Err(ApiError::conflict(
                ErrorCode::TooEarly,
                "Check-in for this appointment is not open yet.",
            )
            .details(details(TooEarlyDetails {
                check_in_from: views::timestamp(opens_at),
                appointment_at: views::timestamp(appointment.starts_at),
            })));
        }
        Admission::TooLate => {
            return Err(ApiError::conflict(
                ErrorCode::TooLate,
                "The appointment time has passed; a walk-in number can be taken instead.",
            )
            .details(details(TooLateDetails {
                appointment_at: views::timestamp(appointment.starts_at),
                walk_in_service_id: appointment.service_id,
            })));
        }
        Admission::Issue => {}
    }
    let day = queue::office_day(&office, state.clock.now());
    let placement = placement(state, &office.id, now);
    let catalog = catalog_of(state, &office.id).await?;
    let mut new = NewTicket {
        answer: None,
        public_token: new_token(),
        office_id: office.id.clone(),
        day: day.clone(),
        service_id: appointment.service_id.clone(),
        origin: Origin::Appointment,
        numbering: Numbering::Next {
            prefix: office.appointment_prefix,
            first: 1,
            last: 999,
        },
        appointment: Some((appointment.id, appointment.starts_at)),
        terminal_id: Some(terminal.id.clone()),
        request_key: Some(answer.key.clone()),
        quota: None,
        now,
        queued_at: now,
        placement,
    };
    new.answer = Some(ticket_answer(
        state,
        &catalog,
        answer,
        (TicketOutcome::CheckedIn, StatusCode::CREATED),
        &new,
    ));
    let issued = match state.db.issue_ticket(new).await {
        Ok(issued) => issued,
        Err(IssueError::AlreadyCheckedIn) => {
            let again = state
                .db
                .appointment(number)
                .await?
                .and_then(|a| a.ticket_id)
                .ok_or_else(ApiError::internal)?;
            let ticket = state
                .db
                .ticket(again)
                .await?
                .ok_or_else(ApiError::internal)?;
            let view = visitor_ticket(state, &office, &ticket, None).await?;
            return reply(StatusCode::OK, TicketOutcome::AlreadyCheckedIn, view);
        }
        Err(e) => return Err(issue_error(e)),
    };
    if !issued.replayed {
        announce(state, &issued.ticket);
        state.estimators.record_appointment(&office.id, true);
    }
    if let Some(stored) = stored_reply(state, &catalog, &issued) {
        return Ok(stored);
    }
    let view = visitor_ticket(state, &office, &issued.ticket, issued.place).await?;
    reply(StatusCode::CREATED, TicketOutcome::CheckedIn, view)
}

/// The reply for a ticket the terminal asked for.
fn reply(
    status: StatusCode,
    outcome: TicketOutcome,
    ticket: VisitorTicket,
) -> Result<Reply, ApiError> {
    let value = serde_json::to_value(TicketResponse { outcome, ticket })
        .map_err(|_| ApiError::internal())?;
    Ok(Reply {
        status,
        value,
        stored: false,
    })
}

/// What the terminal is told about the ticket `new` will issue, rendered now and stored with
/// the ticket in one write (which fills in number, people ahead and wait).
fn ticket_answer(
    state: &AppState,
    catalog: &OfficeCatalog,
    answer: &AnswerKey,
    (outcome, status): (TicketOutcome, StatusCode),
    new: &NewTicket,
) -> TicketAnswer {
    let ticket = views::pending_ticket(
        &catalog.office,
        (&new.service_id, catalog.service(&new.service_id)),
        new.origin,
        new.appointment.map(|(_, at)| at),
        new.now,
        &new.public_token,
        &state.settings.public_url,
    );
    TicketAnswer {
        terminal_id: answer.terminal_id.clone(),
        key: answer.key.clone(),
        request_hash: answer.request_hash.clone(),
        status: status.as_u16(),
        reply: TicketResponse { outcome, ticket },
    }
}

/// The reply stored with a newly issued ticket, if there is one.
fn stored_reply(state: &AppState, catalog: &Arc<OfficeCatalog>, issued: &Issued) -> Option<Reply> {
    let (status, reply) = issued.answer.clone()?;
    refresh_estimates_if_due(state, catalog);
    Some(Reply {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED),
        // Plain strings and numbers: serialising cannot fail.
        value: serde_json::to_value(reply).unwrap_or_default(),
        stored: true,
    })
}

fn throttled(until: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Throttled,
        "Too many wrong attempts; please ask at the information desk.",
    )
    .details(details(ThrottledDetails {
        retry_at: views::timestamp(until),
    }))
}

fn issue_error(e: IssueError) -> ApiError {
    match e {
        IssueError::QuotaExhausted => ApiError::conflict(
            ErrorCode::QuotaExhausted,
            "Today's walk-in numbers for this service are gone.",
        ),
        IssueError::NumbersExhausted => ApiError::conflict(
            ErrorCode::NumbersExhausted,
            "Every number of this service group is in use.",
        ),
        IssueError::AlreadyCheckedIn => ApiError::conflict(
            ErrorCode::AlreadyCheckedIn,
            "This appointment is already checked in.",
        ),
        IssueError::Store(s) => s.into(),
    }
}

/// Issues a walk-in ticket if the service takes walk-ins now.
pub async fn walk_in(
    state: &AppState,
    terminal: &Terminal,
    service_id: &str,
    answer: &AnswerKey,
) -> Result<Reply, ApiError> {
    let catalog = catalog_of(state, &terminal.office_id).await?;
    let office = &catalog.office;
    let service = catalog.service(service_id).ok_or_else(|| {
        ApiError::not_found(
            ErrorCode::UnknownService,
            "This office has no such service.",
        )
        .field("service_id")
    })?;
    let group = catalog
        .group(&service.group_id)
        .ok_or_else(ApiError::internal)?;
    let now = state.clock.now();
    let day = queue::office_day(office, now);
    // The quota is counted while issuing; here only whether walk-ins are taken at all.
    let zoned = now.to_zoned(office.timezone.clone());
    let closed = |issued_today: u32| {
        let availability =
            walk_in_availability(&office.rules, &service.rules, &zoned, issued_today);
        let code = match availability.state {
            ServiceState::Open => return None,
            ServiceState::QuotaExhausted => ErrorCode::QuotaExhausted,
            ServiceState::WalkInNotToday => ErrorCode::WalkInNotToday,
            ServiceState::Closed => ErrorCode::ServiceClosed,
        };
        Some(
            ApiError::conflict(code, "This service takes no walk-in visitors right now.").details(
                details(WalkInClosedDetails {
                    reason: availability.reason.map(views::closed_reason),
                    next_opening: availability.next_opening,
                }),
            ),
        )
    };
    if let Some(refusal) = closed(0) {
        return Err(refusal);
    }
    let placement = placement(state, &office.id, now.as_millisecond());
    let mut new = NewTicket {
        answer: None,
        public_token: new_token(),
        office_id: office.id.clone(),
        day: day.clone(),
        service_id: service.id.clone(),
        origin: Origin::WalkIn,
        numbering: Numbering::Next {
            prefix: group.prefix,
            first: group.first_number,
            last: group.last_number,
        },
        appointment: None,
        terminal_id: Some(terminal.id.clone()),
        request_key: Some(answer.key.clone()),
        quota: service.rules.walk_in.daily_quota,
        now: now.as_millisecond(),
        queued_at: now.as_millisecond(),
        placement,
    };
    new.answer = Some(ticket_answer(
        state,
        &catalog,
        answer,
        (TicketOutcome::WalkIn, StatusCode::CREATED),
        &new,
    ));
    let issued = match state.db.issue_ticket(new).await {
        Ok(issued) => issued,
        Err(IssueError::QuotaExhausted) => {
            let quota = service.rules.walk_in.daily_quota.unwrap_or(0);
            return Err(closed(quota).unwrap_or_else(|| issue_error(IssueError::QuotaExhausted)));
        }
        Err(e) => return Err(issue_error(e)),
    };
    if !issued.replayed {
        announce(state, &issued.ticket);
    }
    if let Some(stored) = stored_reply(state, &catalog, &issued) {
        return Ok(stored);
    }
    let view = visitor_ticket(state, office, &issued.ticket, issued.place).await?;
    reply(StatusCode::CREATED, TicketOutcome::WalkIn, view)
}

/// Files one ticket a terminal printed offline, exactly once.
pub async fn offline_ticket(
    state: &AppState,
    terminal: &Terminal,
    t: &OfflineTicket,
) -> Result<OfflineResult, ApiError> {
    let office = office_of(state, &terminal.office_id).await?;
    let reject = |reason: &str| OfflineResult {
        display_number: t.display_number.chars().take(8).collect(),
        result: OfflineOutcome::Rejected,
        reason: Some(reason.to_owned()),
    };
    let mut chars = t.display_number.chars();
    let prefix = chars.next();
    let Some(number) = chars
        .as_str()
        .parse::<u32>()
        .ok()
        .filter(|_| prefix == Some(office.offline_prefix))
    else {
        return Ok(reject("not an offline number of this office"));
    };
    let Ok(issued_at) = t.issued_at.parse::<jiff::Timestamp>() else {
        return Ok(reject("issued_at is not an RFC 3339 time"));
    };
    let day = queue::office_day(&office, issued_at);
    if !state
        .db
        .owns_offline_number(&terminal.id, &day, office.offline_prefix, number)
        .await?
    {
        return Ok(reject("number was not reserved for this terminal that day"));
    }
    let appointment = match &t.booking_number {
        Some(b) => state
            .db
            .appointment(b.trim())
            .await?
            .filter(|a| a.office_id == office.id && a.ticket_id.is_none()),
        None => None,
    };
    // A check-in the terminal could not verify: the appointment says which service; the
    // terminal's service stands only for a booking that matches no open appointment.
    let service_id = appointment
        .as_ref()
        .map_or(t.service_id.as_str(), |a| a.service_id.as_str());
    if state
        .db
        .service(service_id)
        .await?
        .filter(|s| s.office_id == office.id)
        .is_none()
    {
        return Ok(reject("unknown service"));
    }
    let request_key = format!("offline:{day}:{}", t.display_number);
    let new = NewTicket {
        office_id: office.id.clone(),
        day: day.clone(),
        service_id: service_id.to_owned(),
        origin: Origin::Offline,
        numbering: Numbering::Fixed {
            prefix: office.offline_prefix,
            number,
        },
        appointment: appointment.as_ref().map(|a| (a.id, a.starts_at)),
        terminal_id: Some(terminal.id.clone()),
        request_key: Some(request_key),
        quota: None,
        now: state.clock.now_ms(),
        queued_at: issued_at.as_millisecond(),
        placement: None,
        answer: None,
        public_token: new_token(),
    };
    match state.db.issue_ticket(new).await {
        Ok(issued) if issued.replayed => Ok(OfflineResult {
            display_number: t.display_number.clone(),
            result: OfflineOutcome::Duplicate,
            reason: None,
        }),
        Ok(issued) => {
            announce(state, &issued.ticket);
            Ok(OfflineResult {
                display_number: t.display_number.clone(),
                result: OfflineOutcome::Accepted,
                reason: None,
            })
        }
        Err(IssueError::Store(e)) => Err(e.into()),
        Err(e) => Ok(reject(&e.to_string())),
    }
}
