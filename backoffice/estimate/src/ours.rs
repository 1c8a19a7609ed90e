//! Our estimator: replay the real calling policy many times with learned processing times.
//!
//! For a snapshot it builds the list of visits still to come — the waiting tickets plus the
//! booked appointments that have not checked in yet (each shows up with the learned show-up
//! rate) — and replays the calling policy (appointments due two minutes early first, then
//! walk-ins by arrival) on the counters staffed *now*, starting each busy counter with the
//! remaining time of the visit it is serving. From the current count, counters open and close
//! the way they usually do at this time of day ([`StaffingLearner`]). Processing times are
//! drawn from the recent observations of each service ([`ServiceTimeLearner`]).
//! After `draws` replays, the range shown is the `low_quantile`–`high_quantile` band of each
//! ticket's simulated waits; the position is the ticket's place in a replay with mean times.
//!
//! What it deliberately does not guess: walk-ins who have not arrived (they queue behind
//! everyone present), and staffing changes that break the office's usual pattern. With no
//! counter staffed it assumes one will be.

use std::collections::HashMap;

use crate::learner::{DurationSampler, LearnerConfig, ServiceTimeLearner, ShowUpLearner};
use crate::model::{QueueSnapshot, Seconds, ServiceId, WaitEstimate, WaitEstimator};
use crate::replay::{Job, replay};
use crate::rng::{SplitMix64, quantile};
use crate::staffing::StaffingLearner;
use crate::visits::{base_jobs, capacity};

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

impl WaitEstimator for OurEstimator {
    fn estimate(&self, snapshot: &QueueSnapshot) -> Vec<WaitEstimate> {
        if snapshot.waiting.is_empty() {
            return Vec::new();
        }
        let now = snapshot.now as f64;
        let samplers = self.samplers(snapshot);
        let show_rate = self.show_up.rate();
        let (counters, opens, until) =
            capacity(snapshot, &self.staffing, self.config.booked_horizon);
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
