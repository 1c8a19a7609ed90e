//! Web pages served by the back office: the staff console, the waiting-room call display and
//! the visitor's phone page, with their static assets.
//!
//! The pages are static HTML with plain JavaScript and CSS embedded in the binary (no build
//! step, nothing from a CDN). Everything live comes from the JSON API and its server-sent
//! events. Every page answer carries a strict Content-Security-Policy without inline script
//! or style, and the other security headers in [`headers`].

pub mod assets;
pub mod headers;
pub mod sound;

use axum::Router;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::api::state::AppState;

/// Routes of the pages and their assets (outside `/api/v1`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/console") }))
        .route(
            "/console",
            get(|| async { assets::page(assets::CONSOLE_HTML) }),
        )
        .route("/display", get(first_display))
        .route(
            "/display/{office_id}",
            get(|Path(_office): Path<String>| async { assets::page(assets::DISPLAY_HTML) }),
        )
        .route(
            "/t/{token}",
            get(|Path(_token): Path<String>| async { assets::page(assets::PHONE_HTML) }),
        )
        .route("/assets/{file}", get(asset))
        .layer(axum::middleware::from_fn(headers::security_headers))
}

/// `/display` without an office: the display of the first office (by name), if there is one.
async fn first_display(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.db.offices().await {
        Ok(offices) => match offices.first() {
            Some(office) => {
                Redirect::to(&format!("/display/{}", urlencode(&office.id))).into_response()
            }
            None => (axum::http::StatusCode::NOT_FOUND, "no office is configured").into_response(),
        },
        Err(e) => crate::api::error::ApiError::from(e).into_response(),
    }
}

/// An office id as a path segment.
fn urlencode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn asset(Path(file): Path<String>) -> Response {
    match assets::asset(&file) {
        Some(response) => response,
        None => (axum::http::StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
