//! Domain input and output of a wait estimate: a queue snapshot in, one range per ticket out.
//!
//! All instants are [`Seconds`] since an arbitrary epoch (the back office uses Unix time; the
//! simulator uses seconds since midnight). All durations are seconds, except the estimate
//! ranges, which are whole minutes because that is what a visitor is shown.

/// An instant or a duration in whole seconds. Instants count from an epoch chosen by the caller.
pub type Seconds = i64;

/// How early an appointment counts as due: ZMS and our queue call an appointment holder ahead of
/// walk-ins from two minutes before the booked time.
pub const APPOINTMENT_DUE_EARLY: Seconds = 120;

/// A service (Dienstleistung) of the office, e.g. "Personalausweis beantragen".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServiceId(pub u32);

/// A ticket (the visit in the office), known to the queue by this id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketId(pub u64);

/// A ticket waiting to be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTicket {
    /// The ticket.
    pub id: TicketId,
    /// The service the visitor came for.
    pub service: ServiceId,
    /// When the ticket was issued (walk-in) or the appointment checked in.
    pub arrived_at: Seconds,
    /// The booked time, for visitors with an appointment.
    pub appointment_at: Option<Seconds>,
}

impl WaitingTicket {
    /// The instant from which this ticket goes ahead of walk-ins, if it is an appointment.
    pub fn due_at(&self) -> Option<Seconds> {
        self.appointment_at.map(|t| t - APPOINTMENT_DUE_EARLY)
    }
}

/// A ticket being served at a counter right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InService {
    /// The service being processed.
    pub service: ServiceId,
    /// When the visitor was called to the counter.
    pub since: Seconds,
}

/// A counter (Platz) that is staffed now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StaffedCounter {
    /// The visitor currently served there, if any.
    pub serving: Option<InService>,
    /// The services this counter handles; `None` means all of them.
    pub services: Option<Vec<ServiceId>>,
}

impl StaffedCounter {
    /// Whether this counter may call a ticket for `service`.
    pub fn serves(&self, service: ServiceId) -> bool {
        self.services.as_ref().is_none_or(|s| s.contains(&service))
    }
}

/// An appointment booked for today that has not checked in yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookedAppointment {
    /// The booked service.
    pub service: ServiceId,
    /// The booked time.
    pub at: Seconds,
}

/// The configured (planned) average processing time of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceConfig {
    /// The service.
    pub service: ServiceId,
    /// The average processing time the office configured, in seconds.
    pub average: Seconds,
}

/// Everything an estimator may look at: the state of one office's queue at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueSnapshot {
    /// The instant of the snapshot.
    pub now: Seconds,
    /// Tickets waiting, in any order (estimators apply the calling policy themselves).
    pub waiting: Vec<WaitingTicket>,
    /// The counters staffed now; an empty list means nobody is serving.
    pub counters: Vec<StaffedCounter>,
    /// Appointments booked for later (or only just past) that have not checked in yet.
    pub booked: Vec<BookedAppointment>,
    /// Configured average processing time per service.
    pub services: Vec<ServiceConfig>,
    /// Local time of day at `now` in seconds since midnight (Europe/Berlin for our offices),
    /// when known; lets [`crate::OurEstimator`] apply the office's usual staffing pattern.
    pub time_of_day: Option<Seconds>,
}

impl QueueSnapshot {
    /// The configured average of `service`, or `fallback` when the service is not configured.
    pub fn configured_average(&self, service: ServiceId, fallback: Seconds) -> Seconds {
        self.services
            .iter()
            .find(|s| s.service == service)
            .map_or(fallback, |s| s.average)
    }
}

/// The estimate for one waiting ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitEstimate {
    /// The ticket.
    pub ticket: TicketId,
    /// People expected to be called before this ticket (0 = next).
    pub position: usize,
    /// Lower end of the range, in whole minutes from `now`.
    pub low_minutes: u32,
    /// Upper end of the range, in whole minutes from `now` (never below `low_minutes`).
    pub high_minutes: u32,
}

impl WaitEstimate {
    /// The middle of the range in minutes, the single figure used to score an estimator.
    pub fn midpoint(&self) -> f64 {
        (f64::from(self.low_minutes) + f64::from(self.high_minutes)) / 2.0
    }
}

/// Anything that turns a queue snapshot into wait estimates.
pub trait WaitEstimator {
    /// One estimate per waiting ticket of `snapshot`, in the order the tickets will be called.
    fn estimate(&self, snapshot: &QueueSnapshot) -> Vec<WaitEstimate>;
}

/// The calling order shared by the estimators and the simulated queue: among tickets present,
/// appointments that are due come first (by booked time), then walk-ins by arrival, then
/// appointments not yet due (by booked time). Returns the sort key of a ticket at `t`.
pub fn call_priority(
    appointment_at: Option<Seconds>,
    arrived_at: Seconds,
    t: Seconds,
) -> (u8, Seconds) {
    match appointment_at {
        Some(at) if at - APPOINTMENT_DUE_EARLY <= t => (0, at),
        Some(at) => (2, at),
        None => (1, arrived_at),
    }
}
