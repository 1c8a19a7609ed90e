//! The live queue of an office: who is waiting in which order, people ahead, and the wait
//! estimate given to each visitor.

use jiff::Timestamp;

use crate::domain::order::Queued;
pub use crate::domain::order::call_order;
use crate::estimate::{Estimators, Inputs};
use crate::store::catalog::{Office, Service};
use crate::store::tickets::TicketRow;
use crate::store::{Db, StoreError};

/// A waiting ticket with its place in the queue.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub ticket: TicketRow,
    /// People ahead in the office's queue.
    pub ahead: u32,
    /// Estimated wait in minutes, optimistic and expected.
    pub estimate: (u32, u32),
}

/// The office's day as it stands.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub day: String,
    /// Live tickets of the day, in order of arrival.
    pub tickets: Vec<TicketRow>,
    /// Waiting tickets in the order they will be called.
    pub waiting: Vec<Waiting>,
    pub staffed_counters: u32,
}

/// The office-local date of `now`, as tickets are filed (`2026-11-26`).
pub fn office_day(office: &Office, now: Timestamp) -> String {
    now.to_zoned(office.timezone.clone()).date().to_string()
}

/// How old an office's estimate may be when handed out while a new one is computed.
pub const STALE_ESTIMATE_MS: i64 = 10_000;

/// People ahead and the wait range (minutes) of one waiting ticket; `None` when it is not
/// waiting. Cheap while the office's estimate is recent: people ahead are counted in the
/// database and the range comes from the last estimate. A due recomputation runs in the
/// background (`refresh`), so no request waits for it.
pub async fn place_of<F>(
    db: &Db,
    estimators: &Estimators,
    office: &Office,
    services: &[Service],
    now: Timestamp,
    ticket: &TicketRow,
    refresh: F,
) -> Result<Option<(u32, u32, u32)>, StoreError>
where
    F: FnOnce(),
{
    if !ticket.status.is_waiting() {
        return Ok(None);
    }
    let now_ms = now.as_millisecond();
    let ahead = db
        .waiting_ahead(&office.id, &ticket.day, ticket.key(), now_ms)
        .await?;
    if let Some((low, high)) = estimators.placed(
        &office.id,
        now_ms,
        Some(ticket.id),
        ahead,
        STALE_ESTIMATE_MS,
    ) {
        if estimators.claim_refresh(&office.id, now_ms) {
            refresh();
        }
        return Ok(Some((ahead, low, high)));
    }
    let snap = snapshot(db, estimators, office, services, now).await?;
    Ok(snap
        .waiting
        .iter()
        .find(|w| w.ticket.id == ticket.id)
        .map(|w| (w.ahead, w.estimate.0, w.estimate.1)))
}

/// Builds the snapshot for an office at `now`, with our estimate for every waiting ticket.
pub async fn snapshot(
    db: &Db,
    estimators: &Estimators,
    office: &Office,
    services: &[Service],
    now: Timestamp,
) -> Result<Snapshot, StoreError> {
    let day = office_day(office, now);
    let now_ms = now.as_millisecond();
    let tickets = db.live_tickets(&office.id, &day).await?;
    let staffed = db.staffed_counters(&office.id, now_ms).await?;
    let booked = db
        .appointments_between(
            &office.id,
            now_ms - office.rules.checkin_late_minutes * 60_000,
            now_ms + 4 * 3_600_000,
        )
        .await?;
    let local = now.to_zoned(office.timezone.clone());
    let time_of_day =
        i64::from(local.hour()) * 3600 + i64::from(local.minute()) * 60 + i64::from(local.second());
    // Nobody logged in yet (before opening, demo): plan with half the office's counters
    // rather than with none, which would mean waiting forever.
    let planned = if staffed > 0 {
        staffed
    } else {
        (db.counters(&office.id).await?.len() as u32 / 2).max(1)
    };
    let order = call_order(tickets.iter(), now_ms);
    let ids: Vec<i64> = order.iter().map(|t| t.id).collect();
    let estimates = estimators.estimate(
        &Inputs {
            office_id: &office.id,
            now_ms,
            time_of_day,
            live: &tickets,
            services,
            booked: &booked,
            staffed_counters: planned,
        },
        &ids,
    );
    let mut waiting: Vec<Waiting> = order
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let (ahead, low, high) = estimates.get(&t.id).copied().unwrap_or((i as u32, 0, 0));
            Waiting {
                ticket: t.clone(),
                ahead,
                estimate: (low, high),
            }
        })
        .collect();
    waiting.sort_by_key(|w| w.ahead);
    Ok(Snapshot {
        day,
        tickets,
        waiting,
        staffed_counters: staffed,
    })
}
