//! The code scanner: USB scanners in keyboard mode (evdev, exclusively grabbed) and in serial
//! mode (CDC-ACM). Both frame their input into one [`Scan`] by terminator or inter-key
//! timeout, and reject garbage and over-long input with a reason.

pub mod evdev;
pub mod keymap;
pub mod serial;
pub mod watch;

use std::time::Duration;
use thiserror::Error;

/// Which interface a scan came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanSource {
    /// A scanner acting as a USB keyboard.
    Keyboard,
    /// A scanner on a serial (CDC-ACM) port.
    Serial,
}

/// One scanned code. Its text is visitor data: never log it.
#[derive(Clone, PartialEq, Eq)]
pub struct Scan {
    /// The decoded content.
    pub text: String,
    /// Where it came from.
    pub source: ScanSource,
}

impl std::fmt::Debug for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scan")
            .field("len", &self.text.chars().count())
            .field("source", &self.source)
            .finish()
    }
}

/// Input that is not a usable scan.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ScanError {
    /// More characters than any code we accept.
    #[error("scan longer than {max} characters was discarded")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Keys or bytes that map to no character.
    #[error(
        "scan contained {count} unreadable keys or bytes: check the scanner's interface settings"
    )]
    Garbage {
        /// How many.
        count: usize,
    },
    /// Readable, but no configured keyboard layout gives an accepted code.
    #[error("scan not recognised in any configured keyboard layout: set the scanner to US layout")]
    Unrecognised,
}

/// How input is cut into scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    /// A pause longer than this ends a scan that has no terminator. Scanners type a code in a
    /// burst; people type far slower.
    pub inter_key_timeout: Duration,
    /// Longest accepted scan, in characters.
    pub max_len: usize,
}

impl Default for Framing {
    fn default() -> Self {
        Self {
            inter_key_timeout: Duration::from_millis(80),
            max_len: 1024,
        }
    }
}

/// Cuts a stream of units (keystrokes or bytes) into frames.
#[derive(Debug)]
pub struct Framer<U> {
    framing: Framing,
    units: Vec<U>,
    last: Option<Duration>,
    overflow: bool,
}

/// A finished frame: its units, or the reason it was discarded.
pub type Frame<U> = Result<Vec<U>, ScanError>;

impl<U> Framer<U> {
    /// An empty framer.
    pub fn new(framing: Framing) -> Self {
        Self {
            framing,
            units: Vec::new(),
            last: None,
            overflow: false,
        }
    }

    /// The inter-key timeout.
    pub fn timeout(&self) -> Duration {
        self.framing.inter_key_timeout
    }

    /// Whether a frame is in progress.
    pub fn pending(&self) -> bool {
        !self.units.is_empty() || self.overflow
    }

    fn finish(&mut self) -> Option<Frame<U>> {
        let units = std::mem::take(&mut self.units);
        let overflow = std::mem::replace(&mut self.overflow, false);
        if overflow {
            Some(Err(ScanError::TooLong {
                max: self.framing.max_len,
            }))
        } else if units.is_empty() {
            None
        } else {
            Some(Ok(units))
        }
    }

    /// Adds a unit seen at time `at` (any monotonic clock). A terminator ends the frame; a gap
    /// longer than the timeout first ends the previous one.
    pub fn push(&mut self, unit: U, terminator: bool, at: Duration) -> Option<Frame<U>> {
        let gap = self
            .last
            .is_some_and(|last| at.saturating_sub(last) > self.framing.inter_key_timeout);
        self.last = Some(at);
        let before = if gap && self.pending() {
            self.finish()
        } else {
            None
        };
        if terminator {
            let done = self.finish();
            return before.or(done);
        }
        if self.units.len() >= self.framing.max_len {
            self.overflow = true;
            self.units.clear();
        } else if !self.overflow {
            self.units.push(unit);
        }
        before
    }

    /// Ends the frame in progress because nothing came for the timeout (or the input ended).
    pub fn idle(&mut self) -> Option<Frame<U>> {
        self.last = None;
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn terminator_ends_a_frame_and_pause_ends_one_without_terminator() {
        let mut f = Framer::new(Framing::default());
        assert_eq!(f.push('a', false, ms(0)), None);
        assert_eq!(f.push('b', false, ms(5)), None);
        assert_eq!(f.push('\n', true, ms(10)), Some(Ok(vec!['a', 'b'])));
        assert_eq!(f.push('c', false, ms(20)), None);
        assert_eq!(
            f.push('d', false, ms(500)),
            Some(Ok(vec!['c'])),
            "pause split"
        );
        assert_eq!(f.idle(), Some(Ok(vec!['d'])));
        assert_eq!(f.idle(), None);
    }

    #[test]
    fn over_long_input_is_discarded_up_to_its_end() {
        let mut f = Framer::new(Framing {
            inter_key_timeout: ms(50),
            max_len: 3,
        });
        for (i, c) in "abcdef".chars().enumerate() {
            assert_eq!(f.push(c, false, ms(i as u64)), None);
        }
        assert_eq!(
            f.push('\n', true, ms(7)),
            Some(Err(ScanError::TooLong { max: 3 }))
        );
        f.push('x', false, ms(8));
        assert_eq!(
            f.push('\n', true, ms(9)),
            Some(Ok(vec!['x'])),
            "next scan is fine"
        );
    }
}
