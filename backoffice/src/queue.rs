//! The live queue of an office: who is waiting in which order, people ahead, and the wait
//! estimate given to each visitor.

use jiff::Timestamp;

use crate::store::catalog::{Office, Service};
use crate::store::tickets::TicketRow;
use crate::store::{Db, StoreError};

/// Appointments count as due this long before their time (as in ZMS).
pub const APPOINTMENT_DUE_EARLY_MS: i64 = 2 * 60 * 1000;

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

/// Call order: due appointments by appointment time first, then everyone else by the time
/// they joined the queue.
pub fn call_order<'a>(tickets: impl Iterator<Item = &'a TicketRow>, now_ms: i64) -> Vec<&'a TicketRow> {
    let mut waiting: Vec<&TicketRow> = tickets.filter(|t| t.status.is_waiting()).collect();
    waiting.sort_by_key(|t| match t.appointment_at {
        Some(at) if at - APPOINTMENT_DUE_EARLY_MS <= now_ms => (0, at, t.id),
        _ => (1, t.queued_at, t.id),
    });
    waiting
}

/// Builds the snapshot for an office at `now`.
pub async fn snapshot(db: &Db, office: &Office, services: &[Service], now: Timestamp) -> Result<Snapshot, StoreError> {
    let day = office_day(office, now);
    let tickets = db.live_tickets(&office.id, &day).await?;
    let staffed = db.staffed_counters(&office.id, now.as_millisecond()).await?.max(1);
    let order = call_order(tickets.iter(), now.as_millisecond());
    let average = |service_id: &str| {
        services
            .iter()
            .find(|s| s.id == service_id)
            .map_or(10.0, |s| f64::from(s.average_minutes))
    };
    // Baseline as in ZMS: the first `staffed` people wait nothing; after that each person
    // ahead adds their service's average processing time divided by the staffed counters.
    let averages: Vec<f64> = order.iter().map(|t| average(&t.service_id)).collect();
    let mut waiting = Vec::with_capacity(order.len());
    for (i, t) in order.iter().enumerate() {
        let ahead = i as u32;
        let expected = if ahead < staffed {
            0.0
        } else {
            averages[..=(i - staffed as usize)].iter().sum::<f64>() / f64::from(staffed)
        };
        waiting.push(Waiting {
            ticket: (*t).clone(),
            ahead,
            estimate: ((expected * 0.8).round() as u32, expected.round() as u32),
        });
    }
    Ok(Snapshot {
        day,
        tickets,
        waiting,
        staffed_counters: staffed,
    })
}
