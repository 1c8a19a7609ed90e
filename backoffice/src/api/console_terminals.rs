//! The console's terminal panel: every terminal of the office with its problems sorted out,
//! help requests and their acknowledgement, and a supervisor's lock with a message.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::events::Event;
use super::json::ApiJson;
use super::staff_auth::StaffSession;
use super::state::AppState;
use super::views::{TerminalView, rfc3339};
use crate::domain::text::clean;
use crate::store::console_desk::TerminalLock;
use crate::store::staff::Role;
use crate::store::terminals::Terminal;
use terminal_api::{DeviceCondition, DeviceReport, ErrorCode};

/// A problem the front desk should see, with how bad it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `offline`, or the device (`ticket_printer`, `scanner`, …).
    pub device: String,
    /// `offline`, `paper_low`, `paper_out`, `cover_open`, `absent`, `error`, …
    pub state: String,
    /// `warning` (still works) or `error` (does not work).
    pub severity: String,
    pub detail: Option<String>,
}

/// A visitor's open help request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HelpView {
    /// When the visitor asked.
    pub requested_at: String,
    pub acknowledged: bool,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
}

/// A supervisor's lock.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LockView {
    pub message: String,
    pub locked_by: String,
    pub locked_at: String,
}

/// A terminal as the console's health panel shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConsoleTerminal {
    #[serde(flatten)]
    pub terminal: TerminalView,
    pub problems: Vec<Problem>,
    pub help: Option<HelpView>,
    pub lock: Option<LockView>,
}

/// Sorts a terminal's device reports into problems; `ok` is none.
pub fn problems(online: bool, devices: &[DeviceReport]) -> Vec<Problem> {
    let mut list = Vec::new();
    if !online {
        list.push(Problem {
            device: "terminal".into(),
            state: "offline".into(),
            severity: "error".into(),
            detail: None,
        });
    }
    for d in devices.iter().filter(|d| d.state != DeviceCondition::Ok) {
        let severity = if d.state.still_works() {
            "warning"
        } else {
            "error"
        };
        list.push(Problem {
            device: enum_text(&d.device),
            state: enum_text(&d.state),
            severity: severity.into(),
            detail: d.detail.clone(),
        });
    }
    list
}

/// A contract enum's wire text (`ticket_printer`, `paper_out`, …).
fn enum_text(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The open help request's time as stored with its acknowledgement.
fn help_request(t: &Terminal) -> Option<String> {
    t.help_requested_at.map(rfc3339)
}

#[utoipa::path(get, path = "/api/v1/staff/console/terminals", tag = "console", responses((status = 200, body = [ConsoleTerminal])))]
pub async fn list(
    State(state): State<AppState>,
    s: StaffSession,
) -> Result<Json<Vec<ConsoleTerminal>>, ApiError> {
    let now = state.clock.now_ms();
    let terminals = state.db.terminals(Some(s.office_id())).await?;
    let acks = state.db.help_acks().await?;
    let locks = state.db.terminal_locks().await?;
    let mut out = Vec::with_capacity(terminals.len());
    for t in &terminals {
        let view = TerminalView::new(t, now, state.settings.heartbeat_timeout_secs);
        let ack = acks.iter().find(|a| a.terminal_id == t.id);
        let help = match help_request(t) {
            Some(requested_at) => {
                let ack = ack.filter(|a| a.request_detail == requested_at);
                Some(HelpView {
                    requested_at,
                    acknowledged: ack.is_some(),
                    acknowledged_by: ack.map(|a| a.acked_by.clone()),
                    acknowledged_at: ack.map(|a| rfc3339(a.acked_at)),
                })
            }
            None => {
                // The terminal stopped asking: a later request must ring again.
                if ack.is_some() {
                    state.db.clear_help_ack(&t.id).await?;
                }
                None
            }
        };
        let lock = locks
            .iter()
            .find(|l| l.terminal_id == t.id)
            .map(|l| LockView {
                message: l.message.clone(),
                locked_by: l.locked_by.clone(),
                locked_at: rfc3339(l.locked_at),
            });
        out.push(ConsoleTerminal {
            problems: problems(view.online, &t.health),
            terminal: view,
            help,
            lock,
        });
    }
    Ok(Json(out))
}

async fn office_terminal(
    state: &AppState,
    s: &StaffSession,
    id: &str,
) -> Result<Terminal, ApiError> {
    state
        .db
        .terminals(Some(s.office_id()))
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| {
            ApiError::not_found(
                ErrorCode::UnknownTerminal,
                "No such terminal in your office.",
            )
        })
}

/// Tells every console of the office to reload its terminal panel.
fn announce(state: &AppState, t: &Terminal) {
    state.publish(Event::Terminal {
        office_id: t.office_id.clone(),
        terminal: TerminalView::new(
            t,
            state.clock.now_ms(),
            state.settings.heartbeat_timeout_secs,
        ),
    });
}

#[utoipa::path(post, path = "/api/v1/staff/console/terminals/{id}/help-ack", tag = "console",
    params(("id" = String, Path)),
    responses((status = 204), (status = 409, description = "no_help_request", body = super::error::ErrorBody)))]
pub async fn ack_help(
    State(state): State<AppState>,
    s: StaffSession,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    s.require(Role::Staff)?;
    let t = office_terminal(&state, &s, &id).await?;
    let request = help_request(&t).ok_or_else(|| {
        ApiError::conflict(
            ErrorCode::NoHelpRequest,
            "This terminal is not asking for help.",
        )
    })?;
    state
        .db
        .ack_help(
            &t.id,
            &request,
            state.clock.now_ms(),
            &s.session.staff.username,
        )
        .await?;
    tracing::info!(terminal = %t.id, "help request acknowledged");
    announce(&state, &t);
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// The message a locked terminal shows.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockRequest {
    /// What the terminal shows instead of the start screen: some visible text, at most 200
    /// characters, no control characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF][^\\u0000-\\u001F\\u007F-\\u009F\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]*$"
    )]
    pub message: String,
}

#[utoipa::path(post, path = "/api/v1/staff/console/terminals/{id}/lock", tag = "console", request_body = LockRequest,
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, description = "supervisor role needed", body = super::error::ErrorBody)))]
pub async fn lock(
    State(state): State<AppState>,
    s: StaffSession,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<LockRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    s.require(Role::Supervisor)?;
    let message = clean(&req.message, 200).map_err(|e| {
        ApiError::bad_request(ErrorCode::InvalidField, format!("message {e}")).field("message")
    })?;
    if message.is_empty() {
        return Err(ApiError::bad_request(
            ErrorCode::InvalidField,
            "Say what the terminal should show.",
        )
        .field("message"));
    }
    let t = office_terminal(&state, &s, &id).await?;
    let lock = TerminalLock {
        terminal_id: t.id.clone(),
        message,
        locked_at: state.clock.now_ms(),
        locked_by: s.session.staff.username.clone(),
    };
    state.db.lock_terminal(&lock).await?;
    tracing::info!(terminal = %t.id, "terminal locked");
    announce(&state, &t);
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/staff/console/terminals/{id}/unlock", tag = "console",
    params(("id" = String, Path)),
    responses((status = 204), (status = 403, description = "supervisor role needed", body = super::error::ErrorBody)))]
pub async fn unlock(
    State(state): State<AppState>,
    s: StaffSession,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    s.require(Role::Supervisor)?;
    let t = office_terminal(&state, &s, &id).await?;
    state.db.unlock_terminal(&t.id).await?;
    tracing::info!(terminal = %t.id, "terminal unlocked");
    announce(&state, &t);
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminal_api::DeviceKind;

    fn dev(device: DeviceKind, state: DeviceCondition) -> DeviceReport {
        DeviceReport {
            device,
            state,
            detail: None,
        }
    }

    #[test]
    fn sorts_reports_into_problems() {
        let p = problems(
            true,
            &[
                dev(DeviceKind::TicketPrinter, DeviceCondition::PaperLow),
                dev(DeviceKind::Scanner, DeviceCondition::Absent),
                dev(DeviceKind::CardReader, DeviceCondition::Ok),
            ],
        );
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.device.as_str(), p.severity.as_str()))
            .collect();
        assert_eq!(got, [("ticket_printer", "warning"), ("scanner", "error")]);
        assert_eq!(problems(false, &[])[0].state, "offline");
    }
}
