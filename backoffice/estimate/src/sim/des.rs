//! The discrete-event simulation of one office day, asking both estimators at every ticket.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal};

use super::world::{Day, Office};
use crate::model::{
    BookedAppointment, InService, QueueSnapshot, Seconds, ServiceConfig, ServiceId, StaffedCounter,
    TicketId, WaitEstimate, WaitEstimator, WaitingTicket, call_priority,
};
use crate::ours::OurEstimator;
use crate::zms::ZmsEstimator;

/// What happened to one ticket: both estimates at issue and the wait it really had.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TicketRecord {
    /// ZMS's estimate when the ticket was issued.
    pub zms: WaitEstimate,
    /// Our estimate when the ticket was issued.
    pub ours: WaitEstimate,
    /// When the ticket was issued (seconds since midnight).
    pub issued_at: Seconds,
    /// Minutes from issue (or check-in) to the call.
    pub real_minutes: f64,
    /// Whether the visitor had an appointment.
    pub appointment: bool,
}

/// Events, in the order they are handled when they fall on the same second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Finish(usize),
    Close(usize, usize),
    Open(usize, usize),
    GiveUp(usize),
    CheckIn(usize),
    WalkIn(usize),
    Tick,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counter {
    open: bool,
    /// The staffing period (index into `Day::staffing`) the counter is in.
    period: usize,
    serving: Option<(InService, Seconds)>,
}

/// One day in progress.
struct DayRun<'a> {
    office: &'a Office,
    day: &'a Day,
    configured: Vec<ServiceConfig>,
    zms: &'a ZmsEstimator,
    ours: &'a mut OurEstimator,
    rng: &'a mut StdRng,
    events: BinaryHeap<Reverse<(Seconds, Ev)>>,
    counters: Vec<Counter>,
    waiting: Vec<(WaitingTicket, usize)>,
    booked: Vec<bool>,
    pending: Vec<Option<(WaitEstimate, WaitEstimate, bool)>>,
    records: Vec<TicketRecord>,
    next_id: u64,
}

/// Runs `day` of `office`; `ours` keeps learning across days. Returns the finished tickets
/// and how many were never called (should be none: the last counter stays until the queue is
/// empty).
pub fn run_day(
    office: &Office,
    day: &Day,
    zms: &ZmsEstimator,
    ours: &mut OurEstimator,
    rng: &mut StdRng,
) -> (Vec<TicketRecord>, usize) {
    let mut run = DayRun {
        office,
        day,
        configured: office.configured(),
        zms,
        ours,
        rng,
        events: BinaryHeap::new(),
        counters: vec![Counter::default(); office.shifts.len()],
        waiting: Vec::new(),
        booked: vec![true; day.bookings.len()],
        pending: Vec::new(),
        records: Vec::new(),
        next_id: 1,
    };
    for (i, (t, _)) in day.walk_ins.iter().enumerate() {
        run.push(*t, Ev::WalkIn(i));
    }
    for (i, b) in day.bookings.iter().enumerate() {
        match b.arrives {
            Some(t) => run.push(t, Ev::CheckIn(i)),
            None => run.push(b.at + office.late_tolerance, Ev::GiveUp(i)),
        }
    }
    let mut t = office.opens;
    while t < office.walk_in_until + 3600 {
        run.push(t, Ev::Tick);
        t += 300;
    }
    for (p, &(c, open, close)) in day.staffing.iter().enumerate() {
        run.push(open, Ev::Open(c, p));
        run.push(close, Ev::Close(c, p));
    }
    while let Some(Reverse((now, ev))) = run.events.pop() {
        run.handle(now, ev);
        run.dispatch(now);
    }
    let unserved = run.waiting.len();
    (run.records, unserved)
}

impl DayRun<'_> {
    fn push(&mut self, t: Seconds, ev: Ev) {
        self.events.push(Reverse((t, ev)));
    }

    fn handle(&mut self, now: Seconds, ev: Ev) {
        match ev {
            Ev::Tick => {
                let staffed = self.counters.iter().filter(|c| c.open).count();
                self.ours.record_staffing(now, staffed);
            }
            Ev::WalkIn(i) => {
                let (_, service) = self.day.walk_ins[i];
                self.issue(now, service, None);
            }
            Ev::CheckIn(i) => {
                self.booked[i] = false;
                self.ours.record_appointment(true);
                let b = self.day.bookings[i];
                self.issue(now, b.service, Some(b.at));
            }
            Ev::GiveUp(i) => {
                self.booked[i] = false;
                self.ours.record_appointment(false);
            }
            Ev::Open(c, p) => {
                self.counters[c].open = true;
                self.counters[c].period = p;
            }
            Ev::Close(c, p) if self.counters[c].period != p => {}
            Ev::Close(c, p) => {
                let others = self
                    .counters
                    .iter()
                    .enumerate()
                    .any(|(k, x)| k != c && x.open);
                let work_left = !self.waiting.is_empty()
                    || self.booked.iter().any(|b| *b)
                    || now < self.office.walk_in_until;
                if !others && work_left {
                    // The last clerk stays until the office is empty.
                    self.push(now + 300, Ev::Close(c, p));
                } else {
                    self.counters[c].open = false;
                }
            }
            Ev::Finish(c) => {
                if let Some((s, end)) = self.counters[c].serving.take() {
                    let mut recorded = end - s.since;
                    if self.rng.random::<f64>() < self.office.forgotten_finish {
                        recorded += self.rng.random_range(600..2400);
                    }
                    self.ours.record_processing(s.service, recorded);
                }
            }
        }
    }

    fn snapshot(&self, now: Seconds) -> QueueSnapshot {
        QueueSnapshot {
            now,
            waiting: self.waiting.iter().map(|(t, _)| t.clone()).collect(),
            counters: self
                .counters
                .iter()
                .filter(|c| c.open)
                .map(|c| StaffedCounter {
                    serving: c.serving.map(|(s, _)| s),
                    services: None,
                })
                .collect(),
            booked: self
                .day
                .bookings
                .iter()
                .zip(&self.booked)
                .filter(|(_, pending)| **pending)
                .map(|(b, _)| BookedAppointment {
                    service: b.service,
                    at: b.at,
                })
                .collect(),
            services: self.configured.clone(),
            time_of_day: Some(now),
        }
    }

    fn issue(&mut self, now: Seconds, service: ServiceId, appointment_at: Option<Seconds>) {
        let id = TicketId(self.next_id);
        self.next_id += 1;
        let ticket = WaitingTicket {
            id,
            service,
            arrived_at: now,
            appointment_at,
        };
        self.waiting.push((ticket, self.pending.len()));
        let snap = self.snapshot(now);
        let find = |v: Vec<WaitEstimate>| v.into_iter().find(|e| e.ticket == id);
        let zms = find(self.zms.estimate(&snap));
        let ours = find(self.ours.estimate(&snap));
        self.pending
            .push(zms.zip(ours).map(|(z, o)| (z, o, appointment_at.is_some())));
    }

    fn dispatch(&mut self, now: Seconds) {
        for c in 0..self.counters.len() {
            if !self.counters[c].open || self.counters[c].serving.is_some() {
                continue;
            }
            let Some(k) = (0..self.waiting.len()).min_by_key(|&k| {
                let t = &self.waiting[k].0;
                (call_priority(t.appointment_at, t.arrived_at, now), t.id)
            }) else {
                return;
            };
            let (ticket, rec) = self.waiting.remove(k);
            if let Some((zms, ours, appointment)) = self.pending.get(rec).copied().flatten() {
                self.records.push(TicketRecord {
                    zms,
                    ours,
                    issued_at: ticket.arrived_at,
                    real_minutes: (now - ticket.arrived_at) as f64 / 60.0,
                    appointment,
                });
            }
            let duration = self.draw_duration(ticket.service, c);
            self.counters[c].serving = Some((
                InService {
                    service: ticket.service,
                    since: now,
                },
                now + duration,
            ));
            self.push(now + duration, Ev::Finish(c));
        }
    }

    fn draw_duration(&mut self, service: ServiceId, counter: usize) -> Seconds {
        let Some(s) = self.office.services.get(service.0 as usize) else {
            return 600;
        };
        let speed = self.day.speed.get(counter).copied().unwrap_or(1.0);
        let mean = s.true_mean_minutes * 60.0 * speed;
        let mu = mean.ln() - s.sigma * s.sigma / 2.0;
        let d = LogNormal::new(mu, s.sigma).map_or(mean, |l| l.sample(self.rng));
        (d.round() as Seconds).max(30)
    }
}
