//! Terminals authenticate with their client certificate (mutual TLS); this extractor turns
//! the connection's certificate into the [`Terminal`] it belongs to.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::ApiError;
use super::state::AppState;
use crate::store::terminals::Terminal;
use crate::tls::PeerCertificate;
use terminal_api::ErrorCode;

/// The calling terminal.
pub struct CallingTerminal(pub Terminal);

impl FromRequestParts<AppState> for CallingTerminal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(fingerprint) = parts
            .extensions
            .get::<PeerCertificate>()
            .and_then(|p| p.0.clone())
        else {
            return Err(ApiError::unauthorized(
                "Terminal endpoints need the terminal's client certificate (mutual TLS); enroll the terminal first.",
            )
            .with_code(ErrorCode::ClientCertificateRequired));
        };
        match state.db.terminal_by_fingerprint(&fingerprint).await? {
            Some(t) => Ok(Self(t)),
            None => Err(
                ApiError::forbidden("This certificate belongs to no enrolled terminal.")
                    .with_code(ErrorCode::UnknownTerminal),
            ),
        }
    }
}
