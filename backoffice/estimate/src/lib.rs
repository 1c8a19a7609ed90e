//! Waiting-time estimators for a Bürgeramt queue, free of I/O.
//!
//! Two estimators share one input, a [`QueueSnapshot`] (instants in [`Seconds`] since any
//! epoch), and one output, a [`WaitEstimate`] range in whole minutes per waiting ticket:
//!
//! - [`ZmsEstimator`] reproduces the estimate of Munich's and Berlin's ZMS (fixed slot =
//!   average ÷ counters, optimistic 0.8 × slot) as the baseline;
//! - [`OurEstimator`] replays the real calling policy on the counters staffed now, with
//!   processing times learned per service from finished tickets and appointments weighted by
//!   the learned show-up rate, and shows the 20–80 % band of the replayed waits.
//!
//! The back office keeps one [`OurEstimator`] per office, calls
//! [`OurEstimator::record_processing`] when a ticket is finished and
//! [`OurEstimator::record_appointment`] when an appointment checks in or is given up, and calls
//! [`WaitEstimator::estimate`] with a snapshot whenever it needs a figure.
//!
//! With the `sim` feature (on by default) the [`sim`] module generates office days and
//! measures both estimators against simulated real waits; its assumptions are listed there.

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
