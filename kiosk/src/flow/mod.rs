//! The visitor flow as a plain state machine: screens, events, and one transition function
//! that returns the I/O the controller must do. No Slint, HTTP or USB in here.

pub mod entry;
pub mod model;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use entry::{CheckInEntry, Field, Key, ScanProblem};
pub use model::*;

/// Timings of the flow; the terminal's configuration sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Without a touch for this long, the timeout warning appears.
    pub idle: Duration,
    /// The warning's countdown (at least 20 s, WCAG 2.2.1).
    pub warning: Duration,
    /// How long a printed ticket stays on screen.
    pub ticket_shown: Duration,
    /// How long a ticket that did not print stays on screen (the visitor notes the number).
    pub note_shown: Duration,
}

impl Timings {
    /// The shortest countdown the warning may have.
    pub const MIN_WARNING: Duration = Duration::from_secs(20);

    /// Timings with the warning raised to at least [`Self::MIN_WARNING`].
    pub fn new(idle: Duration, warning: Duration) -> Self {
        Self {
            idle,
            warning: warning.max(Self::MIN_WARNING),
            ..Self::default()
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(60),
            warning: Duration::from_secs(30),
            ticket_shown: Duration::from_secs(15),
            note_shown: Duration::from_secs(45),
        }
    }
}

/// What is being waited for on the progress screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// The service list.
    Services,
    /// A check-in.
    CheckIn,
    /// A walk-in number.
    WalkIn,
}

/// Whether the ticket is on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintState {
    /// Being printed.
    Printing,
    /// Printed: take it.
    Printed,
    /// Not printed: note the number.
    Failed(PrintFault),
}

/// The screen the visitor sees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Screen {
    /// Office, clock, languages, main actions.
    #[default]
    Start,
    /// Typing or scanning the booking number and code.
    CheckIn(CheckInEntry),
    /// Choosing a service for a walk-in number.
    Services,
    /// Waiting for the back office.
    Progress(Pending),
    /// The ticket, printing or to be noted.
    Ticket {
        /// The ticket.
        ticket: TicketInfo,
        /// Whether it is on paper.
        print: PrintState,
        /// The visitor had checked in before: this is the same ticket again.
        reprint: bool,
        /// When the screen returns to the start by itself.
        until: Option<Instant>,
    },
    /// A check-in that did not give a ticket, with the next step.
    CheckInProblem(CheckInOutcome),
    /// A service that takes no walk-ins now.
    WalkInRefused {
        /// The service's id.
        service_id: String,
        /// Why, and when to come back.
        availability: Availability,
    },
    /// The back office could not be reached.
    Unreachable(Unreachable),
    /// The terminal is locked, or a required device is missing.
    OutOfService(OutOfService),
}

impl Screen {
    /// The screen's name, for logs (never its content).
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Start => "start",
            Screen::CheckIn(_) => "check_in",
            Screen::Services => "services",
            Screen::Progress(_) => "progress",
            Screen::Ticket { .. } => "ticket",
            Screen::CheckInProblem(_) => "check_in_problem",
            Screen::WalkInRefused { .. } => "walk_in_refused",
            Screen::Unreachable(_) => "unreachable",
            Screen::OutOfService(_) => "out_of_service",
        }
    }
}

/// Something that happened: the visitor's input, a tick of the clock, or an I/O result.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A touch anywhere (keeps the session alive).
    Touch,
    /// A language chosen on the language bar.
    Language(Lang),
    /// Large text on or off.
    ToggleLargeText,
    /// High contrast on or off.
    ToggleHighContrast,
    /// Low layout on or off.
    ToggleLowLayout,
    /// Spoken guidance on or off.
    ToggleSpeech,
    /// "I have an appointment".
    StartCheckIn,
    /// "Take a number".
    StartWalkIn,
    /// Which field the keys type into.
    SelectField(Field),
    /// A key of the on-screen keyboard.
    Key(Key),
    /// "Check in".
    SubmitCheckIn,
    /// The code scanner read something (personal data: never logged).
    Scanned(String),
    /// The code scanner delivered something it could not read.
    ScanRejected(ScanProblem),
    /// A service chosen for a walk-in number.
    ChooseService(String),
    /// "Take a walk-in number instead" after a late arrival.
    WalkInInstead,
    /// Back to the start screen.
    Home,
    /// "Continue" on the timeout warning.
    Continue,
    /// The help button.
    Help,
    /// Dismiss the "someone is coming" note.
    DismissHelp,
    /// The clock.
    Tick,
    /// The service list arrived.
    ServicesLoaded(Result<Arc<ServiceTree>, Unreachable>),
    /// The check-in answer arrived.
    CheckInAnswered(Result<CheckInOutcome, Unreachable>),
    /// The walk-in answer arrived.
    WalkInAnswered(Result<WalkInOutcome, Unreachable>),
    /// The printer finished (or failed) the ticket.
    Printed(Result<(), PrintFault>),
    /// The terminal was locked (with the reason) or unlocked (`None`).
    Locked(Option<String>),
    /// A required device stopped working for longer than the grace period (`working:
    /// false`), or works again.
    RequiredDevice {
        /// Which.
        device: Device,
        /// Whether it works.
        working: bool,
    },
    /// The back office became reachable (`true`) or unreachable (`false`).
    Connectivity(bool),
}

/// I/O the controller performs for the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Fetch the service tree.
    LoadServices,
    /// Check in (personal data: never logged).
    CheckIn {
        /// Booking number.
        booking: String,
        /// Code.
        code: String,
    },
    /// Draw a walk-in number.
    WalkIn {
        /// The service.
        service_id: String,
    },
    /// Print the ticket, with the fixed texts in the visitor's language where the printer can.
    Print {
        /// The ticket.
        ticket: TicketInfo,
        /// The visitor's language.
        lang: Lang,
    },
    /// Alert the front desk.
    RequestHelp,
    /// The visitor left: clear the help request and anything cached for them.
    SessionEnded,
}

impl Command {
    /// The command's name, for logs (never its personal content).
    pub fn name(&self) -> &'static str {
        match self {
            Command::LoadServices => "load_services",
            Command::CheckIn { .. } => "check_in",
            Command::WalkIn { .. } => "walk_in",
            Command::Print { .. } => "print",
            Command::RequestHelp => "request_help",
            Command::SessionEnded => "session_ended",
        }
    }
}

/// The flow: the current screen, the visitor's preferences and the session clock.
#[derive(Debug, Clone)]
pub struct Flow {
    screen: Screen,
    prefs: Prefs,
    default_prefs: Prefs,
    timings: Timings,
    last_activity: Instant,
    warning_until: Option<Instant>,
    help: bool,
    services: Option<Arc<ServiceTree>>,
    offline: bool,
    /// What keeps the terminal out of service (supervisor's lock, missing devices).
    service: OutOfService,
    now: Instant,
}

impl Flow {
    /// A flow on the start screen in the default language.
    pub fn new(default_lang: Lang, timings: Timings, now: Instant) -> Self {
        let default_prefs = Prefs {
            lang: default_lang,
            ..Prefs::default()
        };
        Self {
            screen: Screen::Start,
            prefs: default_prefs,
            default_prefs,
            timings,
            last_activity: now,
            warning_until: None,
            help: false,
            services: None,
            offline: false,
            service: OutOfService::default(),
            now,
        }
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The visitor's preferences.
    pub fn prefs(&self) -> Prefs {
        self.prefs
    }

    /// The last service tree (not personal: kept across sessions).
    pub fn services(&self) -> Option<&Arc<ServiceTree>> {
        self.services.as_ref()
    }

    /// Whether the terminal works offline (walk-in numbers from its reserved block).
    pub fn offline(&self) -> bool {
        self.offline
    }

    /// Whether the front desk has been called.
    pub fn help_requested(&self) -> bool {
        self.help
    }

    /// Seconds left on the timeout warning, when it shows.
    pub fn warning_seconds(&self) -> Option<u64> {
        self.warning_until.map(|until| {
            until
                .saturating_duration_since(self.now)
                .as_secs_f64()
                .ceil() as u64
        })
    }

    /// Whether anything of a visitor is in the flow (so the idle timeout must run).
    fn session_active(&self) -> bool {
        self.screen != Screen::Start || self.prefs != self.default_prefs || self.help
    }

    /// Ends the session: every trace of the visitor goes, the start screen returns in the
    /// default language — or the out-of-service screen, if something keeps the terminal out
    /// of service.
    fn wipe(&mut self) -> Vec<Command> {
        if let Screen::CheckIn(entry) = &mut self.screen {
            entry.wipe();
        }
        self.screen = if self.service.applies() {
            Screen::OutOfService(self.service.clone())
        } else {
            Screen::Start
        };
        self.prefs = self.default_prefs;
        self.warning_until = None;
        self.help = false;
        vec![Command::SessionEnded]
    }

    /// Shows what keeps the terminal out of service, or returns to the start screen when
    /// nothing does any more. A supervisor's lock (`interrupt`) ends a visitor's session at
    /// once; a missing device waits until the session ends (the visitor at the screen still
    /// gets a number to note).
    fn service_changed(&mut self, interrupt: bool) -> Vec<Command> {
        let applies = self.service.applies();
        match &self.screen {
            Screen::OutOfService(_) if applies => {
                self.screen = Screen::OutOfService(self.service.clone());
                vec![]
            }
            Screen::OutOfService(_) => {
                self.screen = Screen::Start;
                vec![Command::LoadServices]
            }
            _ if applies && interrupt => self.wipe(),
            _ if applies && !self.session_active() => {
                self.screen = Screen::OutOfService(self.service.clone());
                vec![]
            }
            _ => vec![],
        }
    }

    /// Applies `event` at `now` and returns the I/O to do.
    pub fn step(&mut self, event: Event, now: Instant) -> Vec<Command> {
        self.now = now;
        if is_input(&event) {
            self.last_activity = now;
            if self.warning_until.is_some() && event != Event::Continue && event != Event::Home {
                // Any touch while the warning shows counts as "continue".
                self.warning_until = None;
            }
        }
        match event {
            Event::Tick => self.tick(now),
            Event::Continue => {
                self.warning_until = None;
                vec![]
            }
            Event::Home => self.wipe(),
            Event::Connectivity(online) => {
                self.offline = !online;
                vec![]
            }
            event => transition::apply(self, event, now),
        }
    }

    fn tick(&mut self, now: Instant) -> Vec<Command> {
        if let Screen::Ticket {
            until: Some(until), ..
        } = self.screen
            && now >= until
        {
            return self.wipe();
        }
        if let Some(until) = self.warning_until {
            return if now >= until { self.wipe() } else { vec![] };
        }
        // While the back office or the printer works, or a ticket shows, the screen returns
        // by itself; everywhere else a forgotten session ends with the warning.
        let returns_by_itself = matches!(
            self.screen,
            Screen::Progress(_) | Screen::Ticket { .. } | Screen::OutOfService(_)
        );
        if self.session_active()
            && !returns_by_itself
            && now.saturating_duration_since(self.last_activity) >= self.timings.idle
        {
            self.warning_until = Some(now + self.timings.warning);
        }
        vec![]
    }
}

/// Whether an event is the visitor's doing (and so keeps the session alive).
fn is_input(event: &Event) -> bool {
    !matches!(
        event,
        Event::Tick
            | Event::ServicesLoaded(_)
            | Event::CheckInAnswered(_)
            | Event::WalkInAnswered(_)
            | Event::Printed(_)
            | Event::Locked(_)
            | Event::RequiredDevice { .. }
            | Event::Connectivity(_)
    )
}

mod transition;
