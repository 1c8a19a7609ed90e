//! A JSON extractor whose failures are [`ApiError`]s naming the offending field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use terminal_api::ErrorCode;

/// Like `axum::Json`, with our error body and the path of the field that failed.
pub struct ApiJson<T>(pub T);

/// The parsed value and the raw body, for idempotency hashing.
pub struct RawJson<T> {
    pub value: T,
    pub raw: Bytes,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for RawJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Send the body as application/json.",
            ));
        }
        let raw = Bytes::from_request(req, state).await.map_err(|e| {
            ApiError::new(
                e.status(),
                ErrorCode::BodyTooLarge,
                "The request body could not be read; it may be too large.",
            )
        })?;
        let value = parse(&raw)?;
        Ok(Self { value, raw })
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(RawJson::<T>::from_request(req, state).await?.value))
    }
}

/// Parses JSON, reporting the path of the field that failed.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let code = if inner.is_syntax() || inner.is_eof() {
            ErrorCode::MalformedJson
        } else {
            ErrorCode::InvalidField
        };
        let mut err =
            ApiError::bad_request(code, format!("The request body is not valid: {inner}"));
        if path != "." {
            err = err.field(path);
        }
        err
    })
}
