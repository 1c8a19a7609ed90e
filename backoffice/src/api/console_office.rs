//! The office settings a supervisor may change from the console: the traffic-light
//! thresholds of the queues and after how many unanswered calls a visitor is a no-show.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::issue::office_of;
use super::json::ApiJson;
use super::staff_auth::StaffSession;
use super::state::AppState;
use crate::store::staff::Role;
use terminal_api::ErrorCode;

/// The office's front-desk settings.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeSettings {
    /// Green up to the first number waiting, yellow up to the second, red above; the first
    /// below the second, the second at most 999.
    #[schema(value_type = Vec<u32>, min_items = 2, max_items = 2)]
    pub traffic_light: [u32; 2],
    /// Calls without the visitor turning up before a recall makes a no-show.
    #[schema(minimum = 1, maximum = 10)]
    pub max_calls: u32,
}

#[utoipa::path(get, path = "/api/v1/staff/console/office", tag = "console", responses((status = 200, body = OfficeSettings)))]
pub async fn get_settings(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<OfficeSettings>, ApiError> {
    let office = office_of(&state, s.office_id()).await?;
    Ok(Json(OfficeSettings {
        traffic_light: office.rules.traffic_light,
        max_calls: office.rules.max_calls,
    }))
}

#[utoipa::path(put, path = "/api/v1/staff/console/office", tag = "console", request_body = OfficeSettings,
    responses((status = 200, body = OfficeSettings), (status = 403, description = "supervisor role needed", body = super::error::ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    s: StaffSession,
    ApiJson(req): ApiJson<OfficeSettings>,
) -> Result<Json<OfficeSettings>, ApiError> {
    s.require(Role::Supervisor)?;
    let [green, yellow] = req.traffic_light;
    if green >= yellow || yellow > 999 {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "Green must end below yellow (at most 999).",
        )
        .field("traffic_light"));
    }
    if !(1..=10).contains(&req.max_calls) {
        return Err(
            ApiError::bad_request(ErrorCode::InvalidField, "Between 1 and 10 calls.")
                .field("max_calls"),
        );
    }
    let mut office = office_of(&state, s.office_id()).await?;
    office.rules.traffic_light = req.traffic_light;
    office.rules.max_calls = req.max_calls;
    state
        .db
        .update_office_rules(&office.id, &office.rules)
        .await?;
    tracing::info!(office = %office.id, "front-desk settings changed");
    Ok(Json(req))
}
