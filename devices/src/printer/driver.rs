//! The ticket printer driver: checks status before every job, sends the job in one piece with a
//! process-ID request at its end, and reports the ticket printed only when the printer confirms
//! it has printed everything — otherwise failed, with the reason and how much was sent.

use super::model::{Confirmation, EPSON_TM_T88, PrinterModel};
use super::status::{PrinterProblem, PrinterStatus, StatusError};
use crate::escpos::render::{PaperWidth, RenderError, render_ticket_full};
use crate::escpos::textraster::TextRasterizer;
use crate::escpos::{Job, clear_buffers_request, process_id_request, status_request};
use crate::ticket::Ticket;
use crate::usb::{TransportError, UsbTransport};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Timeouts of the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For the bulk write of one job.
    pub transfer: Duration,
    /// For each status request and its answer.
    pub status: Duration,
    /// From the end of the transfer until the printer confirms the job printed.
    pub completion: Duration,
    /// How often the status is checked while waiting for the confirmation.
    pub poll: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            transfer: Duration::from_secs(5),
            status: Duration::from_millis(500),
            completion: Duration::from_secs(10),
            poll: Duration::from_millis(250),
        }
    }
}

/// Why a job failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FailReason {
    /// The printer reported a problem while printing.
    #[error("{0}")]
    Printer(PrinterProblem),
    /// The device went away.
    #[error("printer unplugged during the job: check the USB cable")]
    Unplugged,
    /// The endpoint stalled.
    #[error("printer refused the data (endpoint stall)")]
    Stalled,
    /// The printer did not take the data in time.
    #[error("printer did not accept the ticket in time")]
    TransferTimeout,
    /// Everything was sent but the printer never confirmed printing it.
    #[error("printer did not confirm the ticket")]
    NotConfirmed,
}

/// The status could not be read.
#[derive(Debug, Error)]
pub enum StatusFailure {
    /// The transfer failed.
    #[error("status request failed")]
    Transport(#[from] TransportError),
    /// The answer was not a status byte.
    #[error("status answer unreadable")]
    Garbled(#[from] StatusError),
}

/// A ticket that did not print, or may have printed only in part.
#[derive(Debug, Error)]
pub enum PrintError {
    /// The ticket could not be turned into printer commands.
    #[error("ticket cannot be rendered")]
    Render(#[from] RenderError),
    /// The status before the job could not be read; nothing was sent.
    #[error("cannot read the printer status, nothing was sent")]
    Status(#[source] StatusFailure),
    /// The printer was not ready; nothing was sent.
    #[error("printer not ready, nothing was sent: {problem}")]
    NotReady {
        /// The status read.
        status: PrinterStatus,
        /// The problem.
        problem: PrinterProblem,
    },
    /// The job was (at least partly) sent but not confirmed printed.
    #[error("ticket not printed: {reason} ({} of {total} bytes reached the printer)", sent.map_or("an unknown number".to_string(), |n| n.to_string()))]
    Failed {
        /// Why.
        reason: FailReason,
        /// Bytes the printer accepted, when known.
        sent: Option<usize>,
        /// Bytes in the job.
        total: usize,
        /// Status read after the failure, when it could be read.
        status_after: Option<PrinterStatus>,
        /// The transport error behind it, if any.
        #[source]
        source: Option<TransportError>,
    },
}

impl PrintError {
    /// Whether some of the ticket may be on paper (so staff should tear off a stub).
    pub fn maybe_partly_printed(&self) -> bool {
        matches!(self, Self::Failed { sent, .. } if *sent != Some(0))
    }

    /// Whether the printer is gone and must be reconnected.
    pub fn is_disconnect(&self) -> bool {
        matches!(
            self,
            Self::Failed {
                reason: FailReason::Unplugged,
                ..
            } | Self::Status(StatusFailure::Transport(TransportError::Disconnected))
        )
    }
}

/// A ticket the printer confirmed printed and cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// Status after the job (paper may now be low).
    pub status_after: PrinterStatus,
    /// Characters printed as `?` because the code page lacks them.
    pub replaced: usize,
    /// From the start of the transfer to the confirmation.
    pub elapsed: Duration,
}

/// One answer on the IN endpoint.
enum Answer {
    Status(u8),
    ProcessId,
    Cleared,
}

/// An ESC/POS ticket printer on a transport.
#[derive(Debug)]
pub struct TicketPrinter<T> {
    transport: T,
    paper: PaperWidth,
    timeouts: Timeouts,
    next_id: u16,
    inbuf: Vec<u8>,
    confirmed: Vec<[u8; 4]>,
    model: &'static PrinterModel,
    text_font: Option<Arc<TextRasterizer>>,
}

impl<T: UsbTransport> TicketPrinter<T> {
    /// A driver for the printer behind `transport`, loaded with `paper`, assumed to be an
    /// [`EPSON_TM_T88`]-class printer until [`with_model`](Self::with_model) says otherwise.
    pub fn new(transport: T, paper: PaperWidth, timeouts: Timeouts) -> Self {
        Self {
            transport,
            paper,
            timeouts,
            model: &EPSON_TM_T88,
            text_font: None,
            next_id: 0,
            inbuf: Vec::new(),
            confirmed: Vec::new(),
        }
    }

    /// Sets the printer model.
    pub fn with_model(mut self, model: &'static PrinterModel) -> Self {
        self.model = model;
        self
    }

    /// Prints text the code page lacks as raster lines from this font (instead of `?`).
    pub fn with_text_font(mut self, font: Option<Arc<TextRasterizer>>) -> Self {
        self.text_font = font;
        self
    }

    /// The printer model assumed.
    pub fn model(&self) -> &'static PrinterModel {
        self.model
    }

    /// The transport, e.g. for its description.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Next byte from the IN endpoint, waiting until `deadline`.
    fn next_byte(&mut self, deadline: Instant) -> Result<u8, TransportError> {
        while self.inbuf.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(TransportError::Timeout {
                    transferred: Some(0),
                });
            }
            let mut buf = [0u8; 64];
            match self.transport.read_bulk(&mut buf, left) {
                Ok(n) => self.inbuf.extend_from_slice(&buf[..n]),
                Err(TransportError::Timeout { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.inbuf.remove(0))
    }

    /// Next answer from the printer: a status byte, or a process-ID response (which starts
    /// with 0x37, never a status byte), recorded in `confirmed`.
    fn next_answer(&mut self, deadline: Instant) -> Result<Answer, TransportError> {
        let b = self.next_byte(deadline)?;
        if b != 0x37 {
            return Ok(Answer::Status(b));
        }
        match self.next_byte(deadline)? {
            0x25 => {
                self.next_byte(deadline)?;
                return Ok(Answer::Cleared);
            }
            0x22 => {}
            other => {
                tracing::warn!(byte = other, "unknown response header from printer");
                return Ok(Answer::ProcessId);
            }
        }
        let mut r = [0u8; 5];
        for slot in &mut r {
            *slot = self.next_byte(deadline)?;
        }
        if r[4] == 0 {
            self.confirmed.push([r[0], r[1], r[2], r[3]]);
        } else {
            tracing::warn!(bytes = ?r, "malformed process-ID response from printer");
        }
        Ok(Answer::ProcessId)
    }

    /// Makes the printer drop whatever is left of a failed job, so it cannot print later.
    fn clear_buffers(&mut self) {
        if let Err(e) = self
            .transport
            .write_bulk(&clear_buffers_request(), self.timeouts.status)
        {
            tracing::warn!(error = %e, "could not clear the printer's buffers");
            return;
        }
        let deadline = Instant::now() + self.timeouts.status;
        loop {
            match self.next_answer(deadline) {
                Ok(Answer::Cleared) => return,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "printer did not confirm clearing its buffers");
                    return;
                }
            }
        }
    }

    /// Next status byte, recording process-ID responses met on the way.
    fn next_status_byte(&mut self, deadline: Instant) -> Result<u8, TransportError> {
        loop {
            if let Answer::Status(b) = self.next_answer(deadline)? {
                return Ok(b);
            }
        }
    }

    /// Drops answers left over from an earlier, failed exchange.
    fn drain(&mut self) {
        self.inbuf.clear();
        self.confirmed.clear();
        let mut buf = [0u8; 64];
        while let Ok(n) = self.transport.read_bulk(&mut buf, Duration::from_millis(2)) {
            if n == 0 {
                break;
            }
        }
    }

    /// Reads the printer's status: `DLE EOT` 1, 2 and 4, and the port status.
    pub fn status(&mut self) -> Result<PrinterStatus, StatusFailure> {
        let mut answers = [0u8; 3];
        for (slot, n) in answers.iter_mut().zip([1, 2, 4]) {
            self.transport
                .write_bulk(&status_request(n), self.timeouts.status)?;
            *slot = self.next_status_byte(Instant::now() + self.timeouts.status)?;
        }
        let port = self.transport.port_status(self.timeouts.status)?;
        Ok(PrinterStatus::decode(
            answers[0], answers[1], answers[2], port,
        )?)
    }

    /// Renders and prints `ticket`.
    pub fn print_ticket(&mut self, ticket: &Ticket) -> Result<Printed, PrintError> {
        let job = render_ticket_full(
            ticket,
            self.paper,
            self.model.pc858_table,
            self.text_font.as_deref(),
        )?;
        self.print_job(&job)
    }

    /// Prints one job and waits until the printer confirms it.
    #[tracing::instrument(skip_all, fields(device = %self.transport.describe(), bytes = job.bytes.len()))]
    pub fn print_job(&mut self, job: &Job) -> Result<Printed, PrintError> {
        self.drain();
        let before = self.status().map_err(PrintError::Status)?;
        if let Some(problem) = before.problem() {
            tracing::warn!(%problem, "printer not ready, job not sent");
            return Err(PrintError::NotReady {
                status: before,
                problem,
            });
        }
        if !job.replaced.is_empty() {
            tracing::warn!(
                count = job.replaced.len(),
                "characters outside the printer code page print as ?"
            );
        }
        self.next_id = (self.next_id + 1) % 10_000;
        let id: [u8; 4] = format!("{:04}", self.next_id)
            .as_bytes()
            .try_into()
            .unwrap_or(*b"0000");
        let by_id = self.model.confirmation == Confirmation::ProcessId;
        let mut bytes = job.bytes.clone();
        if by_id {
            bytes.extend_from_slice(&process_id_request(id));
        }
        let total = bytes.len();
        let start = Instant::now();

        let sent = match self.transport.write_bulk(&bytes, self.timeouts.transfer) {
            Ok(n) if n == total => n,
            Ok(n) => return Err(self.failed(FailReason::TransferTimeout, Some(n), total, None)),
            Err(e) => {
                let (reason, sent) = match &e {
                    TransportError::Disconnected => (FailReason::Unplugged, None),
                    TransportError::Stall { .. } => {
                        if let Err(clear) = self.transport.clear_halt() {
                            tracing::warn!(error = %clear, "could not clear the stall");
                        }
                        (FailReason::Stalled, None)
                    }
                    TransportError::Timeout { transferred } => {
                        (FailReason::TransferTimeout, *transferred)
                    }
                    _ => (FailReason::TransferTimeout, None),
                };
                return Err(self.failed(reason, sent, total, Some(e)));
            }
        };

        let deadline = match self.model.confirmation {
            Confirmation::ProcessId => start + self.timeouts.completion,
            Confirmation::StatusAfter(settle) => Instant::now() + settle,
        };
        loop {
            if by_id && self.confirmed.contains(&id) {
                break;
            }
            let slice = (Instant::now() + self.timeouts.poll).min(deadline);
            match self.next_answer(slice) {
                Ok(_) => {}
                Err(TransportError::Timeout { .. }) => {
                    if by_id && self.confirmed.contains(&id) {
                        break;
                    }
                    if Instant::now() >= deadline {
                        if !by_id {
                            break;
                        }
                        return Err(self.failed(FailReason::NotConfirmed, Some(sent), total, None));
                    }
                    // Still printing, or stopped? Ask.
                    match self.status() {
                        Ok(s) if s.problem().is_some() => {
                            let reason =
                                FailReason::Printer(s.problem().unwrap_or(PrinterProblem::Offline));
                            return Err(self.failed(reason, Some(sent), total, None));
                        }
                        Ok(_) => {}
                        Err(StatusFailure::Transport(e)) if e.is_disconnect() => {
                            return Err(self.failed(
                                FailReason::Unplugged,
                                Some(sent),
                                total,
                                Some(e),
                            ));
                        }
                        Err(e) => tracing::warn!(error = %e, "status unreadable while waiting"),
                    }
                }
                Err(e) => {
                    let reason = if e.is_disconnect() {
                        FailReason::Unplugged
                    } else {
                        FailReason::NotConfirmed
                    };
                    return Err(self.failed(reason, Some(sent), total, Some(e)));
                }
            }
        }
        let elapsed = start.elapsed();
        let status_after = self.status().map_err(PrintError::Status)?;
        if let (false, Some(problem)) = (by_id, status_after.problem()) {
            // Without a process-ID response a stopped printer is the only sign of trouble.
            return Err(self.failed(FailReason::Printer(problem), Some(sent), total, None));
        }
        tracing::info!(job = %String::from_utf8_lossy(&id), ?elapsed, paper = ?status_after.paper, "ticket printed");
        Ok(Printed {
            status_after,
            replaced: job.replaced.len(),
            elapsed,
        })
    }

    /// Builds the failure, reading the status afterwards where the printer is still there.
    fn failed(
        &mut self,
        reason: FailReason,
        sent: Option<usize>,
        total: usize,
        source: Option<TransportError>,
    ) -> PrintError {
        let gone = reason == FailReason::Unplugged;
        // Clear first: an unfinished command left by a cut-off transfer would otherwise take
        // the status request for its data.
        if !gone && self.model.clear_buffers {
            self.clear_buffers();
        }
        let status_after = if gone { None } else { self.status().ok() };
        // A stopped printer explains a timeout better than the timeout does.
        let reason = match (reason, status_after.and_then(|s| s.problem())) {
            (FailReason::TransferTimeout | FailReason::NotConfirmed, Some(p)) => {
                FailReason::Printer(p)
            }
            (r, _) => r,
        };
        tracing::warn!(%reason, ?sent, total, "ticket not printed");
        PrintError::Failed {
            reason,
            sent,
            total,
            status_after,
            source,
        }
    }
}
