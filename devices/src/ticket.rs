//! The queue ticket as a domain value: what the visitor takes away from the terminal.

use thiserror::Error;

/// A ticket as the back office issued it, ready to be printed.
///
/// Date and time arrive already formatted (the kiosk formats them in the office's time zone and
/// language); the printer layer only lays them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Name of the citizen office, printed at the top.
    pub office: String,
    /// The display number called in the waiting room, e.g. `A017`.
    pub number: String,
    /// The service the visitor is waiting for.
    pub service: String,
    /// Where to wait, e.g. `Wartebereich 2, 1. OG`.
    pub waiting_area: String,
    /// How many people are ahead in the queue; `None` where nobody knows yet (a ticket issued
    /// while the terminal was offline), and then no line is printed for it.
    pub people_ahead: Option<u32>,
    /// The estimated wait; `None` (no line printed) where there is no estimate yet.
    pub wait: Option<WaitRange>,
    /// Date and time of issue, already formatted (`26.11.2026  13:15`).
    pub issued_at: String,
    /// What the QR code encodes: the live-position page for the visitor's phone.
    pub qr_payload: String,
    /// A line for the visitor printed in bold under the wait, e.g. that an appointment taken
    /// while the terminal was offline is confirmed at the counter.
    pub note: Option<String>,
    /// Optional office logo, printed centred above everything else.
    pub logo: Option<Raster>,
    /// The fixed texts around the values.
    pub labels: TicketLabels,
}

impl Ticket {
    /// A realistic test ticket: what IT prints after plugging a printer in, and what the
    /// simulator's screenshots show.
    pub fn sample() -> Self {
        Self {
            office: "Bürgeramt Mitte".into(),
            number: "A017".into(),
            service: "Personalausweis und Reisepass".into(),
            waiting_area: "Wartebereich 2, 1. OG".into(),
            people_ahead: Some(3),
            wait: Some(WaitRange { min: 20, max: 35 }),
            issued_at: "26.11.2026  13:15".into(),
            qr_payload: "https://termine.stadt.example/q/7K2M9X".into(),
            note: None,
            logo: None,
            labels: TicketLabels::german(),
        }
    }
}

/// An estimated wait in whole minutes, optimistic to pessimistic (`20–35 min`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitRange {
    min: u32,
    max: u32,
}

impl WaitRange {
    /// A range from `min` to `max` minutes; `min` must not exceed `max`.
    pub fn new(min: u32, max: u32) -> Result<Self, TicketError> {
        if min > max {
            return Err(TicketError::WaitRange { min, max });
        }
        Ok(Self { min, max })
    }

    /// Optimistic estimate in minutes.
    pub fn min(&self) -> u32 {
        self.min
    }

    /// Pessimistic estimate in minutes.
    pub fn max(&self) -> u32 {
        self.max
    }
}

/// The fixed texts of a ticket, German by default; the kiosk supplies the visitor's language.
/// Text outside the printer's code page prints as raster lines where a font is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketLabels {
    /// Above the number.
    pub your_number: String,
    /// Before the waiting area.
    pub waiting_area: String,
    /// Before the people ahead.
    pub people_ahead: String,
    /// Before the wait range.
    pub wait: String,
    /// Under the QR code.
    pub qr_hint: String,
    /// The unit after the wait range (`min`).
    pub minutes: String,
}

impl TicketLabels {
    /// The German texts.
    pub fn german() -> Self {
        Self {
            your_number: "Ihre Nummer".into(),
            waiting_area: "Bitte warten Sie in:".into(),
            people_ahead: "Personen vor Ihnen:".into(),
            wait: "Geschätzte Wartezeit:".into(),
            qr_hint: "QR-Code scannen: Ihre Position live".into(),
            minutes: "min".into(),
        }
    }
}

impl Default for TicketLabels {
    fn default() -> Self {
        Self::german()
    }
}

/// A 1-bit raster image (set bit = black dot), rows packed most significant bit first, each row
/// padded to whole bytes — the layout `GS v 0` expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    width: u16,
    height: u16,
    data: Vec<u8>,
}

impl Raster {
    /// A raster of `width` × `height` dots from packed rows of `ceil(width / 8)` bytes each.
    pub fn from_packed(width: u16, height: u16, data: Vec<u8>) -> Result<Self, TicketError> {
        let expected = usize::from(width).div_ceil(8) * usize::from(height);
        if width == 0 || height == 0 || data.len() != expected {
            return Err(TicketError::Raster {
                width,
                height,
                expected,
                actual: data.len(),
            });
        }
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// A raster from a predicate telling whether the dot at (x, y) is black.
    pub fn from_fn(width: u16, height: u16, black: impl Fn(u16, u16) -> bool) -> Self {
        let row_bytes = usize::from(width).div_ceil(8);
        let mut data = vec![0u8; row_bytes * usize::from(height)];
        for y in 0..height {
            for x in 0..width {
                if black(x, y) {
                    data[usize::from(y) * row_bytes + usize::from(x) / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// Width in dots.
    pub fn width(&self) -> u16 {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> u16 {
        self.height
    }

    /// Bytes per row.
    pub fn row_bytes(&self) -> usize {
        usize::from(self.width).div_ceil(8)
    }

    /// The packed rows.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Whether the dot at (x, y) is black; out of range is white.
    pub fn is_black(&self, x: u16, y: u16) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let byte = self.data[usize::from(y) * self.row_bytes() + usize::from(x) / 8];
        byte & (0x80 >> (x % 8)) != 0
    }
}

/// A ticket value that cannot exist.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TicketError {
    /// The optimistic wait is longer than the pessimistic one.
    #[error("wait range {min}–{max} min is reversed: the first value must not exceed the second")]
    WaitRange {
        /// Optimistic value given.
        min: u32,
        /// Pessimistic value given.
        max: u32,
    },
    /// The raster data does not match its size.
    #[error(
        "logo raster {width}×{height} needs {expected} bytes but has {actual}: rows are packed to whole bytes"
    )]
    Raster {
        /// Width given.
        width: u16,
        /// Height given.
        height: u16,
        /// Bytes needed.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_wait_range_is_refused() {
        assert!(WaitRange::new(35, 20).is_err());
        assert_eq!(
            WaitRange::new(20, 35).map(|w| (w.min(), w.max())),
            Ok((20, 35))
        );
    }

    #[test]
    fn raster_packs_rows_msb_first() {
        let r = Raster::from_fn(10, 2, |x, y| x == 0 || (y == 1 && x == 9));
        assert_eq!(r.data(), &[0x80, 0x00, 0x80, 0x40]);
        assert!(r.is_black(9, 1));
        assert!(!r.is_black(9, 0));
        assert!(Raster::from_packed(10, 2, vec![0; 3]).is_err());
    }
}
