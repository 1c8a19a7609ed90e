//! Web pages served by the back office: the staff console, the waiting-room call display and
//! the visitor's phone page, with their static assets.

use axum::Router;

use crate::api::AppState;

/// Routes of the pages and their assets (outside `/api/v1`).
pub fn router() -> Router<AppState> {
    Router::new()
}
