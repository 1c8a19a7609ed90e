//! The office's usual staffing over the day, learned from how many counters were staffed when.
//!
//! Offices repeat their day: a late shift opens at ten, part-timers leave at noon, lunch breaks
//! thin the counters. [`StaffingLearner`] keeps, per quarter hour of the local day, a slowly
//! moving average of the counters observed staffed. The estimator then assumes that *from the
//! current count* staffing will change the way it usually does: if on average 1.4 counters
//! fewer are staffed at 12:30 than at 11:00, one counter (rounded) closes at 12:30 in the replay.

use crate::model::Seconds;

const BUCKET: Seconds = 900;
const BUCKETS: usize = (86_400 / BUCKET) as usize;

/// Per-quarter-hour moving average of staffed counters.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffingLearner {
    alpha: f64,
    average: Vec<Option<f64>>,
}

impl Default for StaffingLearner {
    /// Weight 0.05 per observation: with an observation every five minutes, about a month of
    /// working days shapes the profile.
    fn default() -> Self {
        Self::new(0.05)
    }
}

/// A change of staffing the replay should apply: at `at`, `delta` counters open (positive) or
/// close (negative).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffingChange {
    /// When, in the snapshot's clock.
    pub at: Seconds,
    /// Counters opening (+) or closing (−).
    pub delta: i64,
}

fn bucket(time_of_day: Seconds) -> usize {
    (time_of_day.rem_euclid(86_400) / BUCKET) as usize
}

impl StaffingLearner {
    /// A learner moving by `alpha` (0 < alpha ≤ 1) towards each observation.
    pub fn new(alpha: f64) -> Self {
        Self {
            alpha: alpha.clamp(1e-6, 1.0),
            average: vec![None; BUCKETS],
        }
    }

    /// Record that `staffed` counters were staffed at local `time_of_day` (seconds since
    /// midnight). Call it regularly (e.g. every five minutes while the office is open).
    pub fn record(&mut self, time_of_day: Seconds, staffed: usize) {
        let slot = &mut self.average[bucket(time_of_day)];
        let x = staffed as f64;
        *slot = Some(slot.map_or(x, |a| a + self.alpha * (x - a)));
    }

    /// The usual number of staffed counters at local `time_of_day`, if ever observed.
    pub fn usual(&self, time_of_day: Seconds) -> Option<f64> {
        self.average[bucket(time_of_day)]
    }

    /// The changes to expect over `horizon` seconds after `now`, starting from `staffed`
    /// counters at local `time_of_day`. The count never drops below one.
    pub fn plan(
        &self,
        now: Seconds,
        time_of_day: Seconds,
        staffed: usize,
        horizon: Seconds,
    ) -> Vec<StaffingChange> {
        let Some(base) = self.usual(time_of_day) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut current = staffed as i64;
        let first = (time_of_day.div_euclid(BUCKET) + 1) * BUCKET;
        let mut t = first;
        while t - time_of_day <= horizon {
            if let Some(usual) = self.usual(t) {
                let target = (staffed as f64 + usual - base).round().max(1.0) as i64;
                if target != current {
                    out.push(StaffingChange {
                        at: now + (t - time_of_day),
                        delta: target - current,
                    });
                    current = target;
                }
            }
            t += BUCKET;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_repeated_day_and_plans_from_the_current_count() {
        let mut s = StaffingLearner::new(0.5);
        for _ in 0..20 {
            for m in (8 * 60..16 * 60).step_by(5) {
                let n = if (10 * 60..12 * 60).contains(&m) {
                    5
                } else {
                    3
                };
                s.record(m * 60, n);
            }
        }
        assert_eq!(s.usual(9 * 3600), Some(3.0));
        assert_eq!(s.usual(11 * 3600), Some(5.0));
        assert_eq!(s.usual(20 * 3600), None);
        // At 09:40 with 2 counters (one fewer than usual): +2 at 10:00, −2 at 12:00.
        let now = 1_000_000;
        let plan = s.plan(now, 9 * 3600 + 2400, 2, 4 * 3600);
        assert_eq!(
            plan,
            vec![
                StaffingChange {
                    at: now + 1200,
                    delta: 2
                },
                StaffingChange {
                    at: now + 1200 + 7200,
                    delta: -2
                },
            ]
        );
    }

    #[test]
    fn never_plans_below_one_counter() {
        let mut s = StaffingLearner::new(1.0);
        s.record(8 * 3600, 4);
        s.record(8 * 3600 + 900, 0);
        let plan = s.plan(0, 8 * 3600, 2, 3600);
        assert_eq!(plan, vec![StaffingChange { at: 900, delta: -1 }]);
    }
}
