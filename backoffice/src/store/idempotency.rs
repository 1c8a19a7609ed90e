//! Idempotency keys of terminal POSTs: a retry gets the first answer, a different body under
//! the same key is refused, a duplicate still in flight is told so.

use sqlx::Row;

use super::{Db, StoreError, now_ms};

/// A key still pending after this long belongs to a request that died with the process.
const ABANDONED_AFTER_MS: i64 = 30_000;

/// What the store knows about a key before the request runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run the request, then [`Db::finish_idempotent`].
    Fresh,
    /// Done before: send this status and body again.
    Replay { status: u16, body: String },
    /// Same key, different request.
    Mismatch,
    /// Same key, still running.
    InFlight,
}

impl Db {
    pub async fn claim_idempotency_key(
        &self,
        terminal_id: &str,
        key: &str,
        request_hash: &str,
    ) -> Result<Claim, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency (terminal_id, request_key, request_hash, state, created_at) \
             VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT (terminal_id, request_key) DO NOTHING",
        )
        .bind(terminal_id)
        .bind(key)
        .bind(request_hash)
        .bind(now_ms());
        let inserted = inserted.execute(self.write()).await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::Fresh);
        }
        let row =
            sqlx::query("SELECT * FROM idempotency WHERE terminal_id = $1 AND request_key = $2")
                .bind(terminal_id)
                .bind(key)
                .fetch_one(self.write())
                .await?;
        let hash: String = row.try_get("request_hash")?;
        let state: String = row.try_get("state")?;
        let created_at: i64 = row.try_get("created_at")?;
        Ok(if hash != request_hash {
            Claim::Mismatch
        } else if state == "pending" && created_at < now_ms() - ABANDONED_AFTER_MS {
            // The first attempt died with the process (its answer was never stored): run it
            // again; whatever it created is found again by the same key.
            let retake = sqlx::query(
                "UPDATE idempotency SET created_at = $1 WHERE terminal_id = $2 AND request_key = $3 \
                 AND state = 'pending' AND created_at = $4",
            )
            .bind(now_ms())
            .bind(terminal_id)
            .bind(key)
            .bind(created_at);
            if retake.execute(self.write()).await?.rows_affected() == 1 {
                Claim::Fresh
            } else {
                Claim::InFlight
            }
        } else if state == "pending" {
            Claim::InFlight
        } else {
            Claim::Replay {
                status: row.try_get::<i64, _>("status_code")? as u16,
                body: row
                    .try_get::<Option<String>, _>("body")?
                    .unwrap_or_default(),
            }
        })
    }

    /// Stores the answer to replay.
    pub async fn finish_idempotent(
        &self,
        terminal_id: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        let query = sqlx::query(
            "UPDATE idempotency SET state = 'done', status_code = $1, body = $2 WHERE terminal_id = $3 AND request_key = $4",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(terminal_id)
        .bind(key);
        query.execute(self.write()).await?;
        Ok(())
    }

    /// Forgets a key whose request failed on our side, so the terminal's retry runs again.
    pub async fn release_idempotency_key(
        &self,
        terminal_id: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM idempotency WHERE terminal_id = $1 AND request_key = $2 AND state = 'pending'")
            .bind(terminal_id)
            .bind(key)
            .execute(self.write())
            .await?;
        Ok(())
    }
}
