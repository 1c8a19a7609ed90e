//! One replay of the calling policy: who each staffed counter calls next, and when.
//!
//! The policy is the one the back office applies (and ZMS too): a free counter calls the
//! earliest-booked appointment that is due (two minutes before its time), else the walk-in
//! waiting longest, else an appointment that came early. Counters that serve only some services
//! skip tickets they cannot serve; a ticket whose service no staffed counter handles may go to
//! any counter (someone will take it).

use crate::model::{APPOINTMENT_DUE_EARLY, Seconds, ServiceId, StaffedCounter};

/// A visit the replay has to place: a waiting ticket or a booked appointment expected to come.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Job {
    /// Index into the snapshot's waiting tickets, or `None` for a booked appointment.
    pub ticket: Option<usize>,
    /// The service.
    pub service: ServiceId,
    /// Booked time for appointments.
    pub appointment_at: Option<Seconds>,
    /// From when the job can be called (now for present tickets).
    pub ready_at: f64,
    /// Processing time in seconds used in this replay.
    pub duration: f64,
}

/// Places `jobs` on counters that become free at `free_at` (seconds, same epoch as the jobs)
/// and stop calling from `until` (`f64::INFINITY` for counters that stay).
/// Returns, per job, the instant it is called, or `None` if it is never called because no
/// counter is available at all. `jobs` must be sorted: appointments by booked time first, then
/// walk-ins by arrival.
pub(crate) fn replay(
    counters: &[StaffedCounter],
    mut free_at: Vec<f64>,
    until: &[f64],
    jobs: &[Job],
) -> Vec<Option<f64>> {
    let mut called: Vec<Option<f64>> = vec![None; jobs.len()];
    let mut remaining_tickets = jobs.iter().filter(|j| j.ticket.is_some()).count();
    let served_by_someone: Vec<bool> = jobs
        .iter()
        .map(|j| counters.iter().any(|c| c.serves(j.service)))
        .collect();
    let eligible = |c: usize, j: usize| -> bool {
        !served_by_someone[j] || counters.get(c).is_none_or(|k| k.serves(jobs[j].service))
    };
    let mut head = 0usize;
    while remaining_tickets > 0 {
        let Some((c, t)) = free_at
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, t)| t.is_finite())
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            break;
        };
        if until.get(c).is_some_and(|&u| t >= u) {
            free_at[c] = f64::INFINITY;
            continue;
        }
        while head < jobs.len() && called[head].is_some() {
            head += 1;
        }
        match pick(jobs, &called, head, t, |j| eligible(c, j)) {
            Pick::Call(j) => {
                called[j] = Some(t);
                if jobs[j].ticket.is_some() {
                    remaining_tickets -= 1;
                }
                free_at[c] = t + jobs[j].duration.max(0.0);
            }
            Pick::WaitUntil(next) => free_at[c] = next,
            Pick::Nothing => free_at[c] = f64::INFINITY,
        }
    }
    called
}

enum Pick {
    Call(usize),
    WaitUntil(f64),
    Nothing,
}

fn pick(
    jobs: &[Job],
    called: &[Option<f64>],
    head: usize,
    t: f64,
    eligible: impl Fn(usize) -> bool,
) -> Pick {
    let open = |j: usize| called[j].is_none() && eligible(j);
    let due = |j: &Job| {
        j.appointment_at
            .is_some_and(|at| (at - APPOINTMENT_DUE_EARLY) as f64 <= t)
    };
    // Due appointments by booked time (the first appointment not yet due ends the search).
    for (j, job) in jobs.iter().enumerate().skip(head) {
        if job.appointment_at.is_none() || !due(job) {
            break;
        }
        if open(j) && job.ready_at <= t {
            return Pick::Call(j);
        }
    }
    // Walk-ins by arrival.
    if let Some(j) = (head..jobs.len())
        .find(|&j| jobs[j].appointment_at.is_none() && open(j) && jobs[j].ready_at <= t)
    {
        return Pick::Call(j);
    }
    // Appointments that came early, then the next moment anything becomes callable.
    let mut next = f64::INFINITY;
    for (j, job) in jobs.iter().enumerate().skip(head) {
        if !open(j) {
            continue;
        }
        if job.ready_at <= t {
            return Pick::Call(j);
        }
        next = next.min(job.ready_at);
    }
    if next.is_finite() {
        Pick::WaitUntil(next)
    } else {
        Pick::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(ticket: usize, appointment_at: Option<Seconds>, ready_at: f64, duration: f64) -> Job {
        Job {
            ticket: Some(ticket),
            service: ServiceId(1),
            appointment_at,
            ready_at,
            duration,
        }
    }

    #[test]
    fn two_counters_share_the_work() {
        let counters = vec![StaffedCounter::default(); 2];
        let jobs: Vec<Job> = (0..4).map(|i| job(i, None, 0.0, 600.0)).collect();
        let called = replay(&counters, vec![0.0, 300.0], &[f64::INFINITY; 2], &jobs);
        assert_eq!(
            called,
            vec![Some(0.0), Some(300.0), Some(600.0), Some(900.0)]
        );
    }

    #[test]
    fn due_appointment_jumps_ahead_but_early_one_waits() {
        let counters = vec![StaffedCounter::default()];
        // Appointment at 600 (due at 480), present from 0, walk-ins waiting.
        let jobs = vec![
            job(0, Some(600), 0.0, 100.0),
            job(1, None, 0.0, 500.0),
            job(2, None, 0.0, 500.0),
        ];
        let called = replay(&counters, vec![0.0], &[f64::INFINITY], &jobs);
        assert_eq!(called, vec![Some(500.0), Some(0.0), Some(600.0)]);
    }

    #[test]
    fn specialised_counter_skips_other_services() {
        let counters = vec![StaffedCounter {
            serving: None,
            services: Some(vec![ServiceId(2)]),
        }];
        let mut a = job(0, None, 0.0, 100.0);
        a.service = ServiceId(3);
        let mut b = job(1, None, 0.0, 100.0);
        b.service = ServiceId(2);
        // Service 3 is served by nobody, so the only counter takes it too, in arrival order.
        let called = replay(&counters, vec![0.0], &[f64::INFINITY], &[a, b]);
        assert_eq!(called, vec![Some(0.0), Some(100.0)]);
    }

    #[test]
    fn closing_counter_stops_calling() {
        let counters = vec![StaffedCounter::default(); 2];
        let jobs: Vec<Job> = (0..4).map(|i| job(i, None, 0.0, 600.0)).collect();
        let called = replay(&counters, vec![0.0, 0.0], &[f64::INFINITY, 500.0], &jobs);
        assert_eq!(
            called,
            vec![Some(0.0), Some(0.0), Some(600.0), Some(1200.0)]
        );
    }
}
