//! Keeps a ticket printer connected: opens it, notices when it is unplugged, reconnects when it
//! comes back (on a hotplug wake-up or the next poll) and reports each change with the gap.

use super::driver::{PrintError, Printed, TicketPrinter, Timeouts};
use super::model::{EPSON_TM_T88, PrinterModel, model_for};
use crate::escpos::render::PaperWidth;
use crate::escpos::textraster::TextRasterizer;
use crate::health::{DeviceKind, DeviceState, HealthEvent, HealthTracker};
use crate::sim::{SimPrinter, SimTransport};
use crate::ticket::Ticket;
use crate::usb::real::{PrinterSelector, RusbTransport};
use crate::usb::{TransportError, UsbTransport};
use std::sync::Arc;
use std::time::Instant;

/// Opens a transport to the ticket printer.
pub trait Connector: Send {
    /// The transport it opens.
    type Transport: UsbTransport;
    /// Finds and claims the printer.
    fn connect(&mut self) -> Result<Self::Transport, TransportError>;

    /// The model of the printer behind `transport`.
    fn model(&self, _transport: &Self::Transport) -> &'static PrinterModel {
        &EPSON_TM_T88
    }
}

impl Connector for SimPrinter {
    type Transport = SimTransport;
    fn connect(&mut self) -> Result<SimTransport, TransportError> {
        self.open()
    }
}

/// Connects to a real USB printer.
#[derive(Debug, Clone, Copy)]
pub struct UsbConnector(pub PrinterSelector);

impl Connector for UsbConnector {
    type Transport = RusbTransport;
    fn connect(&mut self) -> Result<RusbTransport, TransportError> {
        RusbTransport::open(self.0)
    }

    fn model(&self, transport: &RusbTransport) -> &'static PrinterModel {
        let (vendor_id, product_id) = transport.usb_ids();
        model_for(vendor_id, product_id)
    }
}

/// A ticket printer that may come and go.
#[derive(Debug)]
pub struct PrinterLink<C: Connector> {
    connector: C,
    paper: PaperWidth,
    timeouts: Timeouts,
    printer: Option<TicketPrinter<C::Transport>>,
    health: HealthTracker,
    pending: Vec<HealthEvent>,
    text_font: Option<Arc<TextRasterizer>>,
}

impl<C: Connector> PrinterLink<C> {
    /// A link, not yet connected; the first [`poll`](Self::poll) connects.
    pub fn new(connector: C, paper: PaperWidth, timeouts: Timeouts) -> Self {
        Self {
            connector,
            paper,
            timeouts,
            printer: None,
            health: HealthTracker::new(),
            pending: Vec::new(),
            text_font: None,
        }
    }

    /// Prints text the printer's code page lacks as raster lines from `font` (shared with
    /// whoever else renders tickets, if passed as an `Arc`).
    pub fn with_text_font(mut self, font: impl Into<Arc<TextRasterizer>>) -> Self {
        self.text_font = Some(font.into());
        self
    }

    /// The last known state.
    pub fn state(&self) -> Option<DeviceState> {
        self.health.state(DeviceKind::TicketPrinter)
    }

    fn observe(&mut self, state: DeviceState) {
        if let Some(e) = self
            .health
            .observe(DeviceKind::TicketPrinter, state, Instant::now())
        {
            self.pending.push(e);
        }
    }

    fn connect_if_needed(&mut self) {
        if self.printer.is_some() {
            return;
        }
        match self.connector.connect() {
            Ok(t) => {
                let model = self.connector.model(&t);
                tracing::info!(device = %t.describe(), model = model.name, "ticket printer connected");
                self.printer = Some(
                    TicketPrinter::new(t, self.paper, self.timeouts)
                        .with_model(model)
                        .with_text_font(self.text_font.clone()),
                );
            }
            Err(e) => {
                let state = self.lost(&e);
                self.observe(state);
            }
        }
    }

    fn lost(&mut self, why: &TransportError) -> DeviceState {
        if self.printer.take().is_some() {
            tracing::warn!(error = %why, "ticket printer lost");
        }
        match why {
            TransportError::NoUsb(_) | TransportError::NoUsbfs { .. } => {
                DeviceState::UsbUnavailable
            }
            TransportError::Permission { .. } | TransportError::Busy { .. } => DeviceState::Error,
            _ => DeviceState::Absent,
        }
    }

    /// Connects if needed and reads the status; returns the state changes since the last call
    /// (including those a print caused). Call it every second or two, and at once when a
    /// hotplug notice arrives.
    pub fn poll(&mut self) -> Vec<HealthEvent> {
        self.connect_if_needed();
        if let Some(printer) = self.printer.as_mut() {
            let state = match printer.status() {
                Ok(s) => DeviceState::from(s),
                Err(super::StatusFailure::Transport(e)) => self.lost(&e),
                Err(_) => DeviceState::Error,
            };
            self.observe(state);
        }
        std::mem::take(&mut self.pending)
    }

    /// State changes recorded since the last call, without asking the printer anything.
    pub fn take_events(&mut self) -> Vec<HealthEvent> {
        std::mem::take(&mut self.pending)
    }

    /// Prints `ticket`, connecting first if needed. A disconnect during the job drops the
    /// connection so the next poll reconnects; the job itself is never re-sent, so a ticket is
    /// never printed twice.
    pub fn print(&mut self, ticket: &Ticket) -> Result<Printed, PrintError> {
        self.connect_if_needed();
        let Some(printer) = self.printer.as_mut() else {
            return Err(PrintError::Status(super::StatusFailure::Transport(
                TransportError::Disconnected,
            )));
        };
        let result = printer.print_ticket(ticket);
        let state = match &result {
            Ok(p) => DeviceState::from(p.status_after),
            Err(e) if e.is_disconnect() => self.lost(&TransportError::Disconnected),
            Err(PrintError::NotReady { status, .. }) => DeviceState::from(*status),
            Err(PrintError::Failed {
                status_after: Some(s),
                ..
            }) => DeviceState::from(*s),
            Err(_) => DeviceState::Error,
        };
        self.observe(state);
        result
    }
}
