//! The ticket printer's state as the kiosk and the staff console see it, decoded from the
//! real-time status bytes (`DLE EOT` 1, 2, 4) and the USB printer-class port status.

use crate::usb::PortStatus;
use thiserror::Error;

/// How much paper is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperLevel {
    /// Enough.
    Ok,
    /// The near-end sensor tripped: change the roll soon.
    Low,
    /// The roll is empty: the printer has stopped.
    Out,
}

/// The printer's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrinterStatus {
    /// The printer is online (ready to print).
    pub online: bool,
    /// The cover is open.
    pub cover_open: bool,
    /// Paper left.
    pub paper: PaperLevel,
    /// The printer reports an error (cutter jam, head overheating, rejected data).
    pub error: bool,
}

impl PrinterStatus {
    /// Whether a ticket sent now would print.
    pub fn can_print(&self) -> bool {
        self.online && !self.cover_open && self.paper != PaperLevel::Out && !self.error
    }

    /// The most pressing problem, if any, worded for staff.
    pub fn problem(&self) -> Option<PrinterProblem> {
        if self.paper == PaperLevel::Out {
            Some(PrinterProblem::PaperOut)
        } else if self.cover_open {
            Some(PrinterProblem::CoverOpen)
        } else if self.error {
            Some(PrinterProblem::Error)
        } else if !self.online {
            Some(PrinterProblem::Offline)
        } else {
            None
        }
    }

    /// Decodes the answers to `DLE EOT 1`, `2`, `4` and the port status. Bytes whose fixed
    /// bits are wrong mean the link is out of step, and are refused.
    pub fn decode(
        printer: u8,
        offline: u8,
        paper: u8,
        port: PortStatus,
    ) -> Result<Self, StatusError> {
        for (n, b) in [(1, printer), (2, offline), (4, paper)] {
            if b & 0x93 != 0x12 {
                return Err(StatusError::Garbled {
                    request: n,
                    byte: b,
                });
            }
        }
        let paper_out = paper & 0x60 != 0 || offline & 0x20 != 0 || port.paper_empty();
        let level = if paper_out {
            PaperLevel::Out
        } else if paper & 0x0c != 0 {
            PaperLevel::Low
        } else {
            PaperLevel::Ok
        };
        Ok(Self {
            online: printer & 0x08 == 0 && port.selected(),
            cover_open: offline & 0x04 != 0,
            paper: level,
            error: offline & 0x40 != 0 || (!port.no_error() && !paper_out && offline & 0x04 == 0),
        })
    }
}

/// Why the printer cannot print, in the words staff need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PrinterProblem {
    /// No paper.
    #[error("paper out: load a new roll")]
    PaperOut,
    /// Cover open.
    #[error("cover open: close the printer cover")]
    CoverOpen,
    /// Error state.
    #[error("printer error: open and close the cover, or switch the printer off and on")]
    Error,
    /// Offline for another reason.
    #[error("printer offline: check that it is switched on")]
    Offline,
}

/// A status answer that makes no sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum StatusError {
    /// Fixed bits are wrong: the byte is not a status answer.
    #[error("answer {byte:#04x} to status request {request} is not a status byte")]
    Garbled {
        /// Which `DLE EOT n`.
        request: u8,
        /// The byte received.
        byte: u8,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK_PORT: PortStatus = PortStatus(0x18);

    #[test]
    fn ready_printer_can_print() {
        let s = PrinterStatus::decode(0x12, 0x12, 0x12, OK_PORT).expect("valid");
        assert!(s.can_print());
        assert_eq!(s.problem(), None);
    }

    #[test]
    fn near_end_still_prints_but_says_low() {
        let s = PrinterStatus::decode(0x12, 0x12, 0x1e, OK_PORT).expect("valid");
        assert!(s.can_print());
        assert_eq!(s.paper, PaperLevel::Low);
    }

    #[test]
    fn paper_end_and_cover_open_are_named() {
        let out = PrinterStatus::decode(0x1a, 0x32, 0x7e, PortStatus(0x20)).expect("valid");
        assert_eq!(out.problem(), Some(PrinterProblem::PaperOut));
        let cover = PrinterStatus::decode(0x1a, 0x16, 0x12, PortStatus(0x00)).expect("valid");
        assert_eq!(cover.problem(), Some(PrinterProblem::CoverOpen));
        assert!(!cover.error, "cover open alone is not an error");
    }

    #[test]
    fn a_process_id_byte_is_not_taken_for_status() {
        assert!(PrinterStatus::decode(0x37, 0x12, 0x12, OK_PORT).is_err());
    }
}
