//! The values the visitor flow works with: languages, display preferences, the service tree,
//! tickets and the outcomes of check-in and walk-in — domain types, free of wire formats.

use std::collections::BTreeMap;

/// A language the terminal speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Deutsch, the default.
    #[default]
    De,
    /// English.
    En,
    /// Français.
    Fr,
    /// Türkçe.
    Tr,
    /// العربية, written right to left.
    Ar,
    /// Українська.
    Uk,
}

impl Lang {
    /// Every language, in the order of the language bar.
    pub const ALL: [Lang; 6] = [Lang::De, Lang::En, Lang::Fr, Lang::Tr, Lang::Ar, Lang::Uk];

    /// The language tag (`de`, `ar`, …), as the back office keys its texts.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Tr => "tr",
            Lang::Ar => "ar",
            Lang::Uk => "uk",
        }
    }

    /// The language named in itself, for the language bar.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Tr => "Türkçe",
            Lang::Ar => "العربية",
            Lang::Uk => "Українська",
        }
    }

    /// Whether the language is written right to left (the layout mirrors).
    pub fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The language for a tag, if the terminal has it.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// How the visitor wants the screen: reset to the defaults by every wipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Prefs {
    /// The language.
    pub lang: Lang,
    /// Larger text throughout.
    pub large_text: bool,
    /// Black and white with yellow focus instead of the office colours.
    pub high_contrast: bool,
    /// Every control in the lower part of the screen (reach from a wheelchair).
    pub low_layout: bool,
    /// Read the screen aloud through the headset.
    pub speech: bool,
}

/// A text in several languages, keyed by language tag; German is the fallback.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// The text in `lang`, else German, else any.
    pub fn get(&self, lang: Lang) -> &str {
        self.0
            .get(lang.code())
            .or_else(|| self.0.get("de"))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// The same text in every language (tests, offline tickets).
    pub fn same(text: &str) -> Self {
        Self(
            Lang::ALL
                .iter()
                .map(|l| (l.code().to_owned(), text.to_owned()))
                .collect(),
        )
    }
}

/// Why a service takes no walk-ins now (the back office's reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    /// The whole office is closed today.
    OfficeClosedToday,
    /// Outside the office's opening hours.
    OutsideOpeningHours,
    /// The service is closed today.
    ClosedToday,
    /// Outside the hours the service takes walk-ins.
    OutsideWalkInHours,
    /// Today's walk-in numbers are gone.
    QuotaExhausted,
    /// Only appointments today.
    AppointmentsOnlyToday,
    /// A reason this terminal does not know yet.
    Other,
}

/// Whether a service takes walk-ins now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// Open: a number can be drawn.
    Open,
    /// Closed, with the reason and the next opening (office-local date-time) if known.
    Closed {
        /// Why.
        reason: ClosedReason,
        /// When walk-ins are taken again.
        next_opening: Option<jiff::civil::DateTime>,
    },
    /// Today's quota is used up.
    QuotaExhausted {
        /// When walk-ins are taken again.
        next_opening: Option<jiff::civil::DateTime>,
    },
    /// Appointments only today.
    NotToday {
        /// When walk-ins are taken again.
        next_opening: Option<jiff::civil::DateTime>,
    },
}

/// One service a visitor can draw a number for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    /// The back office's id.
    pub id: String,
    /// Its name.
    pub name: Localized,
    /// Where its visitors wait.
    pub waiting_area: Localized,
    /// Whether it takes walk-ins now.
    pub availability: Availability,
}

/// A group of services (one ticket letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGroup {
    /// The back office's id.
    pub id: String,
    /// The ticket letter.
    pub prefix: String,
    /// Its name.
    pub name: Localized,
    /// Its services.
    pub services: Vec<ServiceInfo>,
}

/// The office and its services as the back office describes them now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceTree {
    /// The office's name.
    pub office_name: String,
    /// The office's address.
    pub office_address: String,
    /// The groups.
    pub groups: Vec<ServiceGroup>,
}

impl ServiceTree {
    /// The service with `id`.
    pub fn service(&self, id: &str) -> Option<&ServiceInfo> {
        self.groups
            .iter()
            .flat_map(|g| &g.services)
            .find(|s| s.id == id)
    }
}

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An appointment check-in.
    Appointment,
    /// A walk-in number.
    WalkIn,
    /// A walk-in number issued by this terminal while the back office was unreachable.
    Offline,
    /// An appointment check-in while the back office was unreachable: a number from the
    /// offline block; the appointment is confirmed at the counter.
    OfflineCheckIn,
}

impl Origin {
    /// Whether the terminal issued the ticket on its own, offline.
    pub fn offline(self) -> bool {
        matches!(self, Origin::Offline | Origin::OfflineCheckIn)
    }
}

/// A ticket as the visitor sees it on the screen and on paper. No personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketInfo {
    /// The number called in the waiting room, e.g. `A017`.
    pub number: String,
    /// Where it came from.
    pub origin: Origin,
    /// The office's name.
    pub office_name: String,
    /// The service's id.
    pub service_id: String,
    /// The service's name.
    pub service: Localized,
    /// Where to wait.
    pub waiting_area: Localized,
    /// People ahead.
    pub people_ahead: u32,
    /// Wait estimate in minutes, low and high.
    pub wait_minutes: (u32, u32),
    /// When it was issued.
    pub issued_at: jiff::Timestamp,
    /// The appointment's time, for check-ins.
    pub appointment_at: Option<jiff::Timestamp>,
    /// The live-position page, for the QR code.
    pub status_url: String,
}

/// What the back office said to a check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckInOutcome {
    /// Checked in: here is the ticket.
    CheckedIn(TicketInfo),
    /// Checked in before: the same ticket again.
    AlreadyCheckedIn(TicketInfo),
    /// No such booking.
    UnknownBooking,
    /// The code does not match.
    WrongCode {
        /// Tries left before throttling, if known.
        attempts_left: Option<u32>,
    },
    /// Too many wrong codes.
    Throttled {
        /// When trying again is possible.
        retry_at: Option<jiff::Timestamp>,
    },
    /// The appointment is at another office.
    WrongOffice {
        /// That office's name.
        name: String,
        /// Its address.
        address: String,
    },
    /// Check-in is not open yet.
    TooEarly {
        /// From when.
        check_in_from: Option<jiff::Timestamp>,
    },
    /// The appointment has passed; a walk-in number is offered.
    TooLate {
        /// The service to draw a walk-in number for.
        walk_in_service_id: Option<String>,
    },
}

/// What the back office said to a walk-in request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkInOutcome {
    /// The ticket.
    Issued(TicketInfo),
    /// No number for this service now.
    Refused(Availability),
}

/// The back office could not be asked (unreachable, timed out, broken answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// No answer in time, or no connection.
    Offline,
    /// The back office refuses this terminal (certificate or configuration).
    Refused,
}

/// Why a ticket did not print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintFault {
    /// Out of paper.
    PaperOut,
    /// Cover open.
    CoverOpen,
    /// Unplugged or not found.
    Absent,
    /// Any other failure.
    Failed,
}

/// A device the terminal's configuration may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Device {
    /// The ticket printer.
    TicketPrinter,
    /// The code scanner.
    CodeScanner,
}

/// Why the terminal takes no visitors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutOfService {
    /// The supervisor's lock message, while the terminal is locked.
    pub lock: Option<String>,
    /// Required devices that are missing or out of order.
    pub missing: Vec<Device>,
}

impl OutOfService {
    /// Locked by a supervisor with `message`, no device missing.
    pub fn locked(message: &str) -> Self {
        Self {
            lock: Some(message.to_owned()),
            missing: vec![],
        }
    }

    /// Whether anything keeps the terminal out of service.
    pub fn applies(&self) -> bool {
        self.lock.is_some() || !self.missing.is_empty()
    }
}
