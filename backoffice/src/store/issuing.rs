//! Issuing tickets: a display number from the group's range (or the one a terminal printed
//! offline), the walk-in quota, people ahead and the first wait estimate, the history entry
//! and the appointment link, all in one write.
//!
//! The write runs on SQLite's single writer connection inside a group commit, where every
//! round trip to SQLite holds up the whole batch; so people ahead are counted in the statement
//! that takes the number, and the ticket and its history entry are one statement batch.
//!
//! Nothing outside the store runs inside the write: the wait ranges come in as data (a
//! [`WaitCurve`]), and the terminal's reply comes in rendered by the API, to be completed
//! with what only the write knows (number, people ahead, wait) and stored with the ticket.

use futures_util::future::BoxFuture;
use sqlx::AnyConnection;

use super::order::{ahead_params, ahead_query, ahead_sql};
use super::tickets::{TicketRow, ticket_from};
use super::{Backend, Db, StoreError};
use crate::domain::order::QueueKey;
use crate::domain::ticket::display_number;
use crate::domain::wait::WaitCurve;
use crate::domain::{Origin, TicketStatus};
use terminal_api::TicketResponse;

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
    /// The ticket's link for the visitor's phone (see [`new_token`]).
    pub public_token: String,
    /// The office's wait ranges by people ahead, if a recent estimate is known; the ticket
    /// keeps its range as the first estimate it was given.
    pub placement: Option<WaitCurve>,
    /// The terminal's answer to keep under its idempotency key, written with the ticket.
    pub answer: Option<TicketAnswer>,
}

/// The reply to a terminal's request, rendered by the API before the write, stored under the
/// request's idempotency key in the same write once the number and place are filled in (so
/// no second write is needed).
#[derive(Clone)]
pub struct TicketAnswer {
    pub terminal_id: String,
    pub key: String,
    pub request_hash: String,
    /// HTTP status of the reply.
    pub status: u16,
    /// The reply, without display number, people ahead and wait yet.
    pub reply: TicketResponse,
}

/// A fresh token for a ticket's phone page: 32 hex characters.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

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
    /// The reply stored with the ticket, when [`NewTicket::answer`] asked for one.
    pub answer: Option<(u16, TicketResponse)>,
}

impl Db {
    /// Issues a ticket atomically: number, quota check, ticket, history, appointment link.
    pub async fn issue_ticket(&self, t: NewTicket) -> Result<Issued, IssueError> {
        let key = t.terminal_id.clone().zip(t.request_key.clone());
        let backend = self.backend();
        let issued = self
            .write_job(move |conn: &mut AnyConnection| -> BoxFuture<'_, _> {
                Box::pin(issue_in(conn, backend, t))
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
                    answer: None,
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
}

/// Issues a ticket on the writer connection; see [`Db::issue_ticket`].
async fn issue_in(
    conn: &mut AnyConnection,
    backend: Backend,
    t: NewTicket,
) -> Result<Issued, IssueError> {
    let (prefix, attempts) = match t.numbering {
        Numbering::Next {
            prefix,
            first,
            last,
        } => (prefix, last.saturating_sub(first) + 1),
        Numbering::Fixed { prefix, .. } => (prefix, 1),
    };
    // Where the new ticket stands: behind everyone of its kind who came before.
    let key = QueueKey {
        id: i64::MAX,
        status: TicketStatus::Waiting,
        appointment_at: t.appointment.map(|a| a.1),
        queued_at: t.queued_at,
    };
    let mut place = None;
    for attempt in 0..attempts {
        let count_ahead = attempt == 0 && t.placement.is_some();
        let (number, ahead) = match t.numbering {
            Numbering::Next { first, last, .. } => {
                next_number(conn, &t, prefix, (first, last), count_ahead.then_some(key)).await?
            }
            Numbering::Fixed { number, .. } if count_ahead => {
                let (ahead,): (i64,) = ahead_query(&t.office_id, &t.day, key, t.now)
                    .fetch_one(&mut *conn)
                    .await?;
                (number, Some(ahead))
            }
            Numbering::Fixed { number, .. } => (number, None),
        };
        if let (Some(ahead), Some(curve)) = (ahead, &t.placement) {
            let ahead = u32::try_from(ahead).unwrap_or(0);
            let (low, high) = curve.range(ahead);
            place = Some((ahead, low, high));
        }
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
        let Some((ticket, answer)) =
            insert_ticket(conn, backend, &t, prefix, number, place).await?
        else {
            // The number is held by a live ticket: try the next one.
            continue;
        };
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
            answer,
        });
    }
    Err(IssueError::NumbersExhausted)
}

const INSERT_TICKET: &str = "INSERT INTO tickets (office_id, day, prefix, number, display_number, service_id, origin, status, live, \
     appointment_id, appointment_at, terminal_id, request_key, queued_at, issued_at, public_token, estimate_low, estimate_high) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', 1, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
     ON CONFLICT (office_id, day, display_number) WHERE live = 1 DO NOTHING RETURNING *";

/// The history entry of an issued ticket, found by its token (nothing when the insert above
/// did nothing).
const INSERT_ISSUE_EVENT: &str = "INSERT INTO ticket_events (ticket_id, at, from_status, to_status, action, actor, counter_id) \
     SELECT id, $13, NULL, 'waiting', 'issue', 'terminal', NULL FROM tickets WHERE public_token = $14";

/// The stored reply under the request's key (replacing a claim left by an older version),
/// only if the ticket was inserted.
const INSERT_ANSWER: &str = "INSERT INTO idempotency (terminal_id, request_key, request_hash, state, status_code, body, created_at) \
     SELECT $17, $18, $19, 'done', $20, $21, $13 WHERE EXISTS (SELECT 1 FROM tickets WHERE public_token = $14) \
     ON CONFLICT (terminal_id, request_key) DO UPDATE SET request_hash = excluded.request_hash, state = 'done', \
     status_code = excluded.status_code, body = excluded.body, created_at = excluded.created_at";

/// Inserts the ticket with number `number`, its history entry and the stored reply; `None`
/// when a live ticket holds the number. SQLite takes all statements in one round trip.
async fn insert_ticket(
    conn: &mut AnyConnection,
    backend: Backend,
    t: &NewTicket,
    prefix: char,
    number: u32,
    place: Option<(u32, u32, u32)>,
) -> Result<Option<(TicketRow, Option<(u16, TicketResponse)>)>, IssueError> {
    let token = &t.public_token;
    let display = display_number(prefix, number);
    // The reply completed with the number and place; only with a known place, else the
    // caller works the place out and stores the reply itself.
    let answer = t.answer.as_ref().zip(place).map(|(a, (ahead, low, high))| {
        let mut reply = a.reply.clone();
        reply.ticket.display_number = display.clone();
        reply.ticket.people_ahead = ahead;
        reply.ticket.wait_minutes = [low, high];
        let stored = serde_json::json!({ "ok": &reply }).to_string();
        (a, a.status, reply, stored)
    });
    let sql = match (backend, &answer) {
        (Backend::Sqlite, Some(_)) => {
            format!("{INSERT_TICKET}; {INSERT_ISSUE_EVENT}; {INSERT_ANSWER}")
        }
        (Backend::Sqlite, None) => format!("{INSERT_TICKET}; {INSERT_ISSUE_EVENT}"),
        (Backend::Postgres, _) => INSERT_TICKET.to_owned(),
    };
    let mut query = sqlx::query(&sql)
        .bind(&t.office_id)
        .bind(&t.day)
        .bind(prefix.to_string())
        .bind(i64::from(number))
        .bind(&display)
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
        .bind(place.map(|p| i64::from(p.2)));
    if let (Backend::Sqlite, Some((a, status, _, stored))) = (backend, &answer) {
        query = query
            .bind(&a.terminal_id)
            .bind(&a.key)
            .bind(&a.request_hash)
            .bind(i64::from(*status))
            .bind(stored);
    }
    // Every statement runs only if the whole result is read.
    let rows = query.fetch_all(&mut *conn).await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let ticket = ticket_from(row)?;
    if backend == Backend::Postgres {
        let event = INSERT_ISSUE_EVENT.replace("$13", "$1").replace("$14", "$2");
        sqlx::query(&event)
            .bind(t.now)
            .bind(token)
            .execute(&mut *conn)
            .await?;
        if let Some((a, status, _, stored)) = &answer {
            let renumbered = INSERT_ANSWER
                .replace("$13", "$6")
                .replace("$14", "$7")
                .replace("$17", "$1")
                .replace("$18", "$2")
                .replace("$19", "$3")
                .replace("$20", "$4")
                .replace("$21", "$5");
            sqlx::query(&renumbered)
                .bind(&a.terminal_id)
                .bind(&a.key)
                .bind(&a.request_hash)
                .bind(i64::from(*status))
                .bind(stored)
                .bind(t.now)
                .bind(token)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(Some((
        ticket,
        answer.map(|(_, status, reply, _)| (status, reply)),
    )))
}

/// Advances the group's counter for the day and returns the next number, wrapping to the
/// first number after the last, and, if `ahead_of` is given, how many wait before it. The
/// upsert locks the counter row until commit, which also serialises quota checks of the group
/// in PostgreSQL.
async fn next_number(
    conn: &mut AnyConnection,
    t: &NewTicket,
    prefix: char,
    (first, last): (u32, u32),
    ahead_of: Option<QueueKey>,
) -> Result<(u32, Option<i64>), IssueError> {
    let upsert = "INSERT INTO number_counters (office_id, day, prefix, last_number) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (office_id, day, prefix) DO UPDATE SET last_number = \
         CASE WHEN number_counters.last_number >= $5 THEN $4 ELSE number_counters.last_number + 1 END \
         RETURNING last_number";
    let query = sqlx::query_as::<_, (i64, i64)>;
    let (n, ahead) = match ahead_of {
        Some(key) => {
            let (due_until, group, at) = ahead_params(&key, t.now);
            query(&format!("{upsert}, {}", ahead_sql(6)))
                .bind(&t.office_id)
                .bind(&t.day)
                .bind(prefix.to_string())
                .bind(i64::from(first))
                .bind(i64::from(last))
                .bind(due_until)
                .bind(group)
                .bind(at)
                .bind(key.id)
                .fetch_one(&mut *conn)
                .await
                .map(|(n, ahead)| (n, Some(ahead)))?
        }
        None => query(&format!("{upsert}, 0"))
            .bind(&t.office_id)
            .bind(&t.day)
            .bind(prefix.to_string())
            .bind(i64::from(first))
            .bind(i64::from(last))
            .fetch_one(&mut *conn)
            .await
            .map(|(n, _)| (n, None))?,
    };
    let n = u32::try_from(n)
        .map_err(|_| IssueError::Store(StoreError::Corrupt("negative number".into())))?;
    Ok((n, ahead))
}
