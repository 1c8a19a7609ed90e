//! Waiting-time estimators for a Bürgeramt queue, free of I/O.
//!
//! Two estimators share one input, a [`QueueSnapshot`] (instants in [`Seconds`] since any
//! epoch, plus the local time of day when known), and one output, a [`WaitEstimate`] per
//! waiting ticket: people ahead and a range in whole minutes:
//!
//! - [`ZmsEstimator`] reproduces the estimate of Munich's and Berlin's ZMS as the baseline
//!   (fixed slot = office average ÷ staffed counters, optimistic 0.8 × slot, appointments two
//!   minutes early before walk-ins; see [`zms`] for the exact arithmetic);
//! - [`OurEstimator`] replays the real calling policy a hundred times on the counters staffed
//!   now — busy counters first finish their current visitor, counters open and close the way
//!   they usually do at this hour, booked appointments show up at the learned rate — with
//!   processing times drawn from recent finished tickets of each service, and shows the
//!   20 %–80 % band of the replayed waits.
//!
//! # Use from the back office
//!
//! Keep one [`OurEstimator`] per office. Feed it [`OurEstimator::record_processing`] when a
//! ticket is finished, [`OurEstimator::record_appointment`] when a booked appointment checks in
//! or is given up, and [`OurEstimator::record_staffing`] every few minutes while the office is
//! open. Call [`WaitEstimator::estimate`] with a snapshot whenever a figure is needed.
//!
//! # The simulated world (`sim` feature, on by default)
//!
//! [`sim::compare`] generates office days, runs the real queue as a discrete-event simulation
//! and asks both estimators at every ticket issue. [`sim::Office::default`] assumes:
//!
//! - **Opening** 08:00–16:00; walk-in tickets until 15:30; everyone holding a ticket is served
//!   (the last clerk stays until the hall is empty).
//! - **Walk-ins**: a Poisson crowd of mean 10 at the door in the first ten minutes, then Poisson
//!   arrivals of 24, 20, 14, 11, 9, 9, 8, 5 per hour from 08:00 — the usual morning peak.
//! - **Appointments**: two per 15-minute slot from 08:00 to 15:45, 80 % of slots booked, 15 %
//!   no-shows; arrival at the booked time + Normal(−5 min, 6 min), never before opening or more
//!   than 30 min early; more than 10 min late is refused (counted as a no-show). Checked-in
//!   appointments are called from two minutes before their time ahead of walk-ins; earlier
//!   only when no walk-in waits.
//! - **Services** (configured → true mean, lognormal σ, walk-in / appointment share): ID card
//!   and passport 12 → 15 min, 0.45, 30 % / 45 %; registration 10 → 8 min, 0.40, 35 % / 35 %;
//!   certificates 6 → 5 min, 0.50, 25 % / 10 %; vehicles and others 15 → 22 min, 0.60,
//!   10 % / 10 %. Configured averages are stale, as they are in practice; each clerk also has
//!   a daily speed factor (lognormal σ 0.15).
//! - **Staff**: six planned counters — three 08:00–16:00 and one 10:00–16:00 with a 30-minute
//!   break starting between 11:30 and 13:00, part-timers 08:00–13:00 and 08:00–12:30; each
//!   clerk but the first is absent on 10 % of days. A clerk going on break or home first
//!   finishes the current visitor; the last open counter postpones its break or closing while
//!   work remains. Every counter serves every service.
//! - **Records**: 2 % of finished tickets are recorded 10–40 minutes too long (a forgotten
//!   *finish*), which only the learner sees.
//! - **ZMS configuration**: one office average, the configured service averages weighted by
//!   the planned mix (10 min for the default office). ZMS sees the same snapshot as ours,
//!   including every booked appointment that has not checked in yet.
//! - **Scoring**: each ticket is scored once, with the estimate given when it was issued,
//!   against the minutes until it was really called; the error uses the midpoint of the range.
//!   Our estimator starts with no observations on day one and learns as the days go by.

#![warn(missing_docs)]

pub mod learner;
pub mod model;
pub mod ours;
mod replay;
pub mod rng;
#[cfg(feature = "sim")]
pub mod sim;
pub mod staffing;
mod visits;
pub mod zms;

pub use learner::{LearnerConfig, ServiceTimeLearner, ShowUpLearner};
pub use model::{
    APPOINTMENT_DUE_EARLY, BookedAppointment, InService, QueueSnapshot, Seconds, ServiceConfig,
    ServiceId, StaffedCounter, TicketId, WaitEstimate, WaitEstimator, WaitingTicket,
};
pub use ours::{OurConfig, OurEstimator};
pub use staffing::{StaffingChange, StaffingLearner};
pub use zms::ZmsEstimator;
