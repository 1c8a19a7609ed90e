//! The simulated office and the generation of one day's demand and staffing.

use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, Poisson};

use crate::model::{Seconds, ServiceConfig, ServiceId};

/// One service as the simulated world knows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimService {
    /// The configured average the office entered, in minutes (what estimators are told).
    pub configured_minutes: f64,
    /// The true mean processing time in minutes (unknown to the estimators).
    pub true_mean_minutes: f64,
    /// Lognormal σ of the processing time.
    pub sigma: f64,
    /// Share of walk-ins asking for this service.
    pub walk_in_share: f64,
    /// Share of appointments booked for this service.
    pub appointment_share: f64,
}

/// One counter's working plan for a normal day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// Start of the shift (seconds since midnight).
    pub start: Seconds,
    /// Planned end of the shift.
    pub end: Seconds,
    /// Whether the clerk takes a 30-minute break between 11:30 and 13:30.
    pub break_: bool,
}

/// The simulated Bürgeramt. [`Office::default`] is the office described in the crate docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    /// The services.
    pub services: Vec<SimService>,
    /// Walk-in arrivals per hour from 08:00 (index 0) on.
    pub walk_ins_per_hour: Vec<f64>,
    /// Mean size of the crowd waiting at the door at 08:00 (arrive within 10 minutes).
    pub door_crowd: f64,
    /// Opening (counters start, tickets issued from here).
    pub opens: Seconds,
    /// Last walk-in ticket issued.
    pub walk_in_until: Seconds,
    /// Appointment slot length and slots offered in parallel.
    pub slot: Seconds,
    /// Parallel appointments per slot.
    pub per_slot: u32,
    /// Last appointment slot start.
    pub last_slot: Seconds,
    /// Share of slots that are booked.
    pub booked_share: f64,
    /// Share of bookings that never come.
    pub no_show: f64,
    /// Arrival relative to the booked time: mean and σ in minutes (negative = early).
    pub punctuality: (f64, f64),
    /// Later than this after the booked time the appointment is refused (counts as no-show).
    pub late_tolerance: Seconds,
    /// Counter plans; the first is always staffed (the office never stays shut).
    pub shifts: Vec<Shift>,
    /// Chance that a planned clerk is absent for the day (illness, training).
    pub absence: f64,
    /// Lognormal σ of each clerk's daily speed factor.
    pub clerk_sigma: f64,
    /// Chance that a finished ticket's recorded duration includes a forgotten *finish*.
    pub forgotten_finish: f64,
}

const H: Seconds = 3600;

impl Default for Office {
    fn default() -> Self {
        let svc = |c, t, s, w, a| SimService {
            configured_minutes: c,
            true_mean_minutes: t,
            sigma: s,
            walk_in_share: w,
            appointment_share: a,
        };
        Self {
            services: vec![
                svc(12.0, 15.0, 0.45, 0.30, 0.45), // ID card and passport
                svc(10.0, 8.0, 0.40, 0.35, 0.35),  // registration of address
                svc(6.0, 5.0, 0.50, 0.25, 0.10),   // certificates
                svc(15.0, 22.0, 0.60, 0.10, 0.10), // vehicles and other cases
            ],
            walk_ins_per_hour: vec![24.0, 20.0, 14.0, 11.0, 9.0, 9.0, 8.0, 5.0],
            door_crowd: 10.0,
            opens: 8 * H,
            walk_in_until: 15 * H + 1800,
            slot: 900,
            per_slot: 2,
            last_slot: 15 * H + 2700,
            booked_share: 0.8,
            no_show: 0.15,
            punctuality: (-5.0, 6.0),
            late_tolerance: 600,
            shifts: vec![
                shift(8 * H, 16 * H, true),
                shift(8 * H, 16 * H, true),
                shift(8 * H, 16 * H, true),
                shift(8 * H, 13 * H, false),
                shift(8 * H, 12 * H + 1800, false),
                shift(10 * H, 16 * H, true),
            ],
            absence: 0.1,
            clerk_sigma: 0.15,
            forgotten_finish: 0.02,
        }
    }
}

fn shift(start: Seconds, end: Seconds, break_: bool) -> Shift {
    Shift { start, end, break_ }
}

impl Office {
    /// The services as configured in the back office (what both estimators are told).
    pub fn configured(&self) -> Vec<ServiceConfig> {
        self.services
            .iter()
            .enumerate()
            .map(|(i, s)| ServiceConfig {
                service: ServiceId(i as u32),
                average: (s.configured_minutes * 60.0).round() as Seconds,
            })
            .collect()
    }

    /// The single office-wide average a ZMS scope would be configured with: the configured
    /// service averages weighted by the planned mix of walk-ins and booked appointments.
    pub fn zms_average_minutes(&self) -> u32 {
        let walk: f64 = self.walk_ins_per_hour.iter().sum::<f64>() + self.door_crowd;
        let slots = ((self.last_slot - self.opens) / self.slot + 1) as f64;
        let appts = slots * f64::from(self.per_slot) * self.booked_share;
        let (mut sum, mut n) = (0.0, 0.0);
        for s in &self.services {
            let k = walk * s.walk_in_share + appts * s.appointment_share;
            sum += k * s.configured_minutes;
            n += k;
        }
        if n > 0.0 {
            (sum / n).round() as u32
        } else {
            10
        }
    }
}

/// A booked appointment of the generated day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Booking {
    /// The service.
    pub service: ServiceId,
    /// Booked time.
    pub at: Seconds,
    /// When the visitor checks in, or `None` for a no-show (or refused as too late).
    pub arrives: Option<Seconds>,
}

/// One generated day: who comes when, and who works when.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Walk-in arrivals (time, service), ascending.
    pub walk_ins: Vec<(Seconds, ServiceId)>,
    /// Booked appointments, ascending by booked time.
    pub bookings: Vec<Booking>,
    /// Periods each counter is staffed: (counter, open, close).
    pub staffing: Vec<(usize, Seconds, Seconds)>,
    /// Each counter's speed factor (multiplies processing times).
    pub speed: Vec<f64>,
}

fn pick_service(rng: &mut StdRng, shares: impl Iterator<Item = f64>) -> ServiceId {
    let shares: Vec<f64> = shares.collect();
    let mut u = rng.random::<f64>() * shares.iter().sum::<f64>();
    for (i, s) in shares.iter().enumerate() {
        if u < *s {
            return ServiceId(i as u32);
        }
        u -= s;
    }
    ServiceId(shares.len().saturating_sub(1) as u32)
}

fn poisson(rng: &mut StdRng, mean: f64) -> u64 {
    Poisson::new(mean.max(1e-9)).map_or(0, |p| p.sample(rng) as u64)
}

/// Generates one day of `office` from `rng`.
pub fn generate_day(office: &Office, rng: &mut StdRng) -> Day {
    let mut walk_ins = Vec::new();
    let walk_share = || office.services.iter().map(|s| s.walk_in_share);
    for _ in 0..poisson(rng, office.door_crowd) {
        let t = office.opens + rng.random_range(0..600);
        walk_ins.push((t, pick_service(rng, walk_share())));
    }
    for (h, rate) in office.walk_ins_per_hour.iter().enumerate() {
        let start = office.opens + h as Seconds * H;
        for _ in 0..poisson(rng, *rate) {
            let t = start + rng.random_range(0..H);
            if t <= office.walk_in_until {
                walk_ins.push((t, pick_service(rng, walk_share())));
            }
        }
    }
    walk_ins.sort_unstable();

    let mut bookings = Vec::new();
    let (mean, sd) = office.punctuality;
    let offset = Normal::new(mean * 60.0, sd * 60.0).ok();
    let mut at = office.opens;
    while at <= office.last_slot {
        for _ in 0..office.per_slot {
            if rng.random::<f64>() >= office.booked_share {
                continue;
            }
            let service = pick_service(rng, office.services.iter().map(|s| s.appointment_share));
            let shows = rng.random::<f64>() >= office.no_show;
            let delta = offset.map_or(0.0, |o| o.sample(rng)).max(-1800.0) as Seconds;
            let arrives = (shows && delta <= office.late_tolerance).then(|| {
                // Nobody checks in before the doors open.
                (at + delta).max(office.opens)
            });
            bookings.push(Booking {
                service,
                at,
                arrives,
            });
        }
        at += office.slot;
    }

    let mut staffing = Vec::new();
    let mut speed = Vec::new();
    for (c, s) in office.shifts.iter().enumerate() {
        let factor =
            (office.clerk_sigma * Normal::new(0.0, 1.0).map_or(0.0, |n| n.sample(rng))).exp();
        speed.push(factor);
        if c > 0 && rng.random::<f64>() < office.absence {
            continue;
        }
        if s.break_ {
            let b = 11 * H + 1800 + rng.random_range(0..(2 * H - 1800));
            staffing.push((c, s.start, b));
            staffing.push((c, b + 1800, s.end));
        } else {
            staffing.push((c, s.start, s.end));
        }
    }
    Day {
        walk_ins,
        bookings,
        staffing,
        speed,
    }
}
