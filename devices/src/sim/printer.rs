//! The simulated TM-T88-class ticket printer: receives bytes through [`SimTransport`] (the same
//! [`UsbTransport`] trait as the real device), prints them on a [`Paper`] strip, answers status
//! requests with the documented bytes, and produces faults on demand.

use super::font::{DEFAULT_FONT, Glyphs};
use super::paper::{Paper, PrintedTicket};
use super::parser::{Command, parse};
use crate::escpos::render::PaperWidth;
use crate::escpos::{CLEAR_BUFFERS_RESPONSE, DLE, EOT, clear_buffers_request, process_id_response};
use crate::usb::{PortStatus, TransportError, UsbTransport};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Bytes the printer buffers while it cannot print; beyond this, USB writes time out.
pub const RECEIVE_BUFFER: usize = 4096;
/// Roll length left (in dots) below which the near-end sensor trips.
pub const NEAR_END_DOTS: usize = 1500;
/// The bulk OUT endpoint address the simulator reports in stalls.
pub const EP_OUT: u8 = 0x01;

/// A fault to inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The roll runs out after this many more dots of paper.
    PaperOutAfter(usize),
    /// The cover opens after this many more dots of paper.
    CoverOpensAfter(usize),
    /// The cable is pulled after this many more bytes.
    UnplugAfter(usize),
    /// The OUT endpoint stalls after this many more bytes.
    StallAfter(usize),
    /// The printer accepts only this many bytes per second.
    Slow(u32),
}

#[derive(Debug)]
struct State {
    paper: Paper,
    inbox: Vec<u8>,
    outbox: VecDeque<(Instant, u8)>,
    dots_per_sec: Option<f64>,
    busy_until: Instant,
    paper_left: Option<usize>,
    near_end: bool,
    paper_out: bool,
    cover_open: bool,
    cover_after: Option<usize>,
    error: Option<String>,
    plugged: bool,
    generation: u64,
    unplug_after: Option<usize>,
    stall_after: Option<usize>,
    stalled: bool,
    bytes_per_sec: Option<u32>,
    basic: bool,
}

impl State {
    fn stopped(&self) -> bool {
        self.paper_out || self.cover_open || self.error.is_some()
    }

    /// A clear-buffers request acts on receipt, wherever it lands (even inside the data of an
    /// unfinished command): everything received before it is dropped.
    fn serve_clear_request(&mut self) {
        if self.basic {
            return;
        }
        let clear = clear_buffers_request();
        if let Some(i) = self.inbox.windows(clear.len()).rposition(|w| w == clear) {
            self.inbox.drain(..i + clear.len());
            self.paper.clear_line();
            self.send_now(&CLEAR_BUFFERS_RESPONSE);
        }
    }

    /// Status requests are served the moment they arrive, even while printing is stopped.
    fn serve_realtime_while_stopped(&mut self) {
        let mut i = 0;
        while i + 2 < self.inbox.len() {
            if self.inbox[i] == DLE
                && self.inbox[i + 1] == EOT
                && (1..=4).contains(&self.inbox[i + 2])
            {
                let n = self.inbox[i + 2];
                self.inbox.drain(i..i + 3);
                let b = self.status_byte(n);
                self.send_now(&[b]);
            } else {
                i += 1;
            }
        }
    }

    fn run(&mut self) {
        self.serve_clear_request();
        loop {
            if self.stopped() {
                self.serve_realtime_while_stopped();
                return;
            }
            match parse(&self.inbox) {
                Ok(None) => return,
                Ok(Some((cmd, used))) => {
                    self.inbox.drain(..used);
                    self.execute(cmd);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "simulated printer rejected the byte stream");
                    self.error = Some(e.to_string());
                    self.inbox.clear();
                }
            }
        }
    }

    fn execute(&mut self, cmd: Command) {
        if self.basic && matches!(cmd, Command::ProcessId(_) | Command::ClearBuffers) {
            tracing::warn!(?cmd, "basic simulated printer does not know this command");
            self.error = Some(format!(
                "unknown command {cmd:?} (printer without GS ( H and DLE DC4)"
            ));
            self.inbox.clear();
            return;
        }
        match cmd {
            Command::StatusRequest(n) => {
                let b = self.status_byte(n);
                self.send_now(&[b]);
            }
            Command::ProcessId(id) => {
                // Sent once everything before it has come out of the printer.
                let at = self.busy_until.max(Instant::now());
                self.send_at(at, &process_id_response(id));
            }
            Command::ClearBuffers => {
                self.inbox.clear();
                self.paper.clear_line();
                self.send_now(&CLEAR_BUFFERS_RESPONSE);
            }
            cmd => match self.paper.execute(&cmd) {
                Ok(fed) => self.consume(fed),
                Err(e) => {
                    tracing::warn!(error = %e, "simulated printer could not execute a command");
                    self.error = Some(e.to_string());
                    self.inbox.clear();
                }
            },
        }
    }

    /// Queues an answer on the IN endpoint, available from `at`, in time order.
    fn send_at(&mut self, at: Instant, bytes: &[u8]) {
        let pos = self
            .outbox
            .iter()
            .rposition(|(t, _)| *t <= at)
            .map_or(0, |i| i + 1);
        for (i, b) in bytes.iter().enumerate() {
            self.outbox.insert(pos + i, (at, *b));
        }
    }

    /// Queues a real-time answer, available at once.
    fn send_now(&mut self, bytes: &[u8]) {
        self.send_at(Instant::now(), bytes);
    }

    fn consume(&mut self, fed: usize) {
        if let Some(rate) = self.dots_per_sec {
            let start = self.busy_until.max(Instant::now());
            self.busy_until = start + Duration::from_secs_f64(fed as f64 / rate);
        }
        if let Some(left) = self.paper_left.as_mut() {
            *left = left.saturating_sub(fed);
            self.near_end |= *left < NEAR_END_DOTS;
            if *left == 0 {
                self.paper_out = true;
            }
        }
        if let Some(left) = self.cover_after.as_mut() {
            *left = left.saturating_sub(fed);
            if *left == 0 {
                self.cover_open = true;
                self.cover_after = None;
            }
        }
    }

    /// The byte a TM-T88 sends for `DLE EOT n` (bits 1 and 4 are always set).
    fn status_byte(&self, n: u8) -> u8 {
        let mut b = 0x12;
        match n {
            1 if self.stopped() => b |= 0x08,
            2 => {
                if self.cover_open {
                    b |= 0x04;
                }
                if self.paper_out {
                    b |= 0x20;
                }
                if self.error.is_some() {
                    b |= 0x40;
                }
            }
            3 if self.error.is_some() => b |= 0x20,
            4 => {
                if self.near_end || self.paper_out {
                    b |= 0x0c;
                }
                if self.paper_out {
                    b |= 0x60;
                }
            }
            _ => {}
        }
        b
    }
}

/// Handle on a simulated printer: tests and the demo mode use it to inject faults, change
/// paper and read what was printed. Clones share the printer.
#[derive(Debug, Clone)]
pub struct SimPrinter {
    state: Arc<Mutex<State>>,
    width: PaperWidth,
}

impl SimPrinter {
    /// A printer with an endless roll of `width` paper, plugged in and ready.
    pub fn new(width: PaperWidth) -> Self {
        Self::with_font(width, Path::new(DEFAULT_FONT))
    }

    /// Same, with the glyphs from another font file.
    pub fn with_font(width: PaperWidth, font: &Path) -> Self {
        let state = State {
            paper: Paper::new(usize::from(width.dots()), Glyphs::load(font)),
            inbox: Vec::new(),
            outbox: VecDeque::new(),
            dots_per_sec: None,
            busy_until: Instant::now(),
            paper_left: None,
            near_end: false,
            paper_out: false,
            cover_open: false,
            cover_after: None,
            error: None,
            plugged: true,
            generation: 0,
            unplug_after: None,
            stall_after: None,
            stalled: false,
            bytes_per_sec: None,
            basic: false,
        };
        Self {
            state: Arc::new(Mutex::new(state)),
            width,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The paper width loaded.
    pub fn width(&self) -> PaperWidth {
        self.width
    }

    /// Opens a transport to the printer, as claiming the USB interface would.
    pub fn open(&self) -> Result<SimTransport, TransportError> {
        let s = self.lock();
        if !s.plugged {
            return Err(TransportError::NotFound {
                what: "simulated ticket printer".into(),
            });
        }
        Ok(SimTransport {
            state: Arc::clone(&self.state),
            generation: s.generation,
        })
    }

    /// Makes this a basic ESC/POS printer, as many cheaper models are: it knows neither the
    /// process-ID response (`GS ( H`) nor buffer clearing (`DLE DC4 8`) and stops on them.
    pub fn basic(self) -> Self {
        self.lock().basic = true;
        self
    }

    /// Injects a fault.
    pub fn inject(&self, fault: Fault) {
        let mut s = self.lock();
        match fault {
            Fault::PaperOutAfter(dots) => s.paper_left = Some(dots),
            Fault::CoverOpensAfter(dots) => s.cover_after = Some(dots),
            Fault::UnplugAfter(bytes) => s.unplug_after = Some(bytes),
            Fault::StallAfter(bytes) => s.stall_after = Some(bytes),
            Fault::Slow(rate) => s.bytes_per_sec = Some(rate.max(1)),
        }
    }

    /// Makes printing take time, as on the real printer (a TM-T88VI feeds about 350 mm/s at 8
    /// dots/mm): the process-ID response then comes when the paper has been fed. `None` prints
    /// instantly (the default, for fast tests).
    pub fn set_print_speed(&self, mm_per_sec: Option<u32>) {
        self.lock().dots_per_sec = mm_per_sec.map(|v| f64::from(v) * 8.0);
    }

    /// Sets the near-end sensor as if the roll were nearly used up.
    pub fn set_paper_near_end(&self, near: bool) {
        self.lock().near_end = near;
    }

    /// Loads a fresh endless roll; printing resumes with whatever the printer still holds.
    pub fn load_paper(&self) {
        let mut s = self.lock();
        s.paper_left = None;
        s.paper_out = false;
        s.near_end = false;
        s.run();
    }

    /// Opens the cover: printing stops.
    pub fn open_cover(&self) {
        self.lock().cover_open = true;
    }

    /// Closes the cover: printing resumes.
    pub fn close_cover(&self) {
        let mut s = self.lock();
        s.cover_open = false;
        s.run();
    }

    /// Pulls the cable: every open transport fails from now on.
    pub fn unplug(&self) {
        let mut s = self.lock();
        s.plugged = false;
        s.generation += 1;
    }

    /// Plugs the cable back in: the printer powers up afresh (buffers and errors cleared, the
    /// paper strip kept) and can be opened again.
    pub fn plug_in(&self) {
        let mut s = self.lock();
        s.plugged = true;
        s.inbox.clear();
        s.outbox.clear();
        s.error = None;
        s.stalled = false;
        s.unplug_after = None;
        s.paper.reset_modes();
    }

    /// The protocol error that stopped the printer, if any.
    pub fn error(&self) -> Option<String> {
        self.lock().error.clone()
    }

    /// What has been printed, ticket by ticket.
    pub fn printed(&self) -> Vec<PrintedTicket> {
        self.lock().paper.tickets()
    }

    /// The whole paper strip as a PNG.
    pub fn png(&self) -> Result<Vec<u8>, png::EncodingError> {
        self.lock().paper.to_png()
    }
}

/// An open connection to a [`SimPrinter`].
#[derive(Debug)]
pub struct SimTransport {
    state: Arc<Mutex<State>>,
    generation: u64,
}

impl SimTransport {
    fn lock(&self) -> Result<MutexGuard<'_, State>, TransportError> {
        let s = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !s.plugged || s.generation != self.generation {
            return Err(TransportError::Disconnected);
        }
        Ok(s)
    }
}

impl UsbTransport for SimTransport {
    fn write_bulk(&mut self, data: &[u8], timeout: Duration) -> Result<usize, TransportError> {
        let mut s = self.lock()?;
        if s.stalled {
            return Err(TransportError::Stall { endpoint: EP_OUT });
        }
        let mut accept = data.len();
        let mut fault = None;
        if let Some(n) = s.unplug_after.filter(|&n| n < accept) {
            accept = n;
            fault = Some(TransportError::Disconnected);
        }
        if let Some(n) = s.stall_after.filter(|&n| n < accept) {
            accept = n;
            fault = Some(TransportError::Stall { endpoint: EP_OUT });
        }
        if let Some(rate) = s.bytes_per_sec {
            let needed = Duration::from_secs_f64(accept as f64 / f64::from(rate));
            if needed > timeout {
                accept = (timeout.as_secs_f64() * f64::from(rate)) as usize;
                fault = Some(TransportError::Timeout {
                    transferred: Some(accept),
                });
            }
            std::thread::sleep(needed.min(timeout));
        }
        s.inbox.extend_from_slice(&data[..accept]);
        s.run();
        if s.stopped() && s.inbox.len() > RECEIVE_BUFFER {
            let excess = s.inbox.len() - RECEIVE_BUFFER;
            s.inbox.truncate(RECEIVE_BUFFER);
            accept -= excess;
            fault = Some(TransportError::Timeout {
                transferred: Some(accept),
            });
        }
        s.unplug_after = s.unplug_after.map(|n| n.saturating_sub(accept));
        s.stall_after = s.stall_after.map(|n| n.saturating_sub(accept));
        match fault {
            None => Ok(accept),
            Some(TransportError::Disconnected) => {
                s.plugged = false;
                s.generation += 1;
                Err(TransportError::Disconnected)
            }
            Some(e @ TransportError::Stall { .. }) => {
                s.stalled = true;
                s.stall_after = None;
                Err(e)
            }
            Some(e) => Err(e),
        }
    }

    fn read_bulk(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        let mut s = self.lock()?;
        let now = Instant::now();
        let ready = s.outbox.iter().take_while(|(t, _)| *t <= now).count();
        if ready == 0 {
            let next = s
                .outbox
                .front()
                .map(|(t, _)| t.saturating_duration_since(now));
            drop(s);
            // Nothing to send yet: a real device NAKs until the timeout.
            let nap = next
                .unwrap_or(Duration::from_millis(5))
                .min(timeout)
                .min(Duration::from_millis(5));
            std::thread::sleep(nap.max(Duration::from_micros(100)));
            return Err(TransportError::Timeout {
                transferred: Some(0),
            });
        }
        let n = buf.len().min(ready);
        for (slot, (_, b)) in buf.iter_mut().zip(s.outbox.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }

    fn port_status(&mut self, _timeout: Duration) -> Result<PortStatus, TransportError> {
        let s = self.lock()?;
        let mut b = 0;
        if !s.stopped() {
            b |= PortStatus::SELECT;
        }
        if s.error.is_none() && !s.paper_out && !s.cover_open {
            b |= PortStatus::NOT_ERROR;
        }
        if s.paper_out {
            b |= PortStatus::PAPER_EMPTY;
        }
        Ok(PortStatus(b))
    }

    fn clear_halt(&mut self) -> Result<(), TransportError> {
        self.lock()?.stalled = false;
        Ok(())
    }

    fn describe(&self) -> String {
        "simulated TM-T88 ticket printer".into()
    }
}
