//! Staff endpoints: log in, choose a counter, the live queue, call and move tickets, and the
//! live event stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::error::ApiError;
use super::events::Event;
use super::issue::office_of;
use super::json::ApiJson;
use super::staff_auth::{COOKIE, StaffSession, hash_password, random_token, verify_password};
use super::state::AppState;
use super::views::{TerminalView, TicketView, rfc3339};
use crate::domain::{Action, TicketStatus};
use crate::queue;
use crate::store::catalog::Counter;
use crate::store::staff::Role;
use terminal_api::ErrorCode;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Who is logged in, and the CSRF token to send as `X-CSRF-Token`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub office_id: String,
    pub counter_id: Option<String>,
    pub csrf_token: String,
    pub counters: Vec<Counter>,
}

async fn me_of(state: &AppState, s: &StaffSession) -> Result<Me, ApiError> {
    let staff = &s.session.staff;
    Ok(Me {
        username: staff.username.clone(),
        display_name: staff.display_name.clone(),
        role: staff.role,
        office_id: staff.office_id.clone(),
        counter_id: s.session.counter_id.clone(),
        csrf_token: s.session.csrf_token.clone(),
        counters: state.db.counters(&staff.office_id).await?,
    })
}

#[utoipa::path(post, path = "/api/v1/staff/login", tag = "staff", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = super::error::ErrorBody), (status = 429, body = super::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let now = state.clock.now_ms();
    let window = 15 * 60_000;
    let key = req.username.trim().to_lowercase();
    if key.len() > 100 || req.password.len() > 200 {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "User name or password too long.",
        ));
    }
    if state.failed_logins.count(&key, now, window).await >= state.settings.max_failed_logins {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Throttled,
            "Too many failed logins; wait 15 minutes or ask an administrator.",
        ));
    }
    let staff = state.db.staff_by_username(&key).await?;
    let password = req.password.clone();
    let hash = staff.as_ref().map(|s| s.password_hash.clone());
    // Verify even for unknown users so timing does not reveal which names exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    let Some(staff) = staff.filter(|_| ok) else {
        state.failed_logins.hit(&key, now, window).await;
        return Err(ApiError::unauthorized("User name or password is wrong.")
            .with_code(ErrorCode::LoginFailed));
    };
    state.failed_logins.clear(&key).await;
    let token = random_token();
    let csrf = random_token();
    let max_age = state.settings.session_hours * 3600;
    state
        .db
        .create_session(staff.id, &token, &csrf, now + max_age * 1000)
        .await?;
    let session = state
        .db
        .session(&token, now)
        .await?
        .ok_or_else(ApiError::internal)?;
    let me = me_of(
        &state,
        &StaffSession {
            token: token.clone(),
            session,
        },
    )
    .await?;
    let cookie =
        format!("{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}");
    let mut response = Json(me).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| ApiError::internal())?,
    );
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/staff/logout", tag = "staff", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, s: StaffSession) -> Result<Response, ApiError> {
    state.db.delete_session(&s.token).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        HeaderValue::from_static(
            "bt_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/staff/me", tag = "staff", responses((status = 200, body = Me)))]
pub async fn me(State(state): State<AppState>, s: StaffSession) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&state, &s).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterRequest {
    pub counter_id: String,
}

#[utoipa::path(post, path = "/api/v1/staff/counter", tag = "staff", request_body = CounterRequest,
    responses((status = 200, body = Me), (status = 404, description = "unknown_counter", body = super::error::ErrorBody)))]
pub async fn choose_counter(
    State(state): State<AppState>,
    mut s: StaffSession,
    ApiJson(req): ApiJson<CounterRequest>,
) -> Result<Json<Me>, ApiError> {
    let counters = state.db.counters(s.office_id()).await?;
    if !counters.iter().any(|c| c.id == req.counter_id) {
        return Err(ApiError::not_found(
            ErrorCode::UnknownCounter,
            "This office has no such counter.",
        )
        .field("counter_id"));
    }
    state
        .db
        .set_session_counter(&s.token, &req.counter_id)
        .await?;
    s.session.counter_id = Some(req.counter_id);
    Ok(Json(me_of(&state, &s).await?))
}

/// Waiting count and traffic light of one service.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueLight {
    pub service_id: String,
    pub waiting: u32,
    /// `green`, `yellow` or `red`.
    pub light: String,
}

/// The office's live queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueueResponse {
    pub day: String,
    pub staffed_counters: u32,
    pub tickets: Vec<TicketView>,
    pub lights: Vec<QueueLight>,
}

#[utoipa::path(get, path = "/api/v1/staff/queue", tag = "staff", responses((status = 200, body = QueueResponse)))]
pub async fn queue_view(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<QueueResponse>, ApiError> {
    let office = office_of(&state, s.office_id()).await?;
    let services = state.db.services(&office.id).await?;
    let snap = queue::snapshot(
        &state.db,
        &state.estimators,
        &office,
        &services,
        state.clock.now(),
    )
    .await?;
    let tickets = snap
        .tickets
        .iter()
        .map(|t| TicketView::new(t, snap.waiting.iter().find(|w| w.ticket.id == t.id)))
        .collect();
    let [green, yellow] = office.rules.traffic_light;
    let lights = services
        .iter()
        .map(|svc| {
            let waiting = snap
                .waiting
                .iter()
                .filter(|w| w.ticket.service_id == svc.id)
                .count() as u32;
            let light = if waiting <= green {
                "green"
            } else if waiting <= yellow {
                "yellow"
            } else {
                "red"
            };
            QueueLight {
                service_id: svc.id.clone(),
                waiting,
                light: light.into(),
            }
        })
        .collect();
    Ok(Json(QueueResponse {
        day: snap.day,
        staffed_counters: snap.staffed_counters,
        tickets,
        lights,
    }))
}

fn my_counter(s: &StaffSession) -> Result<String, ApiError> {
    s.session
        .counter_id
        .clone()
        .ok_or_else(|| ApiError::conflict(ErrorCode::NoCounter, "Choose your counter first."))
}

async fn counter_name(
    state: &AppState,
    office_id: &str,
    counter_id: &str,
) -> Result<String, ApiError> {
    Ok(state
        .db
        .counters(office_id)
        .await?
        .into_iter()
        .find(|c| c.id == counter_id)
        .map_or_else(|| counter_id.to_owned(), |c| c.name))
}

fn announce(state: &AppState, t: &crate::store::tickets::TicketRow, counter: Option<String>) {
    state.publish(Event::Ticket {
        office_id: t.office_id.clone(),
        ticket: TicketView::new(t, None),
    });
    if let (TicketStatus::Called, Some(counter)) = (t.status, counter) {
        state.publish(Event::Called {
            office_id: t.office_id.clone(),
            display_number: t.display_number.clone(),
            counter,
            at: rfc3339(t.called_at.unwrap_or_default()),
        });
    }
}

#[utoipa::path(post, path = "/api/v1/staff/call-next", tag = "staff",
    responses((status = 200, body = TicketView), (status = 409, description = "queue_empty, no_counter", body = super::error::ErrorBody)))]
pub async fn call_next(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<TicketView>, ApiError> {
    let counter = my_counter(&s)?;
    let office = office_of(&state, s.office_id()).await?;
    let actor = s.session.staff.username.clone();
    // Candidates can be taken by another counter between read and update; the conditional
    // update refuses then, and we try the next one.
    for _ in 0..20 {
        let now = state.clock.now();
        let day = queue::office_day(&office, now);
        let live = state.db.live_tickets(&office.id, &day).await?;
        let order = queue::call_order(live.iter(), now.as_millisecond());
        if order.is_empty() {
            return Err(ApiError::conflict(
                ErrorCode::QueueEmpty,
                "Nobody is waiting.",
            ));
        }
        for candidate in order.into_iter().take(5) {
            if let Some(t) = state
                .db
                .transition(
                    candidate,
                    Action::Call,
                    TicketStatus::Called,
                    &actor,
                    Some(&counter),
                    None,
                    now.as_millisecond(),
                )
                .await?
            {
                announce(
                    &state,
                    &t,
                    Some(counter_name(&state, &office.id, &counter).await?),
                );
                return Ok(Json(TicketView::new(&t, None)));
            }
        }
    }
    Err(ApiError::conflict(
        ErrorCode::Busy,
        "The queue is changing fast; press again.",
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// Target service, for `forward`.
    #[serde(default)]
    pub service_id: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/staff/tickets/{id}/{action}", tag = "staff", request_body = ActionRequest,
    params(("id" = i64, Path), ("action" = String, Path, description = "call, recall, start, park, unpark, forward, no_show, finish, cancel")),
    responses((status = 200, body = TicketView), (status = 409, description = "illegal_transition, changed", body = super::error::ErrorBody)))]
pub async fn ticket_action(
    State(state): State<AppState>,
    s: StaffSession,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> Result<Json<TicketView>, ApiError> {
    let req: ActionRequest = if body.is_empty() {
        ActionRequest::default()
    } else {
        super::json::parse(&body)?
    };
    let action: Action =
        serde_json::from_value(serde_json::Value::String(action.replace('-', "_")))
            .map_err(|_| ApiError::not_found(ErrorCode::UnknownAction, "No such ticket action."))?;
    let office = office_of(&state, s.office_id()).await?;
    let ticket = state
        .db
        .ticket(id)
        .await?
        .filter(|t| t.office_id == office.id)
        .ok_or_else(|| {
            ApiError::not_found(ErrorCode::UnknownTicket, "No such ticket in your office.")
        })?;
    let counter = match action {
        Action::Call | Action::Recall | Action::Start => Some(my_counter(&s)?),
        _ => None,
    };
    let forward_to = match (action, &req.service_id) {
        (Action::Forward, Some(sid)) => {
            state
                .db
                .service(sid)
                .await?
                .filter(|svc| svc.office_id == office.id)
                .ok_or_else(|| {
                    ApiError::not_found(ErrorCode::UnknownService, "No such service to forward to.")
                        .field("service_id")
                })?;
            Some(sid.clone())
        }
        (Action::Forward, None) => {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidField,
                "Say which service to forward to.",
            )
            .field("service_id"));
        }
        _ => None,
    };
    let to = ticket
        .status
        .apply(action, ticket.call_count, office.rules.max_calls)
        .map_err(|e| ApiError::conflict(ErrorCode::IllegalTransition, e.to_string()))?;
    let now = state.clock.now_ms();
    let updated = state
        .db
        .transition(
            &ticket,
            action,
            to,
            &s.session.staff.username,
            counter.as_deref(),
            forward_to.as_deref(),
            now,
        )
        .await?
        .ok_or_else(|| {
            ApiError::conflict(
                ErrorCode::Changed,
                "Someone else changed this ticket just now; look again.",
            )
        })?;
    let name = match &updated.counter_id {
        Some(c) if to == TicketStatus::Called => Some(counter_name(&state, &office.id, c).await?),
        _ => None,
    };
    if updated.status == TicketStatus::Finished {
        state.estimators.record_finished(&updated);
    }
    announce(&state, &updated, name);
    Ok(Json(TicketView::new(&updated, None)))
}

#[utoipa::path(get, path = "/api/v1/staff/terminals", tag = "staff", responses((status = 200, body = [TerminalView])))]
pub async fn terminals(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<Vec<TerminalView>>, ApiError> {
    let now = state.clock.now_ms();
    let list = state.db.terminals(Some(s.office_id())).await?;
    Ok(Json(
        list.iter()
            .map(|t| TerminalView::new(t, now, state.settings.heartbeat_timeout_secs))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/admin/terminals", tag = "admin", responses((status = 200, body = [TerminalView])))]
pub async fn all_terminals(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<Vec<TerminalView>>, ApiError> {
    s.require(Role::Admin)?;
    let now = state.clock.now_ms();
    let list = state.db.terminals(None).await?;
    Ok(Json(
        list.iter()
            .map(|t| TerminalView::new(t, now, state.settings.heartbeat_timeout_secs))
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/staff/events", tag = "staff", responses((status = 200, description = "text/event-stream of Event")))]
pub async fn events(
    State(state): State<AppState>,
    s: StaffSession,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let office = s.office_id().to_owned();
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(move |e| match e {
        Ok(event) if event.office_id() == office => {
            let kind = match &event {
                Event::Ticket { .. } => "ticket",
                Event::Called { .. } => "called",
                Event::Terminal { .. } => "terminal",
            };
            SseEvent::default()
                .event(kind)
                .json_data(&event)
                .ok()
                .map(Ok)
        }
        Ok(_) => None,
        // A slow client missed events: tell it to reload the snapshot.
        Err(_) => Some(Ok(SseEvent::default().event("resync").data("{}"))),
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
