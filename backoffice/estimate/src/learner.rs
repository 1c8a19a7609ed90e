//! What the office has observed: processing times per service and how many appointments show up.
//!
//! [`ServiceTimeLearner`] keeps the most recent processing durations of each service (a sliding
//! window) and blends them with the configured average, which acts as a prior worth a few
//! observations until real ones arrive. Durations far above the recent median (a clerk who forgot
//! to press *finish*) are capped. [`ShowUpLearner`] counts appointments that checked in versus
//! no-shows, starting from a prior rate.

use std::collections::{HashMap, VecDeque};

use crate::model::{Seconds, ServiceId};
use crate::rng::SplitMix64;

/// Tuning of the processing-time learner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnerConfig {
    /// How many recent durations per service are kept.
    pub window: usize,
    /// How many observations the configured average is worth.
    pub prior_weight: f64,
    /// Spread assumed around the configured average before observations exist
    /// (σ of a lognormal; 0.5 means roughly ±50 %).
    pub prior_sigma: f64,
    /// Durations above this multiple of the recent median are capped to it.
    pub outlier_factor: f64,
}

impl Default for LearnerConfig {
    fn default() -> Self {
        Self {
            window: 60,
            prior_weight: 5.0,
            prior_sigma: 0.5,
            outlier_factor: 4.0,
        }
    }
}

/// Processing times learned per service from finished tickets.
#[derive(Debug, Clone, Default)]
pub struct ServiceTimeLearner {
    config: LearnerConfig,
    recent: HashMap<ServiceId, VecDeque<Seconds>>,
}

/// Standard-normal points at the middle of each tenth, used to spread the prior.
const DECILE_Z: [f64; 10] = [
    -1.645, -1.036, -0.674, -0.385, -0.126, 0.126, 0.385, 0.674, 1.036, 1.645,
];

impl ServiceTimeLearner {
    /// An empty learner with the given tuning.
    pub fn new(config: LearnerConfig) -> Self {
        Self {
            config,
            recent: HashMap::new(),
        }
    }

    /// Record one finished ticket: `duration` seconds from call to finish. Non-positive
    /// durations (clock errors, tickets finished by mistake) are ignored.
    pub fn record(&mut self, service: ServiceId, duration: Seconds) {
        if duration <= 0 {
            return;
        }
        let window = self.config.window.max(1);
        let q = self.recent.entry(service).or_default();
        if q.len() >= window {
            q.pop_front();
        }
        q.push_back(duration);
    }

    /// How many observations of `service` are in the window.
    pub fn observations(&self, service: ServiceId) -> usize {
        self.recent.get(&service).map_or(0, VecDeque::len)
    }

    /// The recent durations of `service` with outliers capped, ascending.
    fn cleaned(&self, service: ServiceId, configured: Seconds) -> Vec<f64> {
        let Some(q) = self.recent.get(&service) else {
            return Vec::new();
        };
        let mut v: Vec<f64> = q.iter().map(|&d| d as f64).collect();
        v.sort_by(f64::total_cmp);
        let median = if v.len() >= 5 {
            v[v.len() / 2]
        } else {
            configured.max(1) as f64
        };
        let cap = median * self.config.outlier_factor;
        for d in &mut v {
            *d = d.min(cap);
        }
        v
    }

    /// The expected processing time of `service` in seconds: the configured average weighted
    /// as `prior_weight` observations, blended with the capped recent observations.
    pub fn mean(&self, service: ServiceId, configured: Seconds) -> f64 {
        let v = self.cleaned(service, configured);
        let w = self.config.prior_weight;
        (w * configured.max(1) as f64 + v.iter().sum::<f64>()) / (w + v.len() as f64)
    }

    /// A sampler of processing times for `service` with the same mixture as [`Self::mean`].
    pub fn sampler(&self, service: ServiceId, configured: Seconds) -> DurationSampler {
        let s = self.config.prior_sigma;
        let raw: Vec<f64> = DECILE_Z.iter().map(|z| (s * z).exp()).collect();
        let norm = raw.iter().sum::<f64>() / raw.len() as f64;
        let base = configured.max(1) as f64;
        let prior = raw.iter().map(|m| base * m / norm).collect();
        let observed = self.cleaned(service, configured);
        let w = self.config.prior_weight;
        DurationSampler {
            prior_share: w / (w + observed.len() as f64),
            prior,
            observed,
            mean: self.mean(service, configured),
        }
    }
}

/// Draws plausible processing times of one service: recent observations, or the spread prior
/// in proportion to how little has been observed.
#[derive(Debug, Clone)]
pub struct DurationSampler {
    prior_share: f64,
    prior: Vec<f64>,
    observed: Vec<f64>,
    mean: f64,
}

impl DurationSampler {
    /// The expected duration in seconds.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// One random duration in seconds.
    pub fn draw(&self, rng: &mut SplitMix64) -> f64 {
        if self.observed.is_empty() || rng.next_f64() < self.prior_share {
            self.prior[rng.below(self.prior.len())]
        } else {
            self.observed[rng.below(self.observed.len())]
        }
    }

    /// One random remaining duration of a visit already `elapsed` seconds long: a draw longer
    /// than `elapsed` minus `elapsed`, or, if a few tries find none, a quarter of the mean.
    pub fn draw_remaining(&self, elapsed: f64, rng: &mut SplitMix64) -> f64 {
        for _ in 0..8 {
            let d = self.draw(rng);
            if d > elapsed {
                return d - elapsed;
            }
        }
        self.mean * 0.25
    }
}

/// The share of booked appointments that actually check in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShowUpLearner {
    shows: f64,
    no_shows: f64,
}

impl Default for ShowUpLearner {
    /// A prior of 85 % show-ups worth ten appointments.
    fn default() -> Self {
        Self::with_prior(0.85, 10.0)
    }
}

impl ShowUpLearner {
    /// A learner starting at `rate` (0..=1) worth `weight` appointments.
    pub fn with_prior(rate: f64, weight: f64) -> Self {
        let rate = rate.clamp(0.0, 1.0);
        let weight = weight.max(0.0);
        Self {
            shows: rate * weight,
            no_shows: (1.0 - rate) * weight,
        }
    }

    /// Record the outcome of one booked appointment.
    pub fn record(&mut self, showed_up: bool) {
        if showed_up {
            self.shows += 1.0;
        } else {
            self.no_shows += 1.0;
        }
    }

    /// The estimated probability that a booked appointment checks in.
    pub fn rate(&self) -> f64 {
        let total = self.shows + self.no_shows;
        if total > 0.0 { self.shows / total } else { 1.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: ServiceId = ServiceId(7);

    #[test]
    fn prior_alone_gives_configured_average() {
        let l = ServiceTimeLearner::default();
        assert_eq!(l.mean(S, 600), 600.0);
        let sampler = l.sampler(S, 600);
        let mut rng = SplitMix64::new(1);
        let avg: f64 = (0..20_000).map(|_| sampler.draw(&mut rng)).sum::<f64>() / 20_000.0;
        assert!((avg - 600.0).abs() < 15.0, "{avg}");
    }

    #[test]
    fn observations_pull_the_mean_and_the_prior_fades() {
        let mut l = ServiceTimeLearner::new(LearnerConfig::default());
        for _ in 0..5 {
            l.record(S, 900);
        }
        // 5 × 600 (prior) + 5 × 900, over 10.
        assert_eq!(l.mean(S, 600), 750.0);
        for _ in 0..55 {
            l.record(S, 900);
        }
        assert!((l.mean(S, 600) - 876.9).abs() < 0.1);
    }

    #[test]
    fn window_forgets_old_durations() {
        let mut l = ServiceTimeLearner::new(LearnerConfig {
            window: 3,
            ..LearnerConfig::default()
        });
        for d in [100, 100, 100, 400, 400, 400] {
            l.record(S, d);
        }
        assert_eq!(l.observations(S), 3);
        assert!(l.mean(S, 400) > 399.0);
    }

    #[test]
    fn forgotten_finish_is_capped_and_nonsense_ignored() {
        let mut l = ServiceTimeLearner::default();
        for _ in 0..9 {
            l.record(S, 600);
        }
        l.record(S, 6 * 3600);
        l.record(S, 0);
        l.record(S, -5);
        assert_eq!(l.observations(S), 10);
        // The 6 h entry counts as 4 × 600 s.
        let expected = (5.0 * 600.0 + 9.0 * 600.0 + 2400.0) / 15.0;
        assert!((l.mean(S, 600) - expected).abs() < 1e-9);
    }

    #[test]
    fn remaining_time_is_positive() {
        let mut l = ServiceTimeLearner::default();
        for d in [300, 400, 500, 600, 700] {
            l.record(S, d);
        }
        let s = l.sampler(S, 500);
        let mut rng = SplitMix64::new(3);
        for _ in 0..100 {
            assert!(s.draw_remaining(10_000.0, &mut rng) > 0.0);
            assert!(s.draw_remaining(200.0, &mut rng) > 0.0);
        }
    }

    #[test]
    fn show_up_rate_moves_with_outcomes() {
        let mut s = ShowUpLearner::with_prior(0.8, 10.0);
        assert!((s.rate() - 0.8).abs() < 1e-12);
        for _ in 0..10 {
            s.record(false);
        }
        assert!((s.rate() - 0.4).abs() < 1e-12);
        assert_eq!(ShowUpLearner::with_prior(0.5, 0.0).rate(), 1.0);
    }
}
