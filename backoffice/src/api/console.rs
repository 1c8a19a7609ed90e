//! API endpoints behind the staff console beyond the queue itself: statistics, supervisor
//! settings, terminal locks and help requests, and the public streams of the waiting-room
//! display and the visitor's phone page.

use axum::Router;
use axum::routing::{get, post, put};

use super::AppState;
use super::{console_calls, console_office, console_services, console_stats, console_terminals};

/// Routes nested under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/console/services", get(console_services::list))
        .route(
            "/staff/console/services/{id}",
            put(console_services::update),
        )
        .route("/staff/console/counters", get(console_services::counters))
        .route(
            "/staff/console/office",
            get(console_office::get_settings).put(console_office::put_settings),
        )
        .route("/staff/console/terminals", get(console_terminals::list))
        .route(
            "/staff/console/terminals/{id}/help-ack",
            post(console_terminals::ack_help),
        )
        .route(
            "/staff/console/terminals/{id}/lock",
            post(console_terminals::lock),
        )
        .route(
            "/staff/console/terminals/{id}/unlock",
            post(console_terminals::unlock),
        )
        .route("/staff/console/stats", get(console_stats::stats))
        .route("/staff/console/stats.csv", get(console_stats::csv))
        .route(
            "/staff/console/stats/charts/{chart}",
            get(console_stats::chart),
        )
        .route(
            "/public/offices/{office_id}/calls",
            get(console_calls::recent),
        )
        .route(
            "/public/offices/{office_id}/calls/events",
            get(console_calls::events),
        )
        .route(
            "/public/tickets/{token}/events",
            get(console_calls::ticket_events),
        )
}
