//! Runs a terminal POST at most once per `Idempotency-Key`: a retry gets the first answer,
//! the same key with a different body is refused (422), a duplicate still running gets 409.

use std::future::Future;

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use super::state::AppState;
use crate::store::now_ms;
use terminal_api::{ErrorCode, paths};

/// The validated `Idempotency-Key` header.
pub fn key(headers: &HeaderMap) -> Result<String, ApiError> {
    let value = headers.get(paths::IDEMPOTENCY_KEY).ok_or_else(|| {
        ApiError::bad_request(
            ErrorCode::IdempotencyKeyMissing,
            "Send an Idempotency-Key header with every POST.",
        )
        .field("Idempotency-Key")
    })?;
    value
        .to_str()
        .ok()
        .filter(|k| paths::valid_idempotency_key(k))
        .map(str::to_owned)
        .ok_or_else(|| {
            ApiError::bad_request(
                ErrorCode::IdempotencyKeyInvalid,
                "The Idempotency-Key must be 8 to 100 visible ASCII characters.",
            )
            .field("Idempotency-Key")
        })
}

/// A key still pending after this long belongs to a request that died with the process.
const ABANDONED_AFTER_MS: i64 = 30_000;

/// Names where a request's answer is kept: handed to a write that stores the answer itself.
#[derive(Debug, Clone)]
pub struct AnswerKey {
    pub terminal_id: String,
    pub key: String,
    pub request_hash: String,
}

/// What a request's work produced.
pub struct Reply {
    pub status: StatusCode,
    pub value: Value,
    /// The work's own write already stored it under the key.
    pub stored: bool,
}

/// Runs `work` once for (`terminal_id`, key) and replays its answer afterwards; see
/// [`run_storing`].
pub async fn run<F, Fut>(
    state: &AppState,
    terminal_id: &str,
    key: &str,
    path: &str,
    body: &[u8],
    work: F,
) -> Response
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<(StatusCode, Value), ApiError>>,
{
    run_storing(state, terminal_id, key, path, body, |_| async {
        work().await.map(|(status, value)| Reply {
            status,
            value,
            stored: false,
        })
    })
    .await
}

/// Runs `work` once for (`terminal_id`, key) and replays its answer afterwards. A duplicate
/// arriving while the first still runs is told to retry (409); the answer is stored before
/// it is sent (by `work`'s own write if it can, see [`AnswerKey`]). Whatever `work` creates
/// must be findable by the key as well (tickets carry it), so a request whose answer was lost
/// with the process finds its result again.
pub async fn run_storing<F, Fut>(
    state: &AppState,
    terminal_id: &str,
    key: &str,
    path: &str,
    body: &[u8],
    work: F,
) -> Response
where
    F: FnOnce(AnswerKey) -> Fut,
    Fut: Future<Output = Result<Reply, ApiError>>,
{
    let mut hasher = Sha256::new();
    hasher.update(path.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    let hash = hex::encode(hasher.finalize());
    let Some(_running) = state.in_flight.enter(terminal_id, key) else {
        return in_flight();
    };
    match state.db.stored_answer(terminal_id, key).await {
        Err(e) => return ApiError::from(e).into_response(),
        Ok(Some(stored)) if stored.request_hash != hash => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                "This Idempotency-Key was already used for a different request; use a new key.",
            )
            .into_response();
        }
        Ok(Some(stored)) if stored.state == "done" => return replay(stored.status, &stored.body),
        Ok(Some(stored)) if stored.created_at >= now_ms() - ABANDONED_AFTER_MS => {
            return in_flight();
        }
        // Never seen, or claimed by a request that died: run it (again).
        Ok(_) => {}
    }
    let outcome = work(AnswerKey {
        terminal_id: terminal_id.to_owned(),
        key: key.to_owned(),
        request_hash: hash.clone(),
    })
    .await;
    let (status, stored) = match &outcome {
        Ok(reply) if reply.stored => return (reply.status, Json(&reply.value)).into_response(),
        Ok(reply) => (reply.status, json!({ "ok": reply.value })),
        // Our failure: nothing is kept, the terminal's retry runs again.
        Err(e) if e.status.is_server_error() => return e.clone().into_response(),
        Err(e) => (
            e.status,
            json!({ "err": { "code": e.code, "message": e.message, "field": e.field, "details": e.details } }),
        ),
    };
    if let Err(e) = state
        .db
        .store_answer(terminal_id, key, &hash, status.as_u16(), stored.to_string())
        .await
    {
        return ApiError::from(e).into_response();
    }
    match outcome {
        Ok(reply) => (reply.status, Json(reply.value)).into_response(),
        Err(e) => e.into_response(),
    }
}

fn in_flight() -> Response {
    ApiError::conflict(
        ErrorCode::RequestInFlight,
        "The same request is still being processed; retry in a moment.",
    )
    .into_response()
}

fn replay(status: u16, body: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let stored: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if let Some(ok) = stored.get("ok") {
        let mut response = (status, Json(ok.clone())).into_response();
        response.headers_mut().insert(
            "idempotent-replay",
            axum::http::HeaderValue::from_static("true"),
        );
        return response;
    }
    let err = stored.get("err").cloned().unwrap_or(Value::Null);
    let text = |k: &str| err.get(k).and_then(Value::as_str).map(str::to_owned);
    let code = err
        .get("code")
        .and_then(|c| serde_json::from_value(c.clone()).ok())
        .unwrap_or(ErrorCode::Unknown);
    let mut e = ApiError::new(status, code, text("message").unwrap_or_default());
    e.field = text("field");
    e.details = err.get("details").filter(|d| !d.is_null()).cloned();
    e.into_response()
}
