//! The HTTP API (`/api/v1`, JSON): routes, the OpenAPI document generated from the handlers,
//! and the middleware every request passes (request id, error body, body limit).

pub mod console;
pub mod console_calls;
pub mod console_charts;
pub mod console_office;
pub mod console_services;
pub mod console_stats;
pub mod console_terminals;
pub mod error;
pub mod events;
pub mod idempotent;
pub mod in_flight;
pub mod issue;
pub mod json;
pub mod openapi;
pub mod public;
pub mod staff;
pub mod staff_auth;
pub mod state;
pub mod terminal;
pub mod terminal_auth;
pub mod views;

use axum::Router;
use axum::routing::{get, post};
use utoipa::OpenApi;

use self::openapi::SharedAnswers;

pub use state::{AppState, Settings};

/// Largest request body accepted (an offline upload of 500 tickets fits).
pub const BODY_LIMIT: usize = 256 * 1024;

#[derive(OpenApi)]
#[openapi(
    modifiers(&SharedAnswers),
    info(
        title = "Bürgerterminal back office",
        description = "Queues, appointments, tickets and terminals."
    ),
    paths(
        terminal::services,
        terminal::check_in,
        terminal::walk_in,
        terminal::heartbeat,
        terminal::offline_block,
        terminal::offline_tickets,
        staff::login,
        staff::logout,
        staff::me,
        staff::choose_counter,
        staff::queue_view,
        staff::call_next,
        staff::ticket_action,
        staff::terminals,
        staff::events,
        staff::all_terminals,
        public::ticket_status,
        public::healthz,
        console_services::list,
        console_services::update,
        console_services::counters,
        console_office::get_settings,
        console_office::put_settings,
        console_terminals::list,
        console_terminals::ack_help,
        console_terminals::lock,
        console_terminals::unlock,
        console_stats::stats,
        console_stats::csv,
        console_stats::chart,
        console_calls::recent,
        console_calls::events,
        console_calls::ticket_events,
    ),
    components(schemas(
        error::ErrorBody,
        events::Event,
        terminal_api::error::WrongCodeDetails,
        terminal_api::error::ThrottledDetails,
        terminal_api::error::WrongOfficeDetails,
        terminal_api::error::TooEarlyDetails,
        terminal_api::error::TooLateDetails,
        terminal_api::error::WalkInClosedDetails
    ))
)]
pub struct ApiDoc;

/// The API's routes (under `/api/v1`) and the health check; `app::router` adds the pages and
/// the layers every request passes.
pub fn routes() -> Router<AppState> {
    let api = Router::new()
        .route("/terminal/services", get(terminal::services))
        .route("/terminal/check-in", post(terminal::check_in))
        .route("/terminal/walk-in", post(terminal::walk_in))
        .route("/terminal/heartbeat", post(terminal::heartbeat))
        .route("/terminal/offline-block", post(terminal::offline_block))
        .route("/terminal/offline-tickets", post(terminal::offline_tickets))
        .route("/staff/login", post(staff::login))
        .route("/staff/logout", post(staff::logout))
        .route("/staff/me", get(staff::me))
        .route("/staff/counter", post(staff::choose_counter))
        .route("/staff/queue", get(staff::queue_view))
        .route("/staff/call-next", post(staff::call_next))
        .route("/staff/tickets/{id}/{action}", post(staff::ticket_action))
        .route("/staff/terminals", get(staff::terminals))
        .route("/staff/events", get(staff::events))
        .route("/admin/terminals", get(staff::all_terminals))
        .route("/public/tickets/{token}", get(public::ticket_status))
        .route(
            "/openapi.json",
            get(|| async { axum::Json(ApiDoc::openapi()) }),
        )
        .merge(console::routes());
    Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(public::healthz))
}
