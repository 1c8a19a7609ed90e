//! API endpoints behind the staff console beyond the queue itself: statistics, supervisor
//! settings, terminal locks and help requests.

use axum::Router;

use super::AppState;

/// Routes nested under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
}
