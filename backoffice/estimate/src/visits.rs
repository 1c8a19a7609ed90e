//! The work a replay has to place: the visits still to come and the counters to place them on.

use std::collections::HashMap;

use crate::learner::DurationSampler;
use crate::model::{APPOINTMENT_DUE_EARLY, QueueSnapshot, Seconds, ServiceId, StaffedCounter};
use crate::replay::Job;
use crate::staffing::StaffingLearner;

/// The counters of the replay: those staffed now, then those the usual staffing pattern
/// expects to open (their opening instants in the second list), and per counter the instant
/// it is expected to stop calling (the third list). With no counter staffed, one is assumed.
pub(crate) fn capacity(
    snapshot: &QueueSnapshot,
    staffing: &StaffingLearner,
    horizon: Seconds,
) -> (Vec<StaffedCounter>, Vec<f64>, Vec<f64>) {
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
    let plan = staffing.plan(snapshot.now, tod, counters.len(), horizon);
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

/// The visits still to come, sorted as [`replay`] wants them, with mean durations.
pub(crate) fn base_jobs(
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
