//! Staff authentication: argon2-checked login, a Secure/HttpOnly/SameSite=Strict session
//! cookie, a CSRF token required on every state-changing call, and roles.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;

use super::error::ApiError;
use super::state::AppState;
use crate::store::staff::{Role, Session};
use terminal_api::ErrorCode;

pub const COOKIE: &str = "bt_session";

/// A logged-in staff member, with the CSRF check done for state-changing methods.
pub struct StaffSession {
    pub token: String,
    pub session: Session,
}

impl StaffSession {
    /// Refuses unless the member has at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.session.staff.role >= role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "This needs the {} role.",
                role.as_str()
            )))
        }
    }

    pub fn office_id(&self) -> &str {
        &self.session.staff.office_id
    }
}

fn cookie_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_token(parts).ok_or_else(|| ApiError::unauthorized("Please log in."))?;
        let session = state
            .db
            .session(&token, state.clock.now_ms())
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized("Your session has ended; please log in again.")
            })?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok());
            if sent != Some(session.csrf_token.as_str()) {
                return Err(
                    ApiError::forbidden("Missing or wrong CSRF token; reload the page.")
                        .with_code(ErrorCode::Csrf),
                );
            }
        }
        Ok(Self { token, session })
    }
}

/// Hashes a password with argon2id.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against its stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random token, hex.
pub fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}
