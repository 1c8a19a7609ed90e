//! What the visitor types on the check-in screen (booking number and code), its validation,
//! the reading of a booking confirmation's QR code, and what the screen says about a scan it
//! could not use.

use terminal_api::booking::{self, CODE_LEN, NUMBER_LEN};

/// Which field the on-screen keys type into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    /// The booking number (digits: number pad).
    #[default]
    Booking,
    /// The short code (letters and digits: keyboard).
    Code,
}

/// A key of the on-screen keyboard or number pad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character.
    Char(char),
    /// Delete the last character.
    Backspace,
    /// Empty the field.
    Clear,
}

/// Longest booking number (the contract's rule, `terminal_api::booking`).
pub const BOOKING_MAX: usize = *NUMBER_LEN.end();
/// Shortest booking number.
pub const BOOKING_MIN: usize = *NUMBER_LEN.start();
/// Longest code.
pub const CODE_MAX: usize = *CODE_LEN.end();
/// Shortest code.
pub const CODE_MIN: usize = *CODE_LEN.start();

/// Why a scan could not be used for a check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanProblem {
    /// The scanner delivered something unreadable (garbage, too long, wrong layout).
    Unreadable,
    /// Readable, but not a booking confirmation's code.
    NotABooking,
}

/// The booking number and code as typed so far. Personal data: wiped with the session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckInEntry {
    /// Digits of the booking number.
    pub booking: String,
    /// Letters and digits of the code, upper case.
    pub code: String,
    /// The field being typed into.
    pub field: Field,
    /// The last scan could not be used (shown until the next key or scan).
    pub notice: Option<ScanProblem>,
}

impl CheckInEntry {
    /// Applies a key to the current field; characters that cannot belong there are ignored.
    pub fn key(&mut self, key: Key) {
        self.notice = None;
        let (text, max) = match self.field {
            Field::Booking => (&mut self.booking, BOOKING_MAX),
            Field::Code => (&mut self.code, CODE_MAX),
        };
        match key {
            Key::Backspace => {
                text.pop();
            }
            Key::Clear => text.clear(),
            Key::Char(c) => {
                let c = c.to_ascii_uppercase();
                let fits = match self.field {
                    Field::Booking => booking::number_char(c),
                    Field::Code => booking::code_char(c),
                };
                if fits && text.chars().count() < max {
                    text.push(c);
                    if self.field == Field::Booking && text.len() == BOOKING_MAX {
                        self.field = Field::Code;
                    }
                }
            }
        }
    }

    /// Whether both fields are complete enough to ask the back office.
    pub fn complete(&self) -> bool {
        booking::BookingNumber::parse(&self.booking).is_ok()
            && booking::BookingCode::parse(&self.code).is_ok()
    }

    /// Overwrites every character before dropping the text (the allocator may hand the
    /// memory to the next visitor's strings).
    pub fn wipe(&mut self) {
        wipe_string(&mut self.booking);
        wipe_string(&mut self.code);
        self.field = Field::Booking;
        self.notice = None;
    }
}

/// Zeroes a string's bytes in place, then empties it.
pub fn wipe_string(s: &mut String) {
    let mut bytes = std::mem::take(s).into_bytes();
    bytes.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&bytes);
}

/// Reads a booking confirmation's QR code: `BT1:<booking>:<code>` (our confirmations), or the
/// number and code separated by a space, `-`, `:` or `/` (`terminal_api::booking`). `None` for
/// anything else — a stray scan of some other code.
pub fn parse_scan(payload: &str) -> Option<CheckInEntry> {
    let (number, code) = booking::parse_confirmation(payload)?;
    Some(CheckInEntry {
        booking: number.as_str().to_owned(),
        code: code.as_str().to_owned(),
        field: Field::Code,
        notice: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booking_field_takes_only_digits_and_moves_on_when_full() {
        let mut e = CheckInEntry::default();
        for c in "12a34567890".chars() {
            e.key(Key::Char(c));
        }
        assert_eq!(e.booking, "1234567890");
        assert_eq!(e.field, Field::Code);
        e.key(Key::Char('x'));
        e.key(Key::Char('7'));
        e.key(Key::Char('ä'));
        assert_eq!(e.code, "X7");
        e.key(Key::Backspace);
        assert_eq!(e.code, "X");
    }

    #[test]
    fn scans_are_read_or_refused() {
        let e = parse_scan("BT1:100123:ab2cd").expect("our confirmation QR");
        assert_eq!((e.booking.as_str(), e.code.as_str()), ("100123", "AB2CD"));
        assert!(parse_scan("100123 AB2C").is_some());
        assert!(parse_scan("https://example.org/some/other/code").is_none());
        assert!(parse_scan("4006381333931").is_none());
        assert!(parse_scan("12 ABCD").is_none());
    }

    #[test]
    fn wipe_empties_both_fields() {
        let mut e = parse_scan("BT1:100123:AB2CD").expect("valid");
        e.wipe();
        assert_eq!(e, CheckInEntry::default());
    }
}
