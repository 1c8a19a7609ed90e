//! Tickets: issuing with a display number from the group's range, the live queue, and
//! status changes as conditional updates (two counters can never take the same ticket).

use sqlx::any::AnyRow;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sqlx::{Any, AnyConnection, Row, Transaction};

use super::{Db, StoreError};
use crate::domain::ticket::display_number;
use crate::domain::{Action, Origin, TicketStatus};
use crate::queue::APPOINTMENT_DUE_EARLY_MS;

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

fn ticket_from(row: &AnyRow) -> Result<TicketRow, StoreError> {
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

/// The fields that decide a ticket's place in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueKey {
    pub id: i64,
    pub status: TicketStatus,
    pub appointment_at: Option<i64>,
    pub queued_at: i64,
}

/// Where a new ticket's number comes from.
#[derive(Debug, Clone, Copy)]
pub enum Numbering {
    /// The next free number of the range, wrapping when exhausted.
    Next { prefix: char, first: u32, last: u32 },
    /// A number a terminal already printed offline.
    Fixed { prefix: char, number: u32 },
}

/// Everything needed to issue a ticket.
#[derive(Clone)]
pub struct NewTicket {
    pub office_id: String,
    pub day: String,
    pub service_id: String,
    pub origin: Origin,
    pub numbering: Numbering,
    pub appointment: Option<(i64, i64)>,
    pub terminal_id: Option<String>,
    /// The terminal's idempotency key: the same key always yields the same ticket.
    pub request_key: Option<String>,
    /// Walk-in quota of the service for the day.
    pub quota: Option<u32>,
    pub now: i64,
    /// When the visitor joined the queue (earlier than `now` for offline uploads).
    pub queued_at: i64,
    /// The wait range (minutes) for a visitor with this many people ahead, if one is known;
    /// the ticket keeps it as the first estimate it was given.
    pub placement: Option<Arc<Placement>>,
}

/// Wait range in minutes for a given number of people ahead.
pub type Placement = dyn Fn(u32) -> Option<(u32, u32)> + Send + Sync;

/// Why no ticket was issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("the service's daily walk-in quota is exhausted")]
    QuotaExhausted,
    #[error("every number of the range is in use")]
    NumbersExhausted,
    #[error("the appointment was checked in concurrently")]
    AlreadyCheckedIn,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for IssueError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

/// Result of issuing: the ticket, and whether an earlier request had already created it.
#[derive(Debug, Clone)]
pub struct Issued {
    pub ticket: TicketRow,
    pub replayed: bool,
    /// People ahead and wait range at issue, when [`NewTicket::placement`] gave one.
    pub place: Option<(u32, u32, u32)>,
}

impl Db {
    /// Issues a ticket atomically: number, quota check, ticket, history, appointment link.
    pub async fn issue_ticket(&self, t: NewTicket) -> Result<Issued, IssueError> {
        let key = t.terminal_id.clone().zip(t.request_key.clone());
        let issued = self
            .write_job(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
                Box::pin(issue_in(conn, t))
            })
            .await;
        match (issued, &key) {
            // A request issued before (retried after its answer was lost, an offline ticket
            // uploaded again, or the same request at another back-office instance) fails on
            // the request-key index or the number: then its ticket is the answer.
            (Err(e), Some((terminal, key))) => match self.ticket_by_request(terminal, key).await? {
                Some(ticket) => Ok(Issued {
                    ticket,
                    replayed: true,
                    place: None,
                }),
                None => Err(e),
            },
            (issued, _) => issued,
        }
    }

    /// The ticket a terminal's request with this idempotency key created.
    async fn ticket_by_request(
        &self,
        terminal_id: &str,
        key: &str,
    ) -> Result<Option<TicketRow>, StoreError> {
        sqlx::query("SELECT * FROM tickets WHERE terminal_id = $1 AND request_key = $2")
            .bind(terminal_id)
            .bind(key)
            .fetch_optional(self.read())
            .await?
            .as_ref()
            .map(ticket_from)
            .transpose()
    }

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

/// Issues a ticket on the writer connection; see [`Db::issue_ticket`].
async fn issue_in(conn: &mut AnyConnection, t: NewTicket) -> Result<Issued, IssueError> {
    // Counted in the transaction, so concurrent issues each see the other.
    let place = match &t.placement {
        Some(placement) => {
            let key = QueueKey {
                id: i64::MAX,
                status: TicketStatus::Waiting,
                appointment_at: t.appointment.map(|a| a.1),
                queued_at: t.queued_at,
            };
            let (ahead,): (i64,) = ahead_query(&t.office_id, &t.day, key, t.now)
                .fetch_one(&mut *conn)
                .await?;
            let ahead = ahead as u32;
            placement(ahead).map(|(low, high)| (ahead, low, high))
        }
        None => None,
    };
    let (prefix, attempts) = match t.numbering {
        Numbering::Next {
            prefix,
            first,
            last,
        } => (prefix, last.saturating_sub(first) + 1),
        Numbering::Fixed { prefix, .. } => (prefix, 1),
    };
    for attempt in 0..attempts {
        let number = match t.numbering {
            Numbering::Next { first, last, .. } => {
                next_number(conn, &t, prefix, first, last).await?
            }
            Numbering::Fixed { number, .. } => number,
        };
        if attempt == 0
            && let Some(quota) = t.quota
        {
            let (issued,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM tickets WHERE office_id = $1 AND day = $2 AND service_id = $3 AND origin <> 'appointment'",
            )
            .bind(&t.office_id)
            .bind(&t.day)
            .bind(&t.service_id)
            .fetch_one(&mut *conn)
            .await?;
            if issued >= i64::from(quota) {
                return Err(IssueError::QuotaExhausted);
            }
        }
        let token = hex::encode(rand::random::<[u8; 16]>());
        let inserted = sqlx::query(
            "INSERT INTO tickets (office_id, day, prefix, number, display_number, service_id, origin, status, live, \
             appointment_id, appointment_at, terminal_id, request_key, queued_at, issued_at, public_token, estimate_low, estimate_high) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', 1, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (office_id, day, display_number) WHERE live = 1 DO NOTHING RETURNING *",
        )
        .bind(&t.office_id)
        .bind(&t.day)
        .bind(prefix.to_string())
        .bind(i64::from(number))
        .bind(display_number(prefix, number))
        .bind(&t.service_id)
        .bind(t.origin.as_str())
        .bind(t.appointment.map(|a| a.0))
        .bind(t.appointment.map(|a| a.1))
        .bind(&t.terminal_id)
        .bind(&t.request_key)
        .bind(t.queued_at)
        .bind(t.now)
        .bind(token)
        .bind(place.map(|p| i64::from(p.1)))
        .bind(place.map(|p| i64::from(p.2)))
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = inserted else { continue };
        let ticket = ticket_from(&row)?;
        insert_event(
            conn,
            ticket.id,
            t.now,
            None,
            TicketStatus::Waiting,
            "issue",
            "terminal",
            None,
        )
        .await?;
        if let Some((appointment_id, _)) = t.appointment {
            let linked = sqlx::query(
                "UPDATE appointments SET ticket_id = $1 WHERE id = $2 AND ticket_id IS NULL",
            )
            .bind(ticket.id)
            .bind(appointment_id)
            .execute(&mut *conn)
            .await?;
            if linked.rows_affected() != 1 {
                return Err(IssueError::AlreadyCheckedIn);
            }
        }
        return Ok(Issued {
            ticket,
            replayed: false,
            place,
        });
    }
    Err(IssueError::NumbersExhausted)
}

/// Advances the group's counter for the day and returns the next number, wrapping to the
/// first number after the last. The upsert locks the counter row until commit, which also
/// serialises quota checks of the group in PostgreSQL.
async fn next_number(
    conn: &mut AnyConnection,
    t: &NewTicket,
    prefix: char,
    first: u32,
    last: u32,
) -> Result<u32, IssueError> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO number_counters (office_id, day, prefix, last_number) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (office_id, day, prefix) DO UPDATE SET last_number = \
         CASE WHEN number_counters.last_number >= $5 THEN $4 ELSE number_counters.last_number + 1 END \
         RETURNING last_number",
    )
    .bind(&t.office_id)
    .bind(&t.day)
    .bind(prefix.to_string())
    .bind(i64::from(first))
    .bind(i64::from(last))
    .fetch_one(&mut *conn)
    .await?;
    u32::try_from(n).map_err(|_| IssueError::Store(StoreError::Corrupt("negative number".into())))
}

/// Counts the waiting tickets called before `key`: due appointments by their time first,
/// then everyone else by the time they joined, ties by id (as [`crate::queue::call_order`]).
fn ahead_query<'q>(
    office_id: &'q str,
    day: &'q str,
    key: QueueKey,
    now_ms: i64,
) -> sqlx::query::QueryAs<'q, Any, (i64,), sqlx::any::AnyArguments<'q>> {
    let due_until = now_ms + APPOINTMENT_DUE_EARLY_MS;
    let (group, at) = match key.appointment_at {
        Some(at) if at <= due_until => (0_i64, at),
        _ => (1, key.queued_at),
    };
    sqlx::query_as(
        "SELECT COUNT(*) FROM (SELECT id, \
           CASE WHEN appointment_at <= $3 THEN 0 ELSE 1 END AS g, \
           CASE WHEN appointment_at <= $3 THEN appointment_at ELSE queued_at END AS s \
           FROM tickets WHERE office_id = $1 AND day = $2 AND live = 1 \
           AND status IN ('waiting', 'forwarded')) q \
         WHERE g < $4 OR (g = $4 AND (s < $5 OR (s = $5 AND id < $6)))",
    )
    .bind(office_id)
    .bind(day)
    .bind(due_until)
    .bind(group)
    .bind(at)
    .bind(key.id)
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
async fn insert_event(
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
    /// [`crate::queue::call_order`]), counted in the database.
    pub async fn waiting_ahead(
        &self,
        office_id: &str,
        day: &str,
        key: QueueKey,
        now_ms: i64,
    ) -> Result<u32, StoreError> {
        let (n,) = ahead_query(office_id, day, key, now_ms)
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
