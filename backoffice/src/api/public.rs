//! Public endpoints: health, the OpenAPI document, and a ticket's status for the visitor's
//! phone (by its unguessable token, valid until the end of the ticket's day; no personal data).

use axum::Json;
use axum::extract::{Path, State};

use super::error::ApiError;
use super::issue::{office_of, visitor_ticket};
use super::state::AppState;
use crate::queue;
use crate::store::catalog::Office;
use crate::store::tickets::TicketRow;
use terminal_api::{ErrorCode, VisitorTicket};

/// The ticket behind a phone page token, with its office, if the token is well-formed,
/// known, and from today; otherwise one and the same 404 (nothing to learn by guessing).
pub async fn todays_ticket(state: &AppState, token: &str) -> Result<(TicketRow, Office), ApiError> {
    let not_found = || {
        ApiError::not_found(
            ErrorCode::UnknownTicket,
            "This ticket is unknown or from another day.",
        )
    };
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let ticket = state
        .db
        .ticket_by_token(token)
        .await?
        .ok_or_else(not_found)?;
    let office = office_of(state, &ticket.office_id).await?;
    if ticket.day != queue::office_day(&office, state.clock.now()) {
        return Err(not_found());
    }
    Ok((ticket, office))
}

#[utoipa::path(get, path = "/api/v1/public/tickets/{token}", tag = "public",
    params(("token" = String, Path)),
    responses((status = 200, body = VisitorTicket), (status = 404, body = super::error::ErrorBody)))]
pub async fn ticket_status(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<VisitorTicket>, ApiError> {
    let (ticket, office) = todays_ticket(&state, &token).await?;
    Ok(Json(visitor_ticket(&state, &office, &ticket, None).await?))
}

#[utoipa::path(get, path = "/healthz", tag = "public", responses((status = 200, description = "ok")))]
pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.db.offices().await?;
    Ok("ok")
}
