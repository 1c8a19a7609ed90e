//! Wait estimates for live queues: one learning [`OurEstimator`] per office, fed with finished
//! tickets, appointment check-ins and staffing, and asked for every snapshot.

use std::collections::HashMap;
use std::sync::Mutex;

use queue_estimate::{
    BookedAppointment, InService, OurEstimator, QueueSnapshot, ServiceConfig, ServiceId,
    StaffedCounter, TicketId, WaitEstimator, WaitingTicket,
};

use crate::domain::TicketStatus;
use crate::domain::wait::WaitCurve;
use crate::store::appointments::Appointment;
use crate::store::catalog::Service;
use crate::store::tickets::TicketRow;

/// How often the staffing pattern is sampled.
const STAFFING_SAMPLE_SECS: i64 = 300;

/// Estimates are recomputed at most this often per office; tickets issued in between are
/// placed behind the last estimated one.
const RECOMPUTE_MS: i64 = 1000;

#[derive(Default)]
struct OfficeModel {
    estimator: OurEstimator,
    last_staffing_sample: i64,
    cache: Option<Cached>,
    /// A background recomputation started then (a stuck one is retried after 10 s).
    refreshing_since: Option<i64>,
}

/// The last full estimate of an office.
struct Cached {
    at_ms: i64,
    by_ticket: HashMap<i64, (u32, u32, u32)>,
    /// Wait ranges by people ahead, and beyond the last ticket in the call order.
    curve: WaitCurve,
}

/// The estimators of all offices.
#[derive(Default)]
pub struct Estimators {
    offices: Mutex<HashMap<String, OfficeModel>>,
    service_ids: Mutex<HashMap<String, u32>>,
}

/// What the estimator needs to know about an office right now.
pub struct Inputs<'a> {
    pub office_id: &'a str,
    pub now_ms: i64,
    /// Seconds since local midnight.
    pub time_of_day: i64,
    pub live: &'a [TicketRow],
    pub services: &'a [Service],
    pub booked: &'a [Appointment],
    pub staffed_counters: u32,
}

impl Estimators {
    fn service_id(&self, id: &str) -> ServiceId {
        let mut ids = self.service_ids.lock().unwrap_or_else(|p| p.into_inner());
        let next = ids.len() as u32;
        ServiceId(*ids.entry(id.to_owned()).or_insert(next))
    }

    fn with_office<T>(&self, office_id: &str, f: impl FnOnce(&mut OfficeModel) -> T) -> T {
        let mut offices = self.offices.lock().unwrap_or_else(|p| p.into_inner());
        f(offices.entry(office_id.to_owned()).or_default())
    }

    /// A visit ended at a counter: learn how long the service took.
    pub fn record_finished(&self, ticket: &TicketRow) {
        if let (Some(start), Some(end)) = (ticket.called_at, ticket.finished_at) {
            let service = self.service_id(&ticket.service_id);
            self.with_office(&ticket.office_id, |m| {
                m.estimator.record_processing(service, (end - start) / 1000)
            });
        }
    }

    /// A booked visitor turned up (or, at the end of the tolerance, did not).
    pub fn record_appointment(&self, office_id: &str, showed_up: bool) {
        self.with_office(office_id, |m| m.estimator.record_appointment(showed_up));
    }

    /// Estimates for every waiting ticket: ticket id → (people ahead, low, high minutes).
    /// `waiting_in_order` are the waiting tickets' ids in call order.
    pub fn estimate(
        &self,
        inputs: &Inputs<'_>,
        waiting_in_order: &[i64],
    ) -> HashMap<i64, (u32, u32, u32)> {
        if let Some(estimates) = self.cached(inputs.office_id, inputs.now_ms, waiting_in_order) {
            return estimates;
        }
        let estimates = self.compute(inputs);
        let tail = waiting_in_order
            .iter()
            .rev()
            .find_map(|id| estimates.get(id))
            .copied()
            .unwrap_or((0, 0, 0));
        let average = inputs
            .services
            .iter()
            .map(|s| f64::from(s.average_minutes))
            .sum::<f64>()
            / inputs.services.len().max(1) as f64;
        let step_minutes = average / f64::from(inputs.staffed_counters.max(1));
        let mut by_position: Vec<(u32, u32, u32)> = estimates.values().copied().collect();
        by_position.sort_unstable();
        self.with_office(inputs.office_id, |m| {
            m.cache = Some(Cached {
                at_ms: inputs.now_ms,
                by_ticket: estimates.clone(),
                curve: WaitCurve::new(
                    by_position.iter().map(|e| (e.1, e.2)).collect(),
                    tail,
                    step_minutes,
                ),
            });
            m.refreshing_since = None;
        });
        estimates
    }

    /// The office's last estimate if it is fresh, extended to tickets issued since.
    pub fn cached(
        &self,
        office_id: &str,
        now_ms: i64,
        waiting_in_order: &[i64],
    ) -> Option<HashMap<i64, (u32, u32, u32)>> {
        self.cached_within(office_id, now_ms, waiting_in_order, RECOMPUTE_MS)
    }

    /// The office's last estimate if it is younger than `max_age_ms`, extended to tickets
    /// issued since (each one behind the last, one average visit further).
    pub fn cached_within(
        &self,
        office_id: &str,
        now_ms: i64,
        waiting_in_order: &[i64],
        max_age_ms: i64,
    ) -> Option<HashMap<i64, (u32, u32, u32)>> {
        self.with_office(office_id, |m| {
            m.cache
                .as_ref()
                .filter(|c| now_ms - c.at_ms < max_age_ms)
                .map(|c| {
                    let mut out = HashMap::with_capacity(waiting_in_order.len());
                    let mut behind = 0;
                    for id in waiting_in_order {
                        let e = c.by_ticket.get(id).copied().unwrap_or_else(|| {
                            behind += 1;
                            c.curve.behind_tail(behind)
                        });
                        out.insert(*id, e);
                    }
                    out
                })
        })
    }

    /// The wait range (minutes) of a waiting ticket with `ahead` people before it, from the
    /// office's last estimate if it is younger than `max_age_ms`: the ticket's own estimate if
    /// it was part of it, else that of the visitor who then had as many people ahead, else the
    /// last one's extended by an average visit per person.
    pub fn placed(
        &self,
        office_id: &str,
        now_ms: i64,
        ticket_id: Option<i64>,
        ahead: u32,
        max_age_ms: i64,
    ) -> Option<(u32, u32)> {
        self.with_office(office_id, |m| {
            let c = m.cache.as_ref().filter(|c| now_ms - c.at_ms < max_age_ms)?;
            if let Some(&(_, low, high)) = ticket_id.and_then(|id| c.by_ticket.get(&id)) {
                return Some((low, high));
            }
            Some(c.curve.range(ahead))
        })
    }

    /// The office's wait ranges by people ahead from its last estimate, if it is younger
    /// than `max_age_ms`.
    pub fn curve(&self, office_id: &str, now_ms: i64, max_age_ms: i64) -> Option<WaitCurve> {
        self.with_office(office_id, |m| {
            m.cache
                .as_ref()
                .filter(|c| now_ms - c.at_ms < max_age_ms)
                .map(|c| c.curve.clone())
        })
    }

    /// Whether the caller should recompute the office's estimate in the background: `true`
    /// once while it is due, until a new one is stored (or the attempt is 10 s old).
    pub fn claim_refresh(&self, office_id: &str, now_ms: i64) -> bool {
        self.with_office(office_id, |m| {
            let due = m
                .cache
                .as_ref()
                .is_none_or(|c| now_ms - c.at_ms >= RECOMPUTE_MS);
            let claimed = due && m.refreshing_since.is_none_or(|t| now_ms - t > 10_000);
            if claimed {
                m.refreshing_since = Some(now_ms);
            }
            claimed
        })
    }

    fn compute(&self, inputs: &Inputs<'_>) -> HashMap<i64, (u32, u32, u32)> {
        let now = inputs.now_ms / 1000;
        let mut serving: Vec<StaffedCounter> = inputs
            .live
            .iter()
            .filter(|t| matches!(t.status, TicketStatus::Called | TicketStatus::InService))
            .map(|t| StaffedCounter {
                serving: Some(InService {
                    service: self.service_id(&t.service_id),
                    since: t.called_at.unwrap_or(inputs.now_ms) / 1000,
                }),
                services: None,
            })
            .collect();
        while serving.len() < inputs.staffed_counters as usize {
            serving.push(StaffedCounter::default());
        }
        let snapshot = QueueSnapshot {
            now,
            waiting: inputs
                .live
                .iter()
                .filter(|t| t.status.is_waiting())
                .map(|t| WaitingTicket {
                    id: TicketId(t.id as u64),
                    service: self.service_id(&t.service_id),
                    arrived_at: t.queued_at / 1000,
                    appointment_at: t.appointment_at.map(|a| a / 1000),
                })
                .collect(),
            counters: serving,
            booked: inputs
                .booked
                .iter()
                .filter(|a| a.ticket_id.is_none())
                .map(|a| BookedAppointment {
                    service: self.service_id(&a.service_id),
                    at: a.starts_at / 1000,
                })
                .collect(),
            services: inputs
                .services
                .iter()
                .map(|s| ServiceConfig {
                    service: self.service_id(&s.id),
                    average: i64::from(s.average_minutes) * 60,
                })
                .collect(),
            time_of_day: Some(inputs.time_of_day),
        };
        let staffed = inputs.staffed_counters as usize;
        // The replay takes a while on a long queue: run it on a copy, outside the lock.
        let estimator = self.with_office(inputs.office_id, |m| {
            if now - m.last_staffing_sample >= STAFFING_SAMPLE_SECS && staffed > 0 {
                m.estimator.record_staffing(inputs.time_of_day, staffed);
                m.last_staffing_sample = now;
            }
            m.estimator.clone()
        });
        estimator
            .estimate(&snapshot)
            .into_iter()
            .map(|e| {
                (
                    e.ticket.0 as i64,
                    (e.position as u32, e.low_minutes, e.high_minutes),
                )
            })
            .collect()
    }
}
