//! The check-in rules, in one place and in the order they apply: throttling of a terminal that
//! keeps sending unknown booking numbers, the lock of a booking after wrong codes, the
//! already-checked-in answer, the wrong office, and the check-in window (too early, too late).
//! Pure: times are milliseconds since the epoch, nothing is read or written here.

use super::office::OfficeRules;

const MINUTE_MS: i64 = 60_000;

/// How long unknown booking numbers count against a terminal.
pub const UNKNOWN_BOOKING_WINDOW_MS: i64 = 10 * MINUTE_MS;

/// The limits that keep codes from being guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Unknown booking numbers a terminal may send within [`UNKNOWN_BOOKING_WINDOW_MS`].
    pub max_unknown_bookings: u32,
    /// Wrong codes before the booking is locked.
    pub max_wrong_codes: u32,
    /// How long a booking stays locked.
    pub lock_minutes: i64,
}

/// Whether the terminal may ask about a booking now; `Err(retry_at)` while it is throttled
/// for sending too many unknown booking numbers lately.
pub fn terminal_may_ask(recent_unknown: u32, limits: &Limits, now: i64) -> Result<(), i64> {
    if recent_unknown >= limits.max_unknown_bookings {
        Err(now + UNKNOWN_BOOKING_WINDOW_MS)
    } else {
        Ok(())
    }
}

/// What a wrong code leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongCode {
    /// Tries left before the lock.
    AttemptsLeft(u32),
    /// The booking is locked until then.
    Locked { until: i64 },
}

/// The lock time to store with a wrong code made at `now`.
pub fn lock_until(limits: &Limits, now: i64) -> i64 {
    now + limits.lock_minutes * MINUTE_MS
}

/// After the `failures`-th wrong code in a row (counted with the one just made).
pub fn after_wrong_code(failures: u32, limits: &Limits, now: i64) -> WrongCode {
    if failures >= limits.max_wrong_codes {
        WrongCode::Locked {
            until: lock_until(limits, now),
        }
    } else {
        WrongCode::AttemptsLeft(limits.max_wrong_codes - failures)
    }
}

/// An appointment as far as the rules after a matching code need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked<'a> {
    /// Its office.
    pub office_id: &'a str,
    /// Its time.
    pub starts_at: i64,
    /// The ticket of an earlier check-in.
    pub ticket_id: Option<i64>,
}

/// What a check-in with the right code leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Checked in before: the same ticket again, wherever the visitor is now.
    AlreadyCheckedIn { ticket_id: i64 },
    /// The appointment is at another office.
    WrongOffice,
    /// Check-in opens at `opens_at`.
    TooEarly { opens_at: i64 },
    /// The appointment has passed; a walk-in number instead.
    TooLate,
    /// Issue the ticket.
    Issue,
}

/// Decides a check-in with the right code at a terminal of `terminal_office` at `now`; `rules`
/// are those of the appointment's office.
pub fn admit(
    booked: &Booked<'_>,
    terminal_office: &str,
    rules: &OfficeRules,
    now: i64,
) -> Admission {
    if let Some(ticket_id) = booked.ticket_id {
        return Admission::AlreadyCheckedIn { ticket_id };
    }
    if booked.office_id != terminal_office {
        return Admission::WrongOffice;
    }
    let opens_at = booked.starts_at - rules.checkin_early_minutes * MINUTE_MS;
    if now < opens_at {
        return Admission::TooEarly { opens_at };
    }
    if now > booked.starts_at + rules.checkin_late_minutes * MINUTE_MS {
        return Admission::TooLate;
    }
    Admission::Issue
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_unknown_bookings: 10,
        max_wrong_codes: 5,
        lock_minutes: 15,
    };

    fn rules(early: i64, late: i64) -> OfficeRules {
        OfficeRules {
            hours: Default::default(),
            closing_days: vec![],
            max_calls: 3,
            checkin_early_minutes: early,
            checkin_late_minutes: late,
            traffic_light: [5, 10],
        }
    }

    fn booked(office: &str, starts_at: i64) -> Booked<'_> {
        Booked {
            office_id: office,
            starts_at,
            ticket_id: None,
        }
    }

    #[test]
    fn a_terminal_is_throttled_after_too_many_unknown_bookings() {
        assert_eq!(terminal_may_ask(9, &LIMITS, 0), Ok(()));
        assert_eq!(
            terminal_may_ask(10, &LIMITS, 0),
            Err(UNKNOWN_BOOKING_WINDOW_MS)
        );
    }

    #[test]
    fn wrong_codes_count_down_then_lock() {
        assert_eq!(after_wrong_code(1, &LIMITS, 0), WrongCode::AttemptsLeft(4));
        assert_eq!(after_wrong_code(4, &LIMITS, 0), WrongCode::AttemptsLeft(1));
        assert_eq!(
            after_wrong_code(5, &LIMITS, 1_000),
            WrongCode::Locked {
                until: 1_000 + 15 * MINUTE_MS
            }
        );
    }

    #[test]
    fn the_check_in_window_runs_from_early_to_late() {
        let r = rules(30, 10);
        let at = 100 * MINUTE_MS;
        let admit_at = |now| admit(&booked("a", at), "a", &r, now);
        assert_eq!(
            admit_at(at - 31 * MINUTE_MS),
            Admission::TooEarly {
                opens_at: at - 30 * MINUTE_MS
            }
        );
        assert_eq!(admit_at(at - 30 * MINUTE_MS), Admission::Issue);
        assert_eq!(admit_at(at + 10 * MINUTE_MS), Admission::Issue);
        assert_eq!(admit_at(at + 10 * MINUTE_MS + 1), Admission::TooLate);
    }

    #[test]
    fn an_earlier_check_in_wins_over_office_and_window() {
        let r = rules(30, 10);
        let b = Booked {
            ticket_id: Some(7),
            ..booked("other", 0)
        };
        assert_eq!(
            admit(&b, "here", &r, 10_000 * MINUTE_MS),
            Admission::AlreadyCheckedIn { ticket_id: 7 }
        );
        assert_eq!(
            admit(&booked("other", 0), "here", &r, 0),
            Admission::WrongOffice
        );
    }
}
