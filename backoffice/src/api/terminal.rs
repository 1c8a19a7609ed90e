//! Endpoints for terminals (mutual TLS): services now, check-in, walk-in, heartbeat.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::error::ApiError;
use super::events::Event;
use super::json::{ApiJson, RawJson};
use super::state::AppState;
use super::terminal_auth::CallingTerminal;
use super::views::{TerminalView, VisitorTicket, rfc3339};
use super::{idempotent, issue};
use crate::domain::availability::{ClosedReason, ServiceState, walk_in_availability};
use crate::domain::text::{Texts, clean};
use crate::store::terminals::DeviceHealth;

/// One service as the terminal shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceView {
    pub id: String,
    pub name: Texts,
    pub waiting_area: Texts,
    pub state: ServiceState,
    pub reason: Option<ClosedReason>,
    /// Office-local date-time walk-ins are taken again (`2026-11-27T08:00:00`).
    pub next_opening: Option<String>,
}

/// A group of services with its ticket prefix.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: String,
    pub prefix: String,
    pub name: Texts,
    pub services: Vec<ServiceView>,
}

/// The service tree of the terminal's office, with each service's state now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServicesResponse {
    pub office_id: String,
    pub office_name: String,
    pub office_address: String,
    pub groups: Vec<GroupView>,
}

#[utoipa::path(get, path = "/api/v1/terminal/services", tag = "terminal",
    responses((status = 200, body = ServicesResponse), (status = 401, body = super::error::ErrorBody)))]
pub async fn services(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
) -> Result<Json<ServicesResponse>, ApiError> {
    let office = issue::office_of(&state, &terminal.office_id).await?;
    let now = state.clock.now();
    let day = crate::queue::office_day(&office, now);
    let counts = state.db.walk_in_counts(&office.id, &day).await?;
    let zoned = now.to_zoned(office.timezone.clone());
    let services = state.db.services(&office.id).await?;
    let groups = state
        .db
        .service_groups(&office.id)
        .await?
        .into_iter()
        .map(|g| GroupView {
            services: services
                .iter()
                .filter(|s| s.group_id == g.id)
                .map(|s| {
                    let a = walk_in_availability(
                        &office.rules,
                        &s.rules,
                        &zoned,
                        counts.get(&s.id).copied().unwrap_or(0),
                    );
                    ServiceView {
                        id: s.id.clone(),
                        name: s.names.clone(),
                        waiting_area: s.waiting_area.clone(),
                        state: a.state,
                        reason: a.reason,
                        next_opening: a.next_opening.map(|d| d.to_string()),
                    }
                })
                .collect(),
            id: g.id,
            prefix: g.prefix.to_string(),
            name: g.names,
        })
        .collect();
    Ok(Json(ServicesResponse {
        office_id: office.id,
        office_name: office.name,
        office_address: office.address,
        groups,
    }))
}

/// A check-in with the booking number and its code.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// The booking number, 6 to 10 digits.
    pub booking_number: String,
    /// The short code from the confirmation, 4 or 5 letters and digits.
    pub code: String,
}

/// The outcome of a successful check-in or walk-in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketResponse {
    /// `checked_in`, `already_checked_in` or `walk_in`.
    pub outcome: String,
    pub ticket: VisitorTicket,
}

#[utoipa::path(post, path = "/api/v1/terminal/check-in", tag = "terminal", request_body = CheckInRequest,
    params(("Idempotency-Key" = String, Header, description = "unique per attempt; a retry reuses it")),
    responses(
        (status = 201, description = "checked in", body = TicketResponse),
        (status = 200, description = "already checked in: the same ticket again", body = TicketResponse),
        (status = 404, description = "unknown_booking", body = super::error::ErrorBody),
        (status = 422, description = "wrong_code", body = super::error::ErrorBody),
        (status = 429, description = "throttled", body = super::error::ErrorBody),
        (status = 409, description = "wrong_office, too_early, too_late", body = super::error::ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
    headers: HeaderMap,
    body: RawJson<CheckInRequest>,
) -> Response {
    let key = match idempotent::key(&headers) {
        Ok(k) => k,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let request = body.value;
    idempotent::run_storing(
        &state,
        &terminal.id,
        &key,
        "check-in",
        &body.raw,
        |answer| {
            let (state, terminal, request) = (&state, &terminal, &request);
            async move { issue::check_in(state, terminal, request, &answer).await }
        },
    )
    .await
}

/// A walk-in ticket for a service.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInRequest {
    pub service_id: String,
}

#[utoipa::path(post, path = "/api/v1/terminal/walk-in", tag = "terminal", request_body = WalkInRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = TicketResponse),
        (status = 409, description = "service_closed, quota_exhausted, walk_in_not_today", body = super::error::ErrorBody),
        (status = 404, description = "unknown_service", body = super::error::ErrorBody)))]
pub async fn walk_in(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
    headers: HeaderMap,
    body: RawJson<WalkInRequest>,
) -> Response {
    let key = match idempotent::key(&headers) {
        Ok(k) => k,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let request = body.value;
    idempotent::run_storing(&state, &terminal.id, &key, "walk-in", &body.raw, |answer| {
        let (state, terminal, service) = (&state, &terminal, &request.service_id);
        async move { issue::walk_in(state, terminal, service, &answer).await }
    })
    .await
}

/// What a terminal reports every few seconds.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatRequest {
    pub app_version: String,
    pub config_version: String,
    #[serde(default)]
    pub devices: Vec<DeviceHealth>,
}

/// The back office's answer to a heartbeat.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HeartbeatResponse {
    pub server_time: String,
    /// Set while a supervisor has locked the terminal: show this message instead of the
    /// start screen until a heartbeat answers without it.
    pub locked_message: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/terminal/heartbeat", tag = "terminal", request_body = HeartbeatRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = HeartbeatResponse), (status = 400, body = super::error::ErrorBody)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
    headers: HeaderMap,
    ApiJson(request): ApiJson<HeartbeatRequest>,
) -> Result<Json<HeartbeatResponse>, ApiError> {
    // A heartbeat is a state report: repeating it is harmless, so the key is only checked.
    idempotent::key(&headers)?;
    let app = clean(&request.app_version, 40).map_err(|e| {
        ApiError::bad_request("invalid_field", format!("app_version {e}")).field("app_version")
    })?;
    let config = clean(&request.config_version, 40).map_err(|e| {
        ApiError::bad_request("invalid_field", format!("config_version {e}"))
            .field("config_version")
    })?;
    if request.devices.len() > 32 {
        return Err(ApiError::bad_request("invalid_field", "At most 32 devices.").field("devices"));
    }
    for (i, d) in request.devices.iter().enumerate() {
        for (name, value, max) in [
            ("device", Some(&d.device), 40),
            ("state", Some(&d.state), 40),
            ("detail", d.detail.as_ref(), 200),
        ] {
            if let Some(v) = value {
                clean(v, max).map_err(|e| {
                    ApiError::bad_request("invalid_field", format!("{name} {e}"))
                        .field(format!("devices[{i}].{name}"))
                })?;
            }
        }
    }
    let now = state.clock.now_ms();
    state
        .db
        .record_heartbeat(&terminal.id, now, &app, &config, &request.devices)
        .await?;
    if terminal.health != request.devices
        || terminal
            .last_heartbeat
            .is_none_or(|h| now - h > state.settings.heartbeat_timeout_secs * 1000)
    {
        let mut updated = terminal.clone();
        updated.last_heartbeat = Some(now);
        updated.app_version = Some(app);
        updated.config_version = Some(config);
        updated.health = request.devices;
        state.publish(Event::Terminal {
            office_id: terminal.office_id.clone(),
            terminal: TerminalView::new(&updated, now, state.settings.heartbeat_timeout_secs),
        });
    }
    let locked_message = state.db.terminal_lock_message(&terminal.id).await?;
    Ok(Json(HeartbeatResponse {
        server_time: rfc3339(now),
        locked_message,
    }))
}

/// How many offline numbers to reserve.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineBlockRequest {
    pub count: u32,
}

/// Numbers the terminal may hand out while the back office is unreachable, today.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflineBlock {
    pub day: String,
    pub prefix: String,
    pub first: u32,
    pub last: u32,
}

#[utoipa::path(post, path = "/api/v1/terminal/offline-block", tag = "terminal", request_body = OfflineBlockRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = OfflineBlock), (status = 409, description = "offline_numbers_exhausted", body = super::error::ErrorBody)))]
pub async fn offline_block(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
    headers: HeaderMap,
    body: RawJson<OfflineBlockRequest>,
) -> Response {
    let key = match idempotent::key(&headers) {
        Ok(k) => k,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let count = body.value.count;
    idempotent::run(
        &state,
        &terminal.id,
        &key,
        "offline-block",
        &body.raw,
        || async {
            if !(1..=200).contains(&count) {
                return Err(ApiError::bad_request(
                    "invalid_field",
                    "count must be between 1 and 200.",
                )
                .field("count"));
            }
            let office = issue::office_of(&state, &terminal.office_id).await?;
            let day = crate::queue::office_day(&office, state.clock.now());
            let Some((first, last)) = state
                .db
                .allocate_offline_block(
                    &terminal.id,
                    &office.id,
                    &day,
                    office.offline_prefix,
                    count,
                )
                .await?
            else {
                return Err(ApiError::conflict(
                    "offline_numbers_exhausted",
                    "No offline numbers left for today.",
                ));
            };
            let block = OfflineBlock {
                day,
                prefix: office.offline_prefix.to_string(),
                first,
                last,
            };
            Ok((
                StatusCode::CREATED,
                serde_json::to_value(block).map_err(|_| ApiError::internal())?,
            ))
        },
    )
    .await
}

/// Tickets a terminal printed while offline.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineUpload {
    pub tickets: Vec<OfflineTicket>,
}

/// One ticket printed offline.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineTicket {
    pub display_number: String,
    pub service_id: String,
    /// When it was printed (RFC 3339).
    pub issued_at: String,
    /// The booking the visitor checked in with, if any; reconciled now.
    #[serde(default)]
    pub booking_number: Option<String>,
}

/// What became of each uploaded ticket.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfflineResult {
    pub display_number: String,
    /// `accepted`, `duplicate` or `rejected`.
    pub result: String,
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/terminal/offline-tickets", tag = "terminal", request_body = OfflineUpload,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = [OfflineResult])))]
pub async fn offline_tickets(
    State(state): State<AppState>,
    CallingTerminal(terminal): CallingTerminal,
    headers: HeaderMap,
    body: RawJson<OfflineUpload>,
) -> Response {
    let key = match idempotent::key(&headers) {
        Ok(k) => k,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    let upload = body.value;
    idempotent::run(
        &state,
        &terminal.id,
        &key,
        "offline-tickets",
        &body.raw,
        || async {
            if upload.tickets.len() > 500 {
                return Err(ApiError::bad_request(
                    "invalid_field",
                    "At most 500 tickets per upload.",
                )
                .field("tickets"));
            }
            let mut results = Vec::with_capacity(upload.tickets.len());
            for t in &upload.tickets {
                results.push(issue::offline_ticket(&state, &terminal, t).await?);
            }
            Ok((
                StatusCode::OK,
                Value::Array(results.into_iter().map(|r| json!(r)).collect()),
            ))
        },
    )
    .await
}
