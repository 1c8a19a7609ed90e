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

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(error = %error, source = ?std::error::Error::source(&error), "storage failure");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageUnavailable,
            "The back office cannot reach its database; try again shortly.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Request id for a request: the one the client sent (if sane) or a new one.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Middleware: gives every request an id, echoes it in `x-request-id`, and renders
/// [`ApiError`]s (including axum's own rejections turned into them) as [`ErrorBody`].
pub async fn request_id_and_errors(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
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
                request_id: id.clone(),
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
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}
