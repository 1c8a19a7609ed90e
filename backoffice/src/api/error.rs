//! The one error body every endpoint answers with, and the request id that ties it to the log.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;

pub use terminal_api::{ErrorBody, ErrorCode, ErrorDetail};

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            details: None,
        }
    }

    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            message,
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "The back office could not complete the request; try again shortly.",
        )
    }
}

/// A storage failure by its kind: the database out of reach is 503 (terminals go offline and
/// retry); a bug or corrupt data is 500 with an error in the log (never "offline").
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        let source = std::error::Error::source(&error).map(ToString::to_string);
        if error.is_unavailable() {
            tracing::warn!(error = %error, source, "database unavailable");
            Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::StorageUnavailable,
                "The back office cannot reach its database; try again shortly.",
            )
        } else {
            tracing::error!(error = %error, source, "storage failure: a bug or corrupt data");
            Self::internal()
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The `x-request-id` header every request and answer carries.
pub const REQUEST_ID: &str = "x-request-id";

/// Whether a client's request id may be kept (short, letters, digits and dashes): others are
/// replaced, so nothing odd reaches the logs.
fn usable_request_id(value: &HeaderValue) -> bool {
    value
        .to_str()
        .is_ok_and(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Middleware (outermost): drops a request id that is not [`usable_request_id`], so
/// tower-http's `SetRequestId` gives the request a new one.
pub async fn drop_unusable_request_id(mut req: Request, next: Next) -> Response {
    if req
        .headers()
        .get(REQUEST_ID)
        .is_some_and(|v| !usable_request_id(v))
    {
        req.headers_mut().remove(REQUEST_ID);
    }
    next.run(req).await
}

/// New request ids: UUID v4.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewRequestId;

impl tower_http::request_id::MakeRequestId for NewRequestId {
    fn make_request_id<B>(
        &mut self,
        _: &axum::http::Request<B>,
    ) -> Option<tower_http::request_id::RequestId> {
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .ok()
            .map(tower_http::request_id::RequestId::new)
    }
}

/// The span of one request: its id, method and route, so one log search finds everything the
/// request did. No query strings (tokens could be in them).
pub fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route)
}

/// Middleware (inside the request span): renders [`ApiError`]s (including axum's own
/// rejections turned into them) as [`ErrorBody`] with the request's id.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut response = next.run(req).await;
    let error = response.extensions_mut().remove::<ApiError>().or_else(|| {
        // Errors from outside our handlers (unknown route, wrong method, body too large).
        let status = response.status();
        let fallback = |code: ErrorCode, message: &str| Some(ApiError::new(status, code, message));
        match status {
            StatusCode::NOT_FOUND => fallback(ErrorCode::NotFound, "No such endpoint."),
            StatusCode::METHOD_NOT_ALLOWED => fallback(
                ErrorCode::MethodNotAllowed,
                "This endpoint does not take that method.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => {
                fallback(ErrorCode::BodyTooLarge, "The request body is too large.")
            }
            // axum's own rejections of a path segment or query string.
            StatusCode::BAD_REQUEST => fallback(
                ErrorCode::InvalidField,
                "The address is not valid: check the path and the query parameters.",
            ),
            _ => None,
        }
    });
    if let Some(e) = error {
        let body = ErrorBody {
            error: ErrorDetail {
                code: e.code,
                message: e.message,
                field: e.field,
                details: e.details,
                request_id: id,
            },
        };
        let mut rendered = (e.status, Json(body)).into_response();
        for (name, value) in response.headers() {
            if name == "retry-after" || name == "set-cookie" {
                rendered.headers_mut().insert(name.clone(), value.clone());
            }
        }
        response = rendered;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_503_a_bug_or_corrupt_data_500() {
        let unavailable = [
            StoreError::Db(sqlx::Error::PoolTimedOut),
            StoreError::Db(sqlx::Error::PoolClosed),
            StoreError::CommitFailed("disk I/O error".into()),
        ];
        for e in unavailable {
            let api = ApiError::from(e);
            assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(api.code, ErrorCode::StorageUnavailable);
        }
        let bugs = [
            StoreError::Corrupt("ticket without office".into()),
            StoreError::Db(sqlx::Error::RowNotFound),
            StoreError::Db(sqlx::Error::ColumnNotFound("x".into())),
            StoreError::Json(serde_json::from_str::<u8>("x").unwrap_err()),
        ];
        for e in bugs {
            let api = ApiError::from(e);
            assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(api.code, ErrorCode::Internal);
        }
    }
}
