//! Tickets: reading them, the live queue, and status changes as conditional updates (two
//! counters can never take the same ticket). Issuing new ones is in [`super::issuing`].

use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row, Transaction};

use super::{Db, StoreError};
use crate::domain::order::{QueueKey, Queued};
use crate::domain::{Action, Origin, TicketStatus};

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRow {
    pub id: i64,
    pub office_id: String,
    pub day: String,
    pub display_number: String,
    pub service_id: String,
    pub origin: Origin,
    pub status: TicketStatus,
    pub appointment_id: Option<i64>,
    pub appointment_at: Option<i64>,
    pub terminal_id: Option<String>,
    pub counter_id: Option<String>,
    pub call_count: u32,
    pub queued_at: i64,
    pub issued_at: i64,
    pub called_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub public_token: String,
    pub estimate_low: Option<i64>,
    pub estimate_high: Option<i64>,
}

pub(super) fn ticket_from(row: &AnyRow) -> Result<TicketRow, StoreError> {
    let origin: String = row.try_get("origin")?;
    let status: String = row.try_get("status")?;
    Ok(TicketRow {
        id: row.try_get("id")?,
        office_id: row.try_get("office_id")?,
        day: row.try_get("day")?,
        display_number: row.try_get("display_number")?,
        service_id: row.try_get("service_id")?,
        origin: Origin::parse(&origin).ok_or_else(|| StoreError::Corrupt(origin.clone()))?,
        status: TicketStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(status.clone()))?,
        appointment_id: row.try_get("appointment_id")?,
        appointment_at: row.try_get("appointment_at")?,
        terminal_id: row.try_get("terminal_id")?,
        counter_id: row.try_get("counter_id")?,
        call_count: row.try_get::<i64, _>("call_count")? as u32,
        queued_at: row.try_get("queued_at")?,
        issued_at: row.try_get("issued_at")?,
        called_at: row.try_get("called_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
        public_token: row.try_get("public_token")?,
        estimate_low: row.try_get("estimate_low")?,
        estimate_high: row.try_get("estimate_high")?,
    })
}

impl Queued for TicketRow {
    fn key(&self) -> QueueKey {
        QueueKey {
            id: self.id,
            status: self.status,
            appointment_at: self.appointment_at,
            queued_at: self.queued_at,
        }
    }
}

impl Db {
    pub async fn ticket(&self, id: i64) -> Result<Option<TicketRow>, StoreError> {
        sqlx::query("SELECT * FROM tickets WHERE id = $1")
            .bind(id)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(ticket_from)
            .transpose()
    }

    pub async fn ticket_by_token(&self, token: &str) -> Result<Option<TicketRow>, StoreError> {
        sqlx::query("SELECT * FROM tickets WHERE public_token = $1")
            .bind(token)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(ticket_from)
            .transpose()
    }

    /// Every ticket of an office's day, live or not, in queue order.
    pub async fn tickets_of_day(
        &self,
        office_id: &str,
        day: &str,
    ) -> Result<Vec<TicketRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM tickets WHERE office_id = $1 AND day = $2 ORDER BY queued_at, id",
        )
        .bind(office_id)
        .bind(day)
        .fetch_all(self.read())
        .await?;
        rows.iter().map(ticket_from).collect()
    }

    /// Moves a ticket from `from` to `to` if nobody else changed it meanwhile. Returns the
    /// updated ticket, or `None` when it had changed (the caller re-reads and decides).
    #[allow(clippy::too_many_arguments)]
    pub async fn transition(
        &self,
        ticket: &TicketRow,
        action: Action,
        to: TicketStatus,
        actor: &str,
        counter_id: Option<&str>,
        forward_to: Option<&str>,
        now: i64,
    ) -> Result<Option<TicketRow>, StoreError> {
        let calls = u32::from(
            matches!(action, Action::Call | Action::Recall) && to == TicketStatus::Called,
        );
        let mut tx = self.write().begin().await?;
        let updated = sqlx::query(
            "UPDATE tickets SET status = $1, live = $2, call_count = call_count + $3, \
             counter_id = COALESCE($4, counter_id), service_id = COALESCE($5, service_id), \
             called_at = CASE WHEN $3 = 1 THEN $6 ELSE called_at END, \
             started_at = CASE WHEN $1 = 'in_service' THEN $6 ELSE started_at END, \
             finished_at = CASE WHEN $2 = 0 THEN $6 ELSE finished_at END \
             WHERE id = $7 AND status = $8 AND call_count = $9 RETURNING *",
        )
        .bind(to.as_str())
        .bind(i64::from(to.is_live()))
        .bind(i64::from(calls))
        .bind(counter_id)
        .bind(forward_to)
        .bind(now)
        .bind(ticket.id)
        .bind(ticket.status.as_str())
        .bind(i64::from(ticket.call_count))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = updated else { return Ok(None) };
        let action_name = serde_json::to_value(action)?
            .as_str()
            .unwrap_or("action")
            .to_owned();
        insert_event(
            &mut tx,
            ticket.id,
            now,
            Some(ticket.status),
            to,
            &action_name,
            actor,
            counter_id,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(ticket_from(&row)?))
    }
}

/// Reserves `count` consecutive numbers of `prefix` for a terminal's offline use.
pub(crate) async fn reserve_block(
    tx: &mut Transaction<'_, Any>,
    office_id: &str,
    day: &str,
    prefix: char,
    count: u32,
    range: (u32, u32),
) -> Result<Option<(u32, u32)>, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO number_counters (office_id, day, prefix, last_number) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (office_id, day, prefix) DO UPDATE SET last_number = number_counters.last_number + $5 \
         RETURNING last_number",
    )
    .bind(office_id)
    .bind(day)
    .bind(prefix.to_string())
    .bind(i64::from(range.0) + i64::from(count) - 1)
    .bind(i64::from(count))
    .fetch_one(&mut **tx)
    .await?;
    let last = n as u32;
    let first = last + 1 - count;
    Ok((last <= range.1 && first >= range.0).then_some((first, last)))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_event(
    conn: &mut AnyConnection,
    ticket_id: i64,
    at: i64,
    from: Option<TicketStatus>,
    to: TicketStatus,
    action: &str,
    actor: &str,
    counter_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, from_status, to_status, action, actor, counter_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ticket_id)
    .bind(at)
    .bind(from.map(TicketStatus::as_str))
    .bind(to.as_str())
    .bind(action)
    .bind(actor)
    .bind(counter_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// Walk-in (and offline) tickets issued today per service, for quotas.
    pub async fn walk_in_counts(
        &self,
        office_id: &str,
        day: &str,
    ) -> Result<std::collections::HashMap<String, u32>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT service_id, COUNT(*) FROM tickets WHERE office_id = $1 AND day = $2 AND origin <> 'appointment' GROUP BY service_id",
        )
        .bind(office_id)
        .bind(day)
        .fetch_all(self.read())
        .await?;
        Ok(rows.into_iter().map(|(s, n)| (s, n as u32)).collect())
    }

    /// Stores the wait estimate first given for a ticket (later calls change nothing).
    pub async fn record_estimate(&self, id: i64, low: i64, high: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE tickets SET estimate_low = $1, estimate_high = $2 WHERE id = $3 AND estimate_low IS NULL")
            .bind(low)
            .bind(high)
            .bind(id)
            .execute(self.write())
            .await?;
        Ok(())
    }

    /// How many waiting tickets of the ticket's day are called before it (see
    /// [`crate::domain::order`]), counted in the database.
    pub async fn waiting_ahead(
        &self,
        office_id: &str,
        day: &str,
        key: QueueKey,
        now_ms: i64,
    ) -> Result<u32, StoreError> {
        let (n,) = super::order::ahead_query(office_id, day, key, now_ms)
            .fetch_one(self.read())
            .await?;
        Ok(n as u32)
    }

    /// The queue keys of an office's live tickets (much cheaper than whole rows).
    pub async fn live_keys(&self, office_id: &str, day: &str) -> Result<Vec<QueueKey>, StoreError> {
        let rows: Vec<(i64, String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT id, status, appointment_at, queued_at FROM tickets WHERE office_id = $1 AND day = $2 AND live = 1",
        )
        .bind(office_id)
        .bind(day)
        .fetch_all(self.read())
        .await?;
        rows.into_iter()
            .map(|(id, status, appointment_at, queued_at)| {
                let status = TicketStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(status.clone()))?;
                Ok(QueueKey {
                    id,
                    status,
                    appointment_at,
                    queued_at,
                })
            })
            .collect()
    }

    /// Live tickets of an office's day (waiting, called, in service, parked, forwarded).
    pub async fn live_tickets(
        &self,
        office_id: &str,
        day: &str,
    ) -> Result<Vec<TicketRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM tickets WHERE office_id = $1 AND day = $2 AND live = 1 ORDER BY queued_at, id")
            .bind(office_id)
            .bind(day)
            .fetch_all(self.read())
            .await?;
        rows.iter().map(ticket_from).collect()
    }
}

impl Db {
    /// The most recently finished tickets of all offices, newest first (to warm up learning).
    pub async fn recent_finished(&self, limit: i64) -> Result<Vec<TicketRow>, StoreError> {
        let rows = sqlx::query("SELECT * FROM tickets WHERE status = 'finished' AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT $1")
            .bind(limit)
            .fetch_all(self.read())
            .await?;
        rows.iter().map(ticket_from).collect()
    }
}
