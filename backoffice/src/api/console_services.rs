//! Services as the console shows them (names for the queue table), the counters and who is at
//! them, and the supervisor's editor: texts, average processing time, walk-in hours, daily
//! quota, closed today.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::json::ApiJson;
use super::staff_auth::StaffSession;
use super::state::AppState;
use crate::domain::text::{Texts, clean};
use crate::domain::{ServiceRules, WalkInRules};
use crate::store::catalog::Service;
use crate::store::staff::Role;
use terminal_api::ErrorCode;

/// A service with everything a supervisor may change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsoleService {
    pub id: String,
    pub group_id: String,
    /// Ticket prefix letter of the service's group.
    pub prefix: String,
    pub names: Texts,
    pub waiting_area: Texts,
    pub average_minutes: u32,
    pub walk_in: WalkInRules,
    pub closed_today: bool,
}

fn view(s: Service, prefix: String) -> ConsoleService {
    ConsoleService {
        id: s.id,
        group_id: s.group_id,
        prefix,
        names: s.names,
        waiting_area: s.waiting_area,
        average_minutes: s.average_minutes,
        walk_in: s.rules.walk_in,
        closed_today: s.rules.closed_today,
    }
}

#[utoipa::path(get, path = "/api/v1/staff/console/services", tag = "console", responses((status = 200, body = [ConsoleService])))]
pub async fn list(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<Vec<ConsoleService>>, ApiError> {
    let groups = state.db.service_groups(s.office_id()).await?;
    let services = state.db.services(s.office_id()).await?;
    Ok(Json(
        services
            .into_iter()
            .map(|svc| {
                let prefix = groups
                    .iter()
                    .find(|g| g.id == svc.group_id)
                    .map(|g| g.prefix.to_string())
                    .unwrap_or_default();
                view(svc, prefix)
            })
            .collect(),
    ))
}

/// A supervisor's edit of one service.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceUpdate {
    pub names: Texts,
    pub waiting_area: Texts,
    pub average_minutes: u32,
    pub walk_in: WalkInRules,
    pub closed_today: bool,
}

const LANGUAGES: [&str; 6] = ["de", "en", "fr", "tr", "ar", "uk"];

fn clean_texts(texts: &Texts, field: &str) -> Result<Texts, ApiError> {
    let mut out = Texts::default();
    for (lang, text) in &texts.0 {
        if !LANGUAGES.contains(&lang.as_str()) {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidField,
                format!("Unknown language {lang:?}."),
            )
            .field(format!("{field}.{lang}")));
        }
        let text = clean(text, 120).map_err(|e| {
            ApiError::bad_request(ErrorCode::InvalidField, format!("{field}.{lang} {e}"))
                .field(format!("{field}.{lang}"))
        })?;
        out.0.insert(lang.clone(), text);
    }
    if out.get("de").is_empty() {
        return Err(
            ApiError::bad_request(ErrorCode::InvalidField, "The German text is required.")
                .field(format!("{field}.de")),
        );
    }
    Ok(out)
}

#[utoipa::path(put, path = "/api/v1/staff/console/services/{id}", tag = "console", request_body = ServiceUpdate,
    params(("id" = String, Path)),
    responses((status = 200, body = ConsoleService), (status = 403, description = "supervisor role needed", body = super::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    s: StaffSession,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ServiceUpdate>,
) -> Result<Json<ConsoleService>, ApiError> {
    s.require(Role::Supervisor)?;
    let service = state
        .db
        .service(&id)
        .await?
        .filter(|svc| svc.office_id == s.office_id())
        .ok_or_else(|| {
            ApiError::not_found(ErrorCode::UnknownService, "No such service in your office.")
        })?;
    let names = clean_texts(&req.names, "names")?;
    let waiting_area = clean_texts(&req.waiting_area, "waiting_area")?;
    if !(1..=480).contains(&req.average_minutes) {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "Average minutes must be between 1 and 480.",
        )
        .field("average_minutes"));
    }
    if req.walk_in.daily_quota.is_some_and(|q| q > 9999) {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "The daily quota is at most 9999.",
        )
        .field("walk_in.daily_quota"));
    }
    for (day, ranges) in req.walk_in.hours.0.iter().enumerate() {
        if ranges.len() > 8 || ranges.iter().any(|r| r.from >= r.until) {
            return Err(ApiError::bad_request(
                ErrorCode::InvalidField,
                "Each walk-in window must start before it ends (at most 8 a day).",
            )
            .field(format!("walk_in.hours[{day}]")));
        }
    }
    let rules = ServiceRules {
        walk_in: req.walk_in,
        closed_today: req.closed_today,
    };
    state
        .db
        .update_service_settings(
            &service.id,
            &names,
            &waiting_area,
            req.average_minutes,
            &rules,
        )
        .await?;
    tracing::info!(service = %service.id, "service settings changed");
    let prefix = state
        .db
        .service_groups(s.office_id())
        .await?
        .into_iter()
        .find(|g| g.id == service.group_id)
        .map(|g| g.prefix.to_string())
        .unwrap_or_default();
    let updated = state
        .db
        .service(&service.id)
        .await?
        .ok_or_else(ApiError::internal)?;
    Ok(Json(view(updated, prefix)))
}

/// A counter and the staff logged in at it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CounterView {
    pub id: String,
    pub name: String,
    /// Display names of the staff members working there now (empty: unstaffed).
    pub staff: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/staff/console/counters", tag = "console", responses((status = 200, body = [CounterView])))]
pub async fn counters(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<Vec<CounterView>>, ApiError> {
    let occupancy = state
        .db
        .counter_occupancy(s.office_id(), state.clock.now_ms())
        .await?;
    let counters = state.db.counters(s.office_id()).await?;
    Ok(Json(
        counters
            .into_iter()
            .map(|c| CounterView {
                staff: occupancy
                    .iter()
                    .filter(|(id, _)| *id == c.id)
                    .map(|(_, name)| name.clone())
                    .collect(),
                id: c.id,
                name: c.name,
            })
            .collect(),
    ))
}
