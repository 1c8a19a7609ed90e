//! Day simulation: generate office days, run the real queue, score both estimators.
//!
//! The simulated world and its assumptions are described in the crate documentation.

mod des;
mod world;

use rand::SeedableRng;
use rand::rngs::StdRng;

pub use des::{TicketRecord, run_day};
pub use world::{Booking, Day, Office, Shift, SimService, generate_day};

use crate::model::WaitEstimate;
use crate::ours::{OurConfig, OurEstimator};
use crate::zms::ZmsEstimator;

/// How well one estimator did over the simulated tickets.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Score {
    /// Mean absolute error of the range's midpoint, in minutes, over all tickets.
    pub mae_minutes: f64,
    /// The same over walk-in tickets only.
    pub mae_walk_in_minutes: f64,
    /// Mean signed error (estimate − real) in minutes; positive = too pessimistic.
    pub bias_minutes: f64,
    /// Share of tickets whose real wait (rounded to a minute) fell inside the range.
    pub coverage: f64,
    /// Mean width of the range in minutes.
    pub mean_width_minutes: f64,
}

/// The result of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Comparison {
    /// Days simulated.
    pub days: usize,
    /// Tickets issued and called (each scored once, at issue).
    pub tickets: usize,
    /// Tickets never called (a sanity figure; expected 0).
    pub unserved: usize,
    /// Mean real wait in minutes.
    pub mean_real_wait_minutes: f64,
    /// The ZMS baseline.
    pub zms: Score,
    /// Our estimator.
    pub ours: Score,
}

/// Simulates `days` days of `office` from `seed` with [`OurConfig::default`] and scores both
/// estimators. Deterministic: the same arguments give the same figures.
pub fn compare(office: &Office, days: usize, seed: u64) -> Comparison {
    compare_with(office, days, seed, OurConfig::default())
}

/// Like [`compare`], with a chosen tuning of our estimator.
pub fn compare_with(office: &Office, days: usize, seed: u64, config: OurConfig) -> Comparison {
    let zms = ZmsEstimator {
        average_minutes: office.zms_average_minutes(),
    };
    let mut ours = OurEstimator::new(config);
    let mut demand = StdRng::seed_from_u64(seed);
    let mut service = StdRng::seed_from_u64(seed ^ 0x005E_ED0F_5E41_11CE);
    let mut records = Vec::new();
    let mut unserved = 0;
    for _ in 0..days {
        let day = generate_day(office, &mut demand);
        let (r, u) = run_day(office, &day, &zms, &mut ours, &mut service);
        records.extend(r);
        unserved += u;
    }
    let n = records.len().max(1) as f64;
    Comparison {
        days,
        tickets: records.len(),
        unserved,
        mean_real_wait_minutes: records.iter().map(|r| r.real_minutes).sum::<f64>() / n,
        zms: score(&records, |r| r.zms),
        ours: score(&records, |r| r.ours),
    }
}

fn score(records: &[TicketRecord], pick: impl Fn(&TicketRecord) -> WaitEstimate) -> Score {
    let n = records.len().max(1) as f64;
    let (mut abs, mut signed, mut inside, mut width) = (0.0, 0.0, 0.0, 0.0);
    let (mut walk_abs, mut walk_n) = (0.0, 0.0);
    for r in records {
        let e = pick(r);
        let err = e.midpoint() - r.real_minutes;
        abs += err.abs();
        signed += err;
        width += f64::from(e.high_minutes - e.low_minutes);
        let real = r.real_minutes.round();
        if f64::from(e.low_minutes) <= real && real <= f64::from(e.high_minutes) {
            inside += 1.0;
        }
        if !r.appointment {
            walk_abs += err.abs();
            walk_n += 1.0;
        }
    }
    Score {
        mae_minutes: abs / n,
        mae_walk_in_minutes: if walk_n > 0.0 { walk_abs / walk_n } else { 0.0 },
        bias_minutes: signed / n,
        coverage: inside / n,
        mean_width_minutes: width / n,
    }
}
