//! The A4 document printer as a device class. Printing filled forms arrives with the forms
//! work; the trait exists now so the health model and the kiosk cover it from the start.

use crate::health::DeviceState;
use thiserror::Error;

/// An A4 printer.
///
/// Implementations must not leave documents behind: the PDF is handed over in memory and any
/// spool copy is deleted once the job has finished or failed.
pub trait DocumentPrinter: Send {
    /// Current state.
    fn state(&mut self) -> Result<DeviceState, DocumentPrintError>;

    /// Prints an A4 PDF and returns once the printer reports it printed, or fails.
    fn print_pdf(&mut self, pdf: &[u8], copies: u8) -> Result<(), DocumentPrintError>;
}

/// A document that did not print.
#[derive(Debug, Error)]
pub enum DocumentPrintError {
    /// The printer cannot print now.
    #[error("document printer not ready: {state:?}")]
    NotReady {
        /// Its state.
        state: DeviceState,
    },
    /// The printer is not configured or not found.
    #[error("no document printer is available: check the terminal configuration and cable")]
    Unavailable,
    /// The job failed at the printer.
    #[error("document job failed")]
    Failed(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// A document printer that keeps jobs in memory, for tests and the demo mode.
#[derive(Debug, Default)]
pub struct SimDocumentPrinter {
    /// State it reports.
    pub state: DeviceState,
    /// Jobs printed so far, as (PDF size in bytes, copies).
    pub jobs: Vec<(usize, u8)>,
}

impl DocumentPrinter for SimDocumentPrinter {
    fn state(&mut self) -> Result<DeviceState, DocumentPrintError> {
        Ok(self.state)
    }

    fn print_pdf(&mut self, pdf: &[u8], copies: u8) -> Result<(), DocumentPrintError> {
        if !self.state.usable() {
            return Err(DocumentPrintError::NotReady { state: self.state });
        }
        self.jobs.push((pdf.len(), copies));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printer_out_of_paper_refuses_the_form() {
        let mut p = SimDocumentPrinter {
            state: DeviceState::PaperOut,
            jobs: vec![],
        };
        assert!(matches!(
            p.print_pdf(b"%PDF-1.7", 1),
            Err(DocumentPrintError::NotReady { .. })
        ));
        p.state = DeviceState::Ready;
        p.print_pdf(b"%PDF-1.7", 2).expect("prints");
        assert_eq!(p.jobs, [(8, 2)]);
    }
}
