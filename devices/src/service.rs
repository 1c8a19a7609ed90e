//! The device thread: it owns the ticket printer link, polls its health, and prints on request.
//! The kiosk holds a [`DeviceHandle`] whose calls never block (a full queue is refused at once),
//! awaits results on a oneshot channel, and reads health changes from an event channel.

use crate::health::HealthEvent;
use crate::printer::{Connector, PrintError, Printed, PrinterLink};
use crate::ticket::Ticket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;
use thiserror::Error;
use tokio::sync::{mpsc, oneshot};

/// What the kiosk can ask of the device thread.
#[derive(Debug)]
pub enum Request {
    /// Print a ticket and report the outcome.
    PrintTicket {
        /// The ticket.
        ticket: Box<Ticket>,
        /// Where the outcome goes.
        reply: oneshot::Sender<Result<Printed, PrintError>>,
    },
    /// A USB device came or went: check the printer now instead of at the next poll.
    Rescan,
}

/// A request that was not accepted.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ServiceError {
    /// A ticket is being printed; this one was not queued (so it can never print twice).
    #[error("the printer is busy with another ticket")]
    Busy,
    /// The device thread has ended.
    #[error("the device thread has stopped")]
    Stopped,
}

/// The kiosk's handle on the device thread; clone it freely. Dropping every handle stops the
/// thread.
#[derive(Debug, Clone)]
pub struct DeviceHandle {
    tx: SyncSender<Request>,
    printing: Arc<AtomicBool>,
}

impl DeviceHandle {
    /// Asks for `ticket` to be printed; await the receiver for the outcome.
    pub fn print_ticket(
        &self,
        ticket: Ticket,
    ) -> Result<oneshot::Receiver<Result<Printed, PrintError>>, ServiceError> {
        // One ticket at a time: set until the device thread has answered.
        if self.printing.swap(true, Ordering::AcqRel) {
            return Err(ServiceError::Busy);
        }
        let (reply, rx) = oneshot::channel();
        match self.tx.try_send(Request::PrintTicket {
            ticket: Box::new(ticket),
            reply,
        }) {
            Ok(()) => Ok(rx),
            Err(e) => {
                self.printing.store(false, Ordering::Release);
                Err(match e {
                    TrySendError::Full(_) => ServiceError::Busy,
                    TrySendError::Disconnected(_) => ServiceError::Stopped,
                })
            }
        }
    }
}

/// The running device thread.
#[derive(Debug)]
pub struct DeviceService {
    /// The thread; it ends when every [`DeviceHandle`] is dropped.
    pub thread: JoinHandle<()>,
    /// Health changes, in order.
    pub events: mpsc::UnboundedReceiver<HealthEvent>,
    /// The handle to give to the kiosk.
    pub handle: DeviceHandle,
}

fn run<C: Connector>(
    mut link: PrinterLink<C>,
    rx: Receiver<Request>,
    printing: Arc<AtomicBool>,
    events: mpsc::UnboundedSender<HealthEvent>,
    poll_every: Duration,
) {
    loop {
        let news = match rx.recv_timeout(poll_every) {
            Ok(Request::PrintTicket { ticket, reply }) => {
                let outcome = link.print(&ticket);
                printing.store(false, Ordering::Release);
                if reply.send(outcome).is_err() {
                    tracing::warn!("print outcome had no one waiting for it");
                }
                link.take_events()
            }
            Ok(Request::Rescan) | Err(RecvTimeoutError::Timeout) => link.poll(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        for e in news {
            if events.send(e).is_err() {
                return;
            }
        }
    }
}

impl DeviceHandle {
    /// Asks the device thread to check the printer now (after a USB hotplug notice). Dropped
    /// silently when the thread is busy: it polls anyway.
    pub fn rescan(&self) {
        let _ = self.tx.try_send(Request::Rescan);
    }
}

/// Forwards USB hotplug notices to the device thread, where libusb offers them; without
/// hotplug (or usbfs) the periodic poll alone notices replugging. The thread ends at the first
/// notice after the device thread has stopped.
pub fn forward_hotplug(handle: DeviceHandle) -> Option<JoinHandle<()>> {
    let watcher = match crate::usb::hotplug::HotplugWatcher::start() {
        Ok(Some(w)) => w,
        Ok(None) => return None,
        Err(e) => {
            tracing::info!(error = %e, "no USB hotplug notices; polling only");
            return None;
        }
    };
    std::thread::Builder::new()
        .name("usb-hotplug-forward".into())
        .spawn(move || {
            loop {
                if watcher.next(Duration::from_secs(1)).is_some()
                    && let Err(TrySendError::Disconnected(_)) = handle.tx.try_send(Request::Rescan)
                {
                    return;
                }
            }
        })
        .ok()
}

impl DeviceService {
    /// Starts the device thread over `link`, polling health every `poll_every`.
    pub fn spawn<C: Connector + 'static>(
        link: PrinterLink<C>,
        poll_every: Duration,
    ) -> std::io::Result<Self> {
        // Room for the one ticket allowed in flight plus a few rescans.
        let (tx, rx) = sync_channel(4);
        let (events_tx, events) = mpsc::unbounded_channel();
        let printing = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&printing);
        let thread = std::thread::Builder::new()
            .name("devices".into())
            .spawn(move || run(link, rx, flag, events_tx, poll_every))?;
        Ok(Self {
            thread,
            events,
            handle: DeviceHandle { tx, printing },
        })
    }
}
