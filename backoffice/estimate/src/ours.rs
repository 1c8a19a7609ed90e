//! Our estimator: replay the real calling policy many times with learned processing times.
//!
//! For a snapshot it builds the list of visits still to come — the waiting tickets plus the
//! booked appointments that have not checked in yet (each shows up with the learned show-up
//! rate) — and replays the calling policy ([`crate::replay`]) on the counters staffed *now*,
//! starting each busy counter with the remaining time of the visit it is serving. Processing
//! times are drawn from the recent observations of each service ([`ServiceTimeLearner`]).
//! After `draws` replays, the range shown is the `low_quantile`–`high_quantile` band of each
//! ticket's simulated waits; the position is the ticket's place in a replay with mean times.
//!
//! What it deliberately does not guess: counters opening or closing later, and walk-ins who
//! have not arrived (they queue behind everyone present). With no counter staffed it assumes
//! one will be.

use std::collections::HashMap;

use crate::learner::{DurationSampler, LearnerConfig, ServiceTimeLearner, ShowUpLearner};
use crate::model::{
    APPOINTMENT_DUE_EARLY, QueueSnapshot, Seconds, ServiceId, StaffedCounter, WaitEstimate,
    WaitEstimator,
};
use crate::replay::{Job, replay};
use crate::rng::{SplitMix64, quantile};
use crate::staffing::StaffingLearner;

/// Tuning of [`OurEstimator`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OurConfig {
    /// Replays per snapshot (more is smoother and slower; 100 is plenty for a 60 % band).
    pub draws: usize,
    /// Quantile of the simulated waits used as the low end of the range.
    pub low_quantile: f64,
    /// Quantile of the simulated waits used as the high end of the range.
    pub high_quantile: f64,
    /// Booked appointments further than this beyond `now` are ignored.
    pub booked_horizon: Seconds,
    /// Tuning of the processing-time learner.
    pub learner: LearnerConfig,
}

impl Default for OurConfig {
    fn default() -> Self {
        Self {
            draws: 100,
            low_quantile: 0.2,
            high_quantile: 0.8,
            booked_horizon: 4 * 3600,
            learner: LearnerConfig::default(),
        }
    }
}

/// Our wait estimator; keep one per office, feed it finished tickets and appointment outcomes.
#[derive(Debug, Clone)]
pub struct OurEstimator {
    config: OurConfig,
    times: ServiceTimeLearner,
    show_up: ShowUpLearner,
    staffing: StaffingLearner,
}

impl Default for OurEstimator {
    fn default() -> Self {
        Self::new(OurConfig::default())
    }
}

impl OurEstimator {
    /// An estimator that has observed nothing yet (it starts from the configured averages).
    pub fn new(config: OurConfig) -> Self {
        Self {
            config,
            times: ServiceTimeLearner::new(config.learner),
            show_up: ShowUpLearner::default(),
            staffing: StaffingLearner::default(),
        }
    }

    /// Feed how many counters are staffed at local `time_of_day` (seconds since midnight).
    /// Call it regularly while the office is open, e.g. every five minutes.
    pub fn record_staffing(&mut self, time_of_day: Seconds, staffed: usize) {
        self.staffing.record(time_of_day, staffed);
    }

    /// The staffing pattern learned so far.
    pub fn staffing(&self) -> &StaffingLearner {
        &self.staffing
    }

    /// Feed one finished ticket: `duration` seconds between call and finish.
    pub fn record_processing(&mut self, service: ServiceId, duration: Seconds) {
        self.times.record(service, duration);
    }

    /// Feed the outcome of one booked appointment (checked in, or no-show at the end of its
    /// tolerance).
    pub fn record_appointment(&mut self, showed_up: bool) {
        self.show_up.record(showed_up);
    }

    /// The processing times learned so far.
    pub fn learner(&self) -> &ServiceTimeLearner {
        &self.times
    }

    /// The show-up rate learned so far.
    pub fn show_up(&self) -> &ShowUpLearner {
        &self.show_up
    }

    fn samplers(&self, snapshot: &QueueSnapshot) -> HashMap<ServiceId, DurationSampler> {
        let configured: Vec<Seconds> = snapshot.services.iter().map(|s| s.average).collect();
        let fallback = if configured.is_empty() {
            600
        } else {
            configured.iter().sum::<Seconds>() / configured.len() as Seconds
        };
        let services = snapshot
            .waiting
            .iter()
            .map(|t| t.service)
            .chain(snapshot.booked.iter().map(|b| b.service))
            .chain(
                snapshot
                    .counters
                    .iter()
                    .filter_map(|c| c.serving.map(|s| s.service)),
            );
        let mut out = HashMap::new();
        for s in services {
            out.entry(s).or_insert_with(|| {
                self.times
                    .sampler(s, snapshot.configured_average(s, fallback))
            });
        }
        out
    }
}

impl OurEstimator {
    /// The counters of the replay: those staffed now, then those the usual staffing pattern
    /// expects to open (their opening instants in the second list), and per counter the instant
    /// it is expected to stop calling (the third list). With no counter staffed, one is assumed.
    fn capacity(&self, snapshot: &QueueSnapshot) -> (Vec<StaffedCounter>, Vec<f64>, Vec<f64>) {
        let mut counters: Vec<StaffedCounter> = if snapshot.counters.is_empty() {
            vec![StaffedCounter::default()]
        } else {
            snapshot.counters.clone()
        };
        let mut opens = Vec::new();
        let mut until = vec![f64::INFINITY; counters.len()];
        let Some(tod) = snapshot.time_of_day else {
            return (counters, opens, until);
        };
        let plan = self.staffing.plan(
            snapshot.now,
            tod,
            counters.len(),
            self.config.booked_horizon,
        );
        let mut active: Vec<usize> = (0..counters.len()).collect();
        for change in plan {
            for _ in 0..change.delta.max(0) {
                active.push(counters.len());
                counters.push(StaffedCounter::default());
                opens.push(change.at as f64);
                until.push(f64::INFINITY);
            }
            for _ in 0..(-change.delta).max(0) {
                if active.len() > 1
                    && let Some(c) = active.pop()
                {
                    until[c] = change.at as f64;
                }
            }
        }
        (counters, opens, until)
    }
}

/// The visits still to come, sorted as [`replay`] wants them, with mean durations.
fn base_jobs(
    snapshot: &QueueSnapshot,
    samplers: &HashMap<ServiceId, DurationSampler>,
    horizon: Seconds,
    show_rate: f64,
) -> Vec<Job> {
    let now = snapshot.now;
    let mean = |s: ServiceId| samplers.get(&s).map_or(600.0, DurationSampler::mean);
    let mut appointments: Vec<(Seconds, u8, u64, Job)> = Vec::new();
    let mut walk_ins: Vec<(Seconds, u64, Job)> = Vec::new();
    for (i, t) in snapshot.waiting.iter().enumerate() {
        let job = Job {
            ticket: Some(i),
            service: t.service,
            appointment_at: t.appointment_at,
            ready_at: now as f64,
            duration: mean(t.service),
        };
        match t.appointment_at {
            Some(at) => appointments.push((at, 0, t.id.0, job)),
            None => walk_ins.push((t.arrived_at, t.id.0, job)),
        }
    }
    for b in snapshot.booked.iter().filter(|b| b.at <= now + horizon) {
        let job = Job {
            ticket: None,
            service: b.service,
            appointment_at: Some(b.at),
            ready_at: (b.at - APPOINTMENT_DUE_EARLY).max(now) as f64,
            duration: mean(b.service) * show_rate,
        };
        appointments.push((b.at, 1, 0, job));
    }
    appointments.sort_by_key(|a| (a.0, a.1, a.2));
    walk_ins.sort_by_key(|w| (w.0, w.1));
    appointments
        .into_iter()
        .map(|a| a.3)
        .chain(walk_ins.into_iter().map(|w| w.2))
        .collect()
}

impl WaitEstimator for OurEstimator {
    fn estimate(&self, snapshot: &QueueSnapshot) -> Vec<WaitEstimate> {
        if snapshot.waiting.is_empty() {
            return Vec::new();
        }
        let now = snapshot.now as f64;
        let samplers = self.samplers(snapshot);
        let show_rate = self.show_up.rate();
        let (counters, opens, until) = self.capacity(snapshot);
        let staffed_now = &counters[..counters.len() - opens.len()];
        let jobs = base_jobs(snapshot, &samplers, self.config.booked_horizon, show_rate);

        // Mean replay: the expected order, hence each ticket's position.
        let free_mean: Vec<f64> = staffed_now
            .iter()
            .map(|c| match c.serving {
                Some(s) => {
                    let m = samplers
                        .get(&s.service)
                        .map_or(600.0, DurationSampler::mean);
                    let elapsed = (snapshot.now - s.since).max(0) as f64;
                    now + (m - elapsed).max(0.25 * m)
                }
                None => now,
            })
            .chain(opens.iter().copied())
            .collect();
        let called = replay(&counters, free_mean, &until, &jobs);
        let mut order: Vec<(f64, usize)> = jobs
            .iter()
            .zip(&called)
            .filter_map(|(j, c)| j.ticket.map(|t| (c.unwrap_or(f64::INFINITY), t)))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));

        // Random replays: the spread.
        let seed = (snapshot.now as u64).wrapping_mul(0x2545_F491_4F6C_DD1D)
            ^ snapshot.waiting.len() as u64;
        let mut rng = SplitMix64::new(seed);
        let mut waits: Vec<Vec<f64>> = vec![Vec::with_capacity(self.config.draws); jobs.len()];
        let draws = self.config.draws.max(1);
        for _ in 0..draws {
            let free: Vec<f64> = staffed_now
                .iter()
                .map(|c| {
                    match c
                        .serving
                        .and_then(|s| samplers.get(&s.service).map(|m| (s, m)))
                    {
                        Some((s, m)) => {
                            let elapsed = (snapshot.now - s.since).max(0) as f64;
                            now + m.draw_remaining(elapsed, &mut rng)
                        }
                        None => now,
                    }
                })
                .chain(opens.iter().copied())
                .collect();
            let mut drawn: Vec<Job> = Vec::with_capacity(jobs.len());
            for j in &jobs {
                if j.ticket.is_none() && rng.next_f64() >= show_rate {
                    continue;
                }
                let d = samplers
                    .get(&j.service)
                    .map_or(j.duration, |s| s.draw(&mut rng));
                drawn.push(Job { duration: d, ..*j });
            }
            for (j, c) in drawn.iter().zip(replay(&counters, free, &until, &drawn)) {
                if let (Some(t), Some(c)) = (j.ticket, c) {
                    waits[t].push(((c - now) / 60.0).max(0.0));
                }
            }
        }

        order
            .iter()
            .enumerate()
            .map(|(position, &(_, t))| {
                let w = &mut waits[t];
                w.sort_by(f64::total_cmp);
                let low = quantile(w, self.config.low_quantile).round();
                let high = quantile(w, self.config.high_quantile).round().max(low);
                WaitEstimate {
                    ticket: snapshot.waiting[t].id,
                    position,
                    low_minutes: low as u32,
                    high_minutes: high as u32,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InService, ServiceConfig, TicketId, WaitingTicket};

    fn snapshot(counters: usize, n: u64) -> QueueSnapshot {
        QueueSnapshot {
            now: 36_000,
            waiting: (0..n)
                .map(|i| WaitingTicket {
                    id: TicketId(i),
                    service: ServiceId(1),
                    arrived_at: 30_000 + i as Seconds,
                    appointment_at: None,
                })
                .collect(),
            counters: vec![StaffedCounter::default(); counters],
            booked: Vec::new(),
            services: vec![ServiceConfig {
                service: ServiceId(1),
                average: 600,
            }],
            time_of_day: None,
        }
    }

    #[test]
    fn learned_times_replace_configured_ones() {
        let s = snapshot(1, 3);
        let mut ours = OurEstimator::default();
        let before = ours.estimate(&s);
        for _ in 0..60 {
            ours.record_processing(ServiceId(1), 1200);
        }
        let after = ours.estimate(&s);
        assert_eq!(before[0].high_minutes, 0);
        // Third in line behind two visits of ~20 minutes on one counter.
        assert!(
            after[2].midpoint() > 35.0 && after[2].midpoint() < 41.0,
            "{after:?}"
        );
        assert!(after[2].midpoint() > before[2].midpoint());
    }

    #[test]
    fn busy_counters_delay_the_first_in_line() {
        let mut s = snapshot(2, 1);
        for c in &mut s.counters {
            c.serving = Some(InService {
                service: ServiceId(1),
                since: s.now - 60,
            });
        }
        let ours = OurEstimator::default();
        let e = ours.estimate(&s);
        assert!(e[0].low_minutes >= 1 && e[0].high_minutes >= 5, "{e:?}");
    }

    #[test]
    fn booked_appointment_goes_ahead_when_due() {
        let mut s = snapshot(1, 2);
        s.booked.push(crate::model::BookedAppointment {
            service: ServiceId(1),
            at: s.now + 60,
        });
        let none_show = {
            let mut o = OurEstimator::default();
            for _ in 0..1000 {
                o.record_appointment(false);
            }
            o
        };
        let all_show = {
            let mut o = OurEstimator::default();
            for _ in 0..1000 {
                o.record_appointment(true);
            }
            o
        };
        let a = none_show.estimate(&s);
        let b = all_show.estimate(&s);
        assert_eq!(a[0].position, 0);
        assert!(b[1].midpoint() > a[1].midpoint() + 5.0, "{a:?} {b:?}");
    }
}
