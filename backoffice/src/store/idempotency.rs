//! Idempotency keys of terminal POSTs: the first answer to each (terminal, key) is kept, so a
//! retry gets it again and a different body under the same key is refused.

use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, Row};

use super::{Db, StoreError, now_ms};

/// What was stored for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// Hash of the path and body of the request the key was first used for.
    pub request_hash: String,
    /// `done` with the answer below; `pending` rows come from earlier versions that claimed a
    /// key before running the request.
    pub state: String,
    pub status: u16,
    pub body: String,
    pub created_at: i64,
}

impl Db {
    /// The answer stored under a key, if any.
    pub async fn stored_answer(
        &self,
        terminal_id: &str,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError> {
        let row =
            sqlx::query("SELECT * FROM idempotency WHERE terminal_id = $1 AND request_key = $2")
                .bind(terminal_id)
                .bind(key)
                .fetch_optional(self.read())
                .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(StoredAnswer {
            request_hash: row.try_get("request_hash")?,
            state: row.try_get("state")?,
            status: row.try_get::<Option<i64>, _>("status_code")?.unwrap_or(200) as u16,
            body: row
                .try_get::<Option<String>, _>("body")?
                .unwrap_or_default(),
            created_at: row.try_get("created_at")?,
        }))
    }

    /// Stores the answer to replay; returns once it is durable.
    pub async fn store_answer(
        &self,
        terminal_id: &str,
        key: &str,
        request_hash: &str,
        status: u16,
        body: String,
    ) -> Result<(), StoreError> {
        let (terminal_id, key, request_hash) = (
            terminal_id.to_owned(),
            key.to_owned(),
            request_hash.to_owned(),
        );
        self.write_statement(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO idempotency (terminal_id, request_key, request_hash, state, status_code, body, created_at) \
                     VALUES ($1, $2, $3, 'done', $4, $5, $6) ON CONFLICT (terminal_id, request_key) DO UPDATE \
                     SET request_hash = $3, state = 'done', status_code = $4, body = $5, created_at = $6",
                )
                .bind(terminal_id)
                .bind(key)
                .bind(request_hash)
                .bind(i64::from(status))
                .bind(body)
                .bind(now_ms())
                .execute(&mut *conn)
                .await?;
                Ok::<_, StoreError>(())
            })
        })
        .await
    }
}
