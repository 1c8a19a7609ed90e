//! The call order, defined once: due appointments by their time first (an appointment is due
//! two minutes before it, as in ZMS), then everyone else by the time they joined the queue,
//! ties by id. `queue` orders tickets in memory with [`call_order`]; the store counts people
//! ahead in SQL from [`position`] (`store::order`).

use super::TicketStatus;

/// Appointments count as due this long before their time.
pub const APPOINTMENT_DUE_EARLY_MS: i64 = 2 * 60 * 1000;

/// The fields that decide a ticket's place in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueKey {
    pub id: i64,
    pub status: TicketStatus,
    pub appointment_at: Option<i64>,
    pub queued_at: i64,
}

/// Anything that has a place in the queue.
pub trait Queued {
    fn key(&self) -> QueueKey;
}

impl Queued for QueueKey {
    fn key(&self) -> QueueKey {
        *self
    }
}

/// Appointments at or before this time are due at `now_ms`.
pub fn due_until(now_ms: i64) -> i64 {
    now_ms + APPOINTMENT_DUE_EARLY_MS
}

/// Where `key` sorts at `now_ms`: (group, time, id), lowest first; group 0 are due
/// appointments ordered by their time, group 1 everyone else by the time they joined.
pub fn position(key: &QueueKey, now_ms: i64) -> (i64, i64, i64) {
    match key.appointment_at {
        Some(at) if at <= due_until(now_ms) => (0, at, key.id),
        _ => (1, key.queued_at, key.id),
    }
}

/// The waiting tickets in the order they will be called.
pub fn call_order<'a, T: Queued>(tickets: impl Iterator<Item = &'a T>, now_ms: i64) -> Vec<&'a T> {
    let mut waiting: Vec<(QueueKey, &T)> = tickets
        .map(|t| (t.key(), t))
        .filter(|(k, _)| k.status.is_waiting())
        .collect();
    waiting.sort_by_key(|(k, _)| position(k, now_ms));
    waiting.into_iter().map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, appointment_at: Option<i64>, queued_at: i64) -> QueueKey {
        QueueKey {
            id,
            status: TicketStatus::Waiting,
            appointment_at,
            queued_at,
        }
    }

    #[test]
    fn due_appointments_first_then_by_arrival() {
        let now = 1_000_000;
        let keys = [
            key(1, None, 10),
            key(2, Some(now + APPOINTMENT_DUE_EARLY_MS), 500),
            key(3, Some(now + APPOINTMENT_DUE_EARLY_MS + 1), 5),
            key(4, Some(now - 60_000), 900),
        ];
        let order: Vec<i64> = call_order(keys.iter(), now).iter().map(|k| k.id).collect();
        assert_eq!(
            order,
            [4, 2, 3, 1],
            "not-yet-due appointment 3 joined at 5, before 1"
        );
    }
}
