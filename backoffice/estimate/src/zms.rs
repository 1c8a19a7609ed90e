//! The baseline: ZMS's waiting-time simulation, translated faithfully from its `QueueList`.
//!
//! ZMS (it-at-m/eappointment, `zmsentities/src/Zmsentities/Collection/QueueList.php`,
//! `withEstimatedWaitingTime`) walks the queue once with a fixed slot per person:
//!
//! - slot = office-wide average processing time (whole minutes) × 60 ÷ staffed counters
//!   (one counter if none is staffed); optimistic slot = 0.8 × slot;
//! - its list holds the tickets waiting *and* the appointments booked for today that have not
//!   arrived; appointments are sorted by booked time, walk-ins by arrival;
//! - a simulated clock starts at `now + 120 s` (the two-minute head start) and advances one slot
//!   per person; whenever the clock has reached the next appointment's time, that appointment
//!   goes before the next walk-in;
//! - a walk-in's estimate is `floor((k + 1) × slot)` minutes where `k` people are ahead of it;
//!   its optimistic value is 0 for the first as many people as there are counters and then
//!   grows by 0.8 × slot per person (floored);
//! - an appointment gets "clock minutes + 1" and, as optimistic value, the minutes until its
//!   booked time, unless the optimistic clock has already passed that time, in which case it gets
//!   the walk-in values.
//!
//! The range shown is "optimistic–estimate". ZMS's per-ticket priorities 1 and 2 (manual
//! emergency priorities) are not modelled; every walk-in has ZMS's default priority.
//!
//! Note: ZMS only zeroes the *optimistic* value of the first people; their estimate is already
//! one slot (the ZMS unit test: one counter, 10 minutes, one person waiting → the next gets
//! 20 / 8).

use crate::model::{QueueSnapshot, Seconds, TicketId, WaitEstimate, WaitEstimator};

/// ZMS's estimator, configured like a ZMS scope: one average processing time for the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZmsEstimator {
    /// The scope's `processingTimeAverage` in whole minutes (must be positive; 0 is treated as 1).
    pub average_minutes: u32,
}

/// One entry of ZMS's list: a waiting ticket or a booked appointment not yet arrived.
#[derive(Debug, Clone, Copy)]
struct Entry {
    ticket: Option<TicketId>,
    arrival: Seconds,
    order: u64,
}

impl WaitEstimator for ZmsEstimator {
    fn estimate(&self, snapshot: &QueueSnapshot) -> Vec<WaitEstimate> {
        let now = snapshot.now;
        let mut appointments: Vec<Entry> = Vec::new();
        let mut walk_ins: Vec<Entry> = Vec::new();
        for t in &snapshot.waiting {
            let entry = Entry {
                ticket: Some(t.id),
                arrival: t.appointment_at.unwrap_or(t.arrived_at),
                order: t.id.0,
            };
            if t.appointment_at.is_some() {
                appointments.push(entry);
            } else {
                walk_ins.push(entry);
            }
        }
        for b in &snapshot.booked {
            appointments.push(Entry {
                ticket: None,
                arrival: b.at,
                order: u64::MAX,
            });
        }
        appointments.sort_by_key(|e| (e.arrival, e.order));
        walk_ins.sort_by_key(|e| (e.arrival, e.order));

        let counters = snapshot.counters.len();
        let average = f64::from(self.average_minutes.max(1)) * 60.0;
        let slot = if counters > 0 {
            average / counters as f64
        } else {
            average
        };
        let slot_optimistic = slot * 0.8;
        let start = now as f64;
        let mut current = start + 120.0;
        let mut optimistic = start;
        let mut pessimistic = start + slot;
        let mut skip = counters as i64;
        let mut wait = 0i64;
        let mut wait_opt = 0i64;
        let mut wait_pes = minutes_floor(pessimistic - start);

        let mut out = Vec::new();
        let (mut ai, mut wi, mut placed) = (0usize, 0usize, 0usize);
        while ai < appointments.len() || wi < walk_ins.len() {
            let mut assigned: Option<(Entry, i64, i64)> = None;
            if let Some(a) = appointments.get(ai).filter(|a| current >= a.arrival as f64) {
                let (opt, est) = if optimistic >= a.arrival as f64 {
                    (wait_opt, wait_pes)
                } else {
                    (minutes_floor(a.arrival as f64 - start), wait + 1)
                };
                assigned = Some((*a, opt, est));
                ai += 1;
            } else if let Some(w) = walk_ins.get(wi) {
                assigned = Some((*w, wait_opt, wait_pes));
                wi += 1;
            }
            if let Some((entry, opt, est)) = assigned {
                if let Some(ticket) = entry.ticket {
                    out.push(range(ticket, placed, opt, est));
                }
                placed += 1;
            }
            skip -= 1;
            if skip <= 0 {
                optimistic += slot_optimistic;
            }
            pessimistic += slot;
            current += slot;
            wait = (((current - start) / 60.0).ceil()) as i64;
            wait_opt = minutes_floor(optimistic - start);
            wait_pes = minutes_floor(pessimistic - start);
        }
        out
    }
}

fn minutes_floor(seconds: f64) -> i64 {
    (seconds / 60.0).floor() as i64
}

/// ZMS's pair as a range: negative values become 0, and the pair is ordered.
fn range(ticket: TicketId, position: usize, opt: i64, est: i64) -> WaitEstimate {
    let clamp = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    let (a, b) = (clamp(opt), clamp(est));
    WaitEstimate {
        ticket,
        position,
        low_minutes: a.min(b),
        high_minutes: a.max(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BookedAppointment, StaffedCounter, WaitingTicket};

    fn walk_in(id: u64, arrived_at: Seconds) -> WaitingTicket {
        WaitingTicket {
            id: TicketId(id),
            service: crate::model::ServiceId(1),
            arrived_at,
            appointment_at: None,
        }
    }

    fn snapshot(counters: usize, waiting: Vec<WaitingTicket>) -> QueueSnapshot {
        QueueSnapshot {
            now: 10_000,
            waiting,
            counters: vec![StaffedCounter::default(); counters],
            ..QueueSnapshot::default()
        }
    }

    fn pairs(s: &QueueSnapshot, minutes: u32) -> Vec<(u32, u32)> {
        let zms = ZmsEstimator {
            average_minutes: minutes,
        };
        zms.estimate(s)
            .iter()
            .map(|e| (e.low_minutes, e.high_minutes))
            .collect()
    }

    #[test]
    fn one_counter_ten_minutes_matches_zms_unit_test() {
        // ZMS QueueListTest::testBasic: one person waiting, the new one gets 20 est / 8 opt.
        let s = snapshot(1, vec![walk_in(1, 9_000), walk_in(2, 10_000)]);
        assert_eq!(pairs(&s, 10), vec![(0, 10), (8, 20)]);
    }

    #[test]
    fn two_counters_ten_minutes() {
        // slot 5 min: estimates 5, 10, 15, 20; optimistic 0, 0, then +4 per person.
        let waiting = (1..=4).map(|i| walk_in(i, 9_000 + i as Seconds)).collect();
        let s = snapshot(2, waiting);
        assert_eq!(pairs(&s, 10), vec![(0, 5), (0, 10), (4, 15), (8, 20)]);
    }

    #[test]
    fn no_counter_counts_as_one() {
        let s = snapshot(0, vec![walk_in(1, 9_000), walk_in(2, 9_500)]);
        assert_eq!(pairs(&s, 12), vec![(0, 12), (9, 24)]);
    }

    #[test]
    fn appointments_go_first_when_due() {
        // ZMS QueueListTest::testWithSortedWaitingTime: appointments at now and now+20 min,
        // a walk-in arriving now, 2 counters, 10 min: 5, 10 and 23 minutes.
        let now = 10_000;
        let mut s = snapshot(2, vec![walk_in(3, now)]);
        s.waiting.push(WaitingTicket {
            id: TicketId(1),
            service: crate::model::ServiceId(1),
            arrived_at: now - 600,
            appointment_at: Some(now),
        });
        s.booked.push(BookedAppointment {
            service: crate::model::ServiceId(1),
            at: now + 1200,
        });
        let est = ZmsEstimator {
            average_minutes: 10,
        }
        .estimate(&s);
        let got: Vec<(u64, usize, u32)> = est
            .iter()
            .map(|e| (e.ticket.0, e.position, e.high_minutes))
            .collect();
        assert_eq!(got, vec![(1, 0, 5), (3, 1, 10)]);
    }

    #[test]
    fn later_appointment_waits_for_its_time() {
        // A checked-in appointment 20 minutes ahead: optimistic = minutes until its time.
        let now = 10_000;
        let mut s = snapshot(2, vec![walk_in(3, now)]);
        s.waiting.push(WaitingTicket {
            id: TicketId(1),
            service: crate::model::ServiceId(1),
            arrived_at: now,
            appointment_at: Some(now + 1200),
        });
        let est = ZmsEstimator {
            average_minutes: 10,
        }
        .estimate(&s);
        let got: Vec<(u64, u32, u32)> = est
            .iter()
            .map(|e| (e.ticket.0, e.low_minutes, e.high_minutes))
            .collect();
        assert_eq!(got, vec![(3, 0, 5), (1, 20, 23)]);
    }
}
