//! The booking number and short code of an appointment confirmation: the one definition of
//! what each may look like, used by the kiosk's keys and scanner and by the back office's
//! check-in. Both are personal data: their `Debug` shows only the length.

use std::fmt;
use std::ops::RangeInclusive;

/// Digits in a booking number.
pub const NUMBER_LEN: RangeInclusive<usize> = 6..=10;
/// Letters and digits in a short code.
pub const CODE_LEN: RangeInclusive<usize> = 4..=5;
/// The prefix of our confirmations' QR codes: `BT1:<booking number>:<code>`.
pub const QR_PREFIX: &str = "BT1:";

/// Why a booking number or code cannot be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingError {
    /// Not 6 to 10 digits.
    InvalidNumber,
    /// Not 4 or 5 letters and digits.
    InvalidCode,
}

impl fmt::Display for BookingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BookingError::InvalidNumber => "The booking number has 6 to 10 digits.",
            BookingError::InvalidCode => "The code has 4 or 5 letters and digits.",
        })
    }
}

impl std::error::Error for BookingError {}

/// A booking number: 6 to 10 ASCII digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BookingNumber(String);

impl BookingNumber {
    /// Validates a booking number (surrounding blanks are ignored).
    pub fn parse(raw: &str) -> Result<Self, BookingError> {
        let n = raw.trim();
        if NUMBER_LEN.contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(n.to_owned()))
        } else {
            Err(BookingError::InvalidNumber)
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short code: 4 or 5 ASCII letters and digits, upper case.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BookingCode(String);

impl BookingCode {
    /// Validates a code (surrounding blanks are ignored, letters made upper case).
    pub fn parse(raw: &str) -> Result<Self, BookingError> {
        let c = raw.trim();
        if CODE_LEN.contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(c.to_ascii_uppercase()))
        } else {
            Err(BookingError::InvalidCode)
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BookingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingNumber({} digits)", self.0.len())
    }
}

impl fmt::Debug for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BookingCode({} characters)", self.0.len())
    }
}

/// Whether `c` may appear in a booking number.
pub fn number_char(c: char) -> bool {
    c.is_ascii_digit()
}

/// Whether `c` may appear in a code (before upper-casing).
pub fn code_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Reads a confirmation's QR code, `BT1:<booking>:<code>`, or the number and code typed or
/// printed with a space, `-`, `:` or `/` between them. `None` for anything else.
pub fn parse_confirmation(payload: &str) -> Option<(BookingNumber, BookingCode)> {
    let payload = payload.trim();
    let rest = payload.strip_prefix(QR_PREFIX).unwrap_or(payload);
    let mut parts = rest.split([' ', '-', ':', '/']).filter(|p| !p.is_empty());
    let (number, code, extra) = (parts.next()?, parts.next()?, parts.next());
    if extra.is_some() {
        return None;
    }
    Some((
        BookingNumber::parse(number).ok()?,
        BookingCode::parse(code).ok()?,
    ))
}

/// The QR payload of a confirmation.
pub fn confirmation_payload(number: &BookingNumber, code: &BookingCode) -> String {
    format!("{QR_PREFIX}{}:{}", number.as_str(), code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_six_to_ten_digits() {
        assert!(BookingNumber::parse("12345").is_err());
        assert_eq!(
            BookingNumber::parse(" 123456 ").map(|n| n.0),
            Ok("123456".into())
        );
        assert!(BookingNumber::parse("1234567890").is_ok());
        assert!(BookingNumber::parse("12345678901").is_err());
        assert!(BookingNumber::parse("12345a").is_err());
        assert!(
            BookingNumber::parse("１２３４５６").is_err(),
            "full-width digits"
        );
    }

    #[test]
    fn codes_have_four_or_five_letters_and_digits() {
        assert!(BookingCode::parse("AB1").is_err());
        assert_eq!(BookingCode::parse("ab2c").map(|c| c.0), Ok("AB2C".into()));
        assert!(BookingCode::parse("AB2CD").is_ok());
        assert!(BookingCode::parse("AB2CDE").is_err());
        assert!(BookingCode::parse("AB-C").is_err());
        assert!(BookingCode::parse("ÄBCD").is_err());
    }

    #[test]
    fn confirmations_round_trip_and_strays_are_refused() {
        let (n, c) = parse_confirmation("BT1:100123:ab2cd").expect("our QR");
        assert_eq!(confirmation_payload(&n, &c), "BT1:100123:AB2CD");
        assert!(parse_confirmation("100123 AB2CD").is_some());
        assert!(parse_confirmation("https://example.org/x").is_none());
        assert!(parse_confirmation("BT1:100123:AB2CD:extra").is_none());
    }

    #[test]
    fn debug_hides_the_digits() {
        let n = BookingNumber::parse("100123").expect("valid");
        assert!(!format!("{n:?}").contains("100123"));
    }
}
