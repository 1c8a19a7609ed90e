//! Endpoints for terminals (mutual TLS): services now, check-in, walk-in, heartbeat.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use terminal_api::{
    CheckInRequest, ErrorCode, GroupView, HeartbeatRequest, HeartbeatResponse, OfflineBlock,
    OfflineBlockRequest, OfflineResult, OfflineUpload, ServiceView, ServicesResponse,
    TicketResponse, WalkInRequest, heartbeat, offline,
};

use super::error::ApiError;
use super::events::Event;
use super::json::{ApiJson, RawJson};
use super::state::AppState;
use super::terminal_auth::CallingTerminal;
use super::views::{self, TerminalView};
use super::{idempotent, issue};
use crate::domain::availability::walk_in_availability;
use crate::domain::text::plain;

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
                        name: s.names.0.clone(),
                        waiting_area: s.waiting_area.0.clone(),
                        state: views::service_state(a.state),
                        reason: a.reason.map(views::closed_reason),
                        next_opening: a.next_opening,
                    }
                })
                .collect(),
            id: g.id,
            prefix: g.prefix.to_string(),
            name: g.names.0,
        })
        .collect();
    Ok(Json(ServicesResponse {
        office_id: office.id,
        office_name: office.name,
        office_address: office.address,
        groups,
    }))
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
    let app = plain(&request.app_version, heartbeat::MAX_VERSION_CHARS)
        .map(str::to_owned)
        .map_err(|e| {
            ApiError::bad_request(ErrorCode::InvalidField, format!("app_version {e}"))
                .field("app_version")
        })?;
    let config = plain(&request.config_version, heartbeat::MAX_VERSION_CHARS)
        .map(str::to_owned)
        .map_err(|e| {
            ApiError::bad_request(ErrorCode::InvalidField, format!("config_version {e}"))
                .field("config_version")
        })?;
    if request.devices.len() > heartbeat::MAX_DEVICES {
        return Err(
            ApiError::bad_request(ErrorCode::InvalidField, "At most 32 devices.").field("devices"),
        );
    }
    for (i, d) in request.devices.iter().enumerate() {
        if let Some(detail) = &d.detail {
            plain(detail, heartbeat::MAX_DETAIL_CHARS).map_err(|e| {
                ApiError::bad_request(ErrorCode::InvalidField, format!("detail {e}"))
                    .field(format!("devices[{i}].detail"))
            })?;
        }
    }
    let now = state.clock.now_ms();
    let help = request
        .help
        .as_ref()
        .map(|h| h.requested_at.as_millisecond());
    state
        .db
        .record_heartbeat(&terminal.id, now, &app, &config, &request.devices, help)
        .await?;
    if terminal.health != request.devices
        || terminal.help_requested_at != help
        || terminal
            .last_heartbeat
            .is_none_or(|h| now - h > state.settings.heartbeat_timeout_secs * 1000)
    {
        let mut updated = terminal.clone();
        updated.last_heartbeat = Some(now);
        updated.app_version = Some(app);
        updated.config_version = Some(config);
        updated.health = request.devices;
        updated.help_requested_at = help;
        state.publish(Event::Terminal {
            office_id: terminal.office_id.clone(),
            terminal: TerminalView::new(&updated, now, state.settings.heartbeat_timeout_secs),
        });
    }
    let locked_message = state.db.terminal_lock_message(&terminal.id).await?;
    Ok(Json(HeartbeatResponse {
        server_time: views::timestamp(now),
        locked_message,
    }))
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
            if !(1..=offline::MAX_BLOCK).contains(&count) {
                return Err(ApiError::bad_request(
                    ErrorCode::InvalidField,
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
                    ErrorCode::OfflineNumbersExhausted,
                    "No offline numbers left for today.",
                ));
            };
            let block = OfflineBlock {
                day: day.parse().map_err(|_| ApiError::internal())?,
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
            if upload.tickets.len() > offline::MAX_UPLOAD {
                return Err(ApiError::bad_request(
                    ErrorCode::InvalidField,
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
