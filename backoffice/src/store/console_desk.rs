//! Front-desk storage: acknowledged help requests, terminal locks, and the calls of the day
//! for the waiting-room display.

use sqlx::Row;

use super::{Db, StoreError};

/// A help request a staff member acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpAck {
    pub terminal_id: String,
    /// The `detail` of the help request acknowledged (a new request carries a new detail).
    pub request_detail: String,
    pub acked_at: i64,
    pub acked_by: String,
}

/// A terminal locked by a supervisor, with the message it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalLock {
    pub terminal_id: String,
    pub message: String,
    pub locked_at: i64,
    pub locked_by: String,
}

/// One call of a ticket to a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    pub display_number: String,
    pub counter_id: Option<String>,
    pub at: i64,
}

impl Db {
    /// Acknowledges the help request `request_detail` of a terminal (replacing older ones).
    pub async fn ack_help(
        &self,
        terminal_id: &str,
        request_detail: &str,
        at: i64,
        by: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await?;
        sqlx::query("DELETE FROM console_help_acks WHERE terminal_id = $1")
            .bind(terminal_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO console_help_acks (terminal_id, request_detail, acked_at, acked_by) VALUES ($1, $2, $3, $4)")
            .bind(terminal_id)
            .bind(request_detail)
            .bind(at)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the acknowledgement once the terminal no longer asks for help.
    pub async fn clear_help_ack(&self, terminal_id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM console_help_acks WHERE terminal_id = $1")
            .bind(terminal_id)
            .execute(self.write())
            .await?;
        Ok(())
    }

    pub async fn help_acks(&self) -> Result<Vec<HelpAck>, StoreError> {
        let rows = sqlx::query(
            "SELECT terminal_id, request_detail, acked_at, acked_by FROM console_help_acks",
        )
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HelpAck {
                    terminal_id: r.try_get("terminal_id")?,
                    request_detail: r.try_get("request_detail")?,
                    acked_at: r.try_get("acked_at")?,
                    acked_by: r.try_get("acked_by")?,
                })
            })
            .collect()
    }

    /// Locks a terminal with a message (replacing an earlier lock).
    pub async fn lock_terminal(&self, lock: &TerminalLock) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await?;
        sqlx::query("DELETE FROM console_terminal_locks WHERE terminal_id = $1")
            .bind(&lock.terminal_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO console_terminal_locks (terminal_id, message, locked_at, locked_by) VALUES ($1, $2, $3, $4)")
            .bind(&lock.terminal_id)
            .bind(&lock.message)
            .bind(lock.locked_at)
            .bind(&lock.locked_by)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Unlocks a terminal; `false` when it was not locked.
    pub async fn unlock_terminal(&self, terminal_id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM console_terminal_locks WHERE terminal_id = $1")
            .bind(terminal_id)
            .execute(self.write())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn terminal_locks(&self) -> Result<Vec<TerminalLock>, StoreError> {
        let rows = sqlx::query(
            "SELECT terminal_id, message, locked_at, locked_by FROM console_terminal_locks",
        )
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TerminalLock {
                    terminal_id: r.try_get("terminal_id")?,
                    message: r.try_get("message")?,
                    locked_at: r.try_get("locked_at")?,
                    locked_by: r.try_get("locked_by")?,
                })
            })
            .collect()
    }

    /// The message of a terminal's lock, if it is locked.
    pub async fn terminal_lock_message(
        &self,
        terminal_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT message FROM console_terminal_locks WHERE terminal_id = $1")
                .bind(terminal_id)
                .fetch_optional(self.read())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// The latest calls (first calls and recalls) of an office's day, newest first.
    pub async fn recent_calls(
        &self,
        office_id: &str,
        day: &str,
        limit: u32,
    ) -> Result<Vec<CallRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.display_number, e.counter_id, e.at FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id \
             WHERE t.office_id = $1 AND t.day = $2 AND e.to_status = 'called' ORDER BY e.at DESC, e.id DESC LIMIT $3",
        )
        .bind(office_id)
        .bind(day)
        .bind(i64::from(limit))
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CallRecord {
                    display_number: r.try_get("display_number")?,
                    counter_id: r.try_get("counter_id")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}

impl Db {
    /// Replaces a service's texts, average processing time and rules (a supervisor's edit).
    pub async fn update_service_settings(
        &self,
        id: &str,
        names: &crate::domain::text::Texts,
        waiting_area: &crate::domain::text::Texts,
        average_minutes: u32,
        rules: &crate::domain::ServiceRules,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE services SET names_json = $1, waiting_area_json = $2, average_minutes = $3, rules_json = $4 WHERE id = $5")
            .bind(serde_json::to_string(names)?)
            .bind(serde_json::to_string(waiting_area)?)
            .bind(i64::from(average_minutes))
            .bind(serde_json::to_string(rules)?)
            .bind(id)
            .execute(self.write())
            .await?;
        self.catalog_cache.invalidate();
        Ok(done.rows_affected() == 1)
    }
}

impl Db {
    /// Who is logged in at which counter of an office right now: (counter id, display name).
    pub async fn counter_occupancy(
        &self,
        office_id: &str,
        now: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT DISTINCT ss.counter_id, s.display_name FROM staff_sessions ss \
             JOIN staff s ON s.id = ss.staff_id JOIN counters c ON c.id = ss.counter_id \
             WHERE c.office_id = $1 AND ss.expires_at > $2 ORDER BY ss.counter_id, s.display_name",
        )
        .bind(office_id)
        .bind(now)
        .fetch_all(self.read())
        .await?;
        Ok(rows)
    }
}

impl Db {
    /// Replaces an office's rules (a supervisor's edit of thresholds and call limits).
    pub async fn update_office_rules(
        &self,
        id: &str,
        rules: &crate::domain::OfficeRules,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE offices SET rules_json = $1 WHERE id = $2")
            .bind(serde_json::to_string(rules)?)
            .bind(id)
            .execute(self.write())
            .await?;
        self.catalog_cache.invalidate();
        Ok(done.rows_affected() == 1)
    }
}
