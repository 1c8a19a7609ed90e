//! The controller: performs the flow's commands on tokio (back office, printer) on its own
//! thread and hands every result back as a flow event through a sink; passes the code
//! scanner's scans to the flow; watches the required devices; sends the heartbeat; in offline
//! mode issues walk-in numbers and check-in tickets from the reserved block and replays them.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use devices::health::DeviceState;
use devices::scanner::Framing;
use devices::scanner::watch::{ScannerEvent, spawn_scanner};
use tokio::sync::mpsc;

use crate::backend::{BackOffice, ClientError};
use crate::flow::{
    CheckInOutcome, Command, Device, Event, Localized, Origin, PrintFault, ServiceTree, TicketInfo,
    WalkInOutcome,
};
use crate::health::RequiredDevices;
use crate::heartbeat::{self, Observed, OneAtATime};
use crate::offline::Journal;
use crate::printing::{TicketOutput, paper_ticket};
use crate::scanning::{self, ScannerConfig};

/// Where results go: in the app, onto the Slint event loop; in tests, into a channel.
pub type Sink = Arc<dyn Fn(Event) + Send + Sync>;

/// Settings of the controller.
#[derive(Debug, Clone)]
pub struct ControllerConfig {
    /// How often the heartbeat goes out (and the offline journal is replayed).
    pub heartbeat_every: Duration,
    /// Version of the kiosk.
    pub app_version: String,
    /// Version of the running configuration, as the configuration names it.
    pub config_version: String,
    /// The offline journal; `None` disables offline tickets.
    pub journal: Option<PathBuf>,
    /// Offline numbers to reserve at a time.
    pub offline_block: u32,
    /// The code scanner.
    pub scanner: ScannerConfig,
    /// How long after losing the scanner the controller tries to open it again.
    pub scanner_retry: Duration,
    /// Devices without which the terminal goes out of service.
    pub required: Vec<Device>,
    /// How often the required devices are checked.
    pub device_poll: Duration,
    /// How long a required device may be out of order before the terminal goes out of service.
    pub device_grace: Duration,
}

impl Default for ControllerConfig {
    fn default() -> Self {
        Self {
            heartbeat_every: Duration::from_secs(10),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            config_version: "unconfigured".to_owned(),
            journal: None,
            offline_block: 20,
            scanner: ScannerConfig::None,
            scanner_retry: Duration::from_secs(2),
            required: vec![],
            device_poll: Duration::from_secs(2),
            device_grace: Duration::from_secs(10),
        }
    }
}

/// Handle for sending commands; dropping every handle stops the controller.
#[derive(Debug, Clone)]
pub struct Controller {
    tx: mpsc::Sender<Command>,
}

impl Controller {
    /// Queues a command without blocking (the UI thread calls this). A full queue means the
    /// controller is stuck; the command is dropped and logged.
    pub fn send(&self, command: Command) {
        if let Err(e) = self.tx.try_send(command) {
            tracing::error!(error = %e, "controller queue full or closed, command dropped");
        }
    }
}

type Printer = Arc<Mutex<Box<dyn TicketOutput>>>;

/// What the controller's tasks share.
struct Shared {
    backend: Arc<dyn BackOffice>,
    printer: Printer,
    sink: Sink,
    config: ControllerConfig,
    journal: Option<Journal>,
    tree: Mutex<Option<Arc<ServiceTree>>>,
    /// When the visitor asked for help, until the session ends.
    help: Mutex<Option<jiff::Timestamp>>,
    /// One heartbeat at a time.
    beating: Arc<OneAtATime>,
    online: Mutex<Option<bool>>,
    /// The supervisor's lock message as last reported by the back office.
    locked: Mutex<Option<String>>,
    /// The code scanner's state, once its thread has reported.
    scanner: Mutex<Option<DeviceState>>,
}

/// Starts the controller on its own thread with its own tokio runtime.
pub fn spawn(
    backend: Arc<dyn BackOffice>,
    printer: Box<dyn TicketOutput>,
    sink: Sink,
    config: ControllerConfig,
) -> std::io::Result<(Controller, std::thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel(64);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let thread = std::thread::Builder::new()
        .name("kiosk-controller".into())
        .spawn(move || {
            runtime.block_on(async move {
                let journal = match &config.journal {
                    Some(path) => match Journal::open(path).await {
                        Ok(j) => Some(j),
                        Err(e) => {
                            tracing::error!(error = %e, path = %path.display(), "offline mode off");
                            None
                        }
                    },
                    None => None,
                };
                let shared = Arc::new(Shared {
                    backend,
                    printer: Arc::new(Mutex::new(printer)),
                    sink,
                    config,
                    journal,
                    tree: Mutex::new(None),
                    help: Mutex::new(None),
                    beating: Arc::new(OneAtATime::default()),
                    online: Mutex::new(None),
                    locked: Mutex::new(None),
                    scanner: Mutex::new(None),
                });
                start_scanner(&shared);
                tokio::spawn(watch_devices(Arc::clone(&shared)));
                run(rx, shared).await;
            });
        })?;
    Ok((Controller { tx }, thread))
}

/// A ticket issued offline: no live page, no estimate yet.
fn offline_ticket(
    (number, issued_at): (String, jiff::Timestamp),
    origin: Origin,
    tree: Option<&ServiceTree>,
) -> TicketInfo {
    TicketInfo {
        number,
        origin,
        office_name: tree.map(|t| t.office_name.clone()).unwrap_or_default(),
        service_id: String::new(),
        service: Localized::default(),
        waiting_area: Localized::default(),
        people_ahead: 0,
        wait_minutes: (0, 0),
        issued_at,
        appointment_at: None,
        status_url: String::new(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The office-local day, as the back office names it.
fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(crate::format::office_tz())
        .date()
        .to_string()
}

impl Shared {
    /// Tells the flow when the back office comes and goes.
    fn reachable(&self, online: bool) {
        let mut last = lock(&self.online);
        if *last != Some(online) {
            *last = Some(online);
            tracing::info!(online, "back office reachability changed");
            (self.sink)(Event::Connectivity(online));
        }
    }

    fn observe<T>(&self, result: &Result<T, ClientError>) {
        match result {
            Ok(_) => self.reachable(true),
            Err(e) if e.is_offline() => self.reachable(false),
            Err(_) => {}
        }
    }

    /// The ticket printer's state now (waits while it prints).
    async fn printer_state(&self) -> DeviceState {
        let p = Arc::clone(&self.printer);
        tokio::task::spawn_blocking(move || lock(&p).state())
            .await
            .unwrap_or(DeviceState::Error)
    }

    /// Sends the heartbeat unless one is on its way; that one then goes again, so what
    /// changed meanwhile (a help request) is sent right after it.
    async fn beat(&self) {
        let Some(mut running) = self.beating.start() else {
            return;
        };
        loop {
            self.beat_once().await;
            if !running.again() {
                break;
            }
        }
    }

    async fn beat_once(&self) {
        let seen = Observed {
            printer: self.printer_state().await,
            scanner: *lock(&self.scanner),
            help: *lock(&self.help),
        };
        let heartbeat =
            heartbeat::build(&self.config.app_version, &self.config.config_version, &seen);
        let result = self.backend.heartbeat(&heartbeat).await;
        self.observe(&result);
        match result {
            Ok(locked) => {
                // Lock and unlock reach the flow once each, not with every heartbeat.
                let changed = {
                    let mut current = lock(&self.locked);
                    let changed = *current != locked;
                    *current = locked.clone();
                    changed
                };
                if changed {
                    (self.sink)(Event::Locked(locked));
                }
                if let Some(journal) = &self.journal {
                    crate::offline::sync::sync(
                        self.backend.as_ref(),
                        journal,
                        &today(),
                        self.config.offline_block,
                    )
                    .await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "heartbeat not delivered"),
        }
    }

    /// A walk-in number from the reserved block while the back office is unreachable.
    async fn offline_walk_in(&self, service_id: &str) -> Option<TicketInfo> {
        let number = self.offline_number(service_id, None).await?;
        tracing::info!(number = %number.0, service = %service_id, "offline ticket issued");
        let tree = lock(&self.tree).clone();
        let service = tree.as_ref().and_then(|t| t.service(service_id));
        Some(TicketInfo {
            service_id: service_id.to_owned(),
            service: service.map_or_else(|| Localized::same(service_id), |s| s.name.clone()),
            waiting_area: service.map(|s| s.waiting_area.clone()).unwrap_or_default(),
            ..offline_ticket(number, Origin::Offline, tree.as_deref())
        })
    }

    /// An appointment check-in while the back office is unreachable: a number from the
    /// reserved block, journaled with the booking number (never the code) so the back office
    /// links it to the appointment when it is back; the counter confirms the appointment.
    /// Needs the service list seen while online: an unmatched booking is filed under the
    /// office's first service.
    async fn offline_check_in(&self, booking: &str) -> Option<TicketInfo> {
        let tree = lock(&self.tree).clone()?;
        let fallback = tree
            .groups
            .iter()
            .flat_map(|g| &g.services)
            .next()?
            .id
            .clone();
        let number = self.offline_number(&fallback, Some(booking)).await?;
        tracing::info!(number = %number.0, "offline check-in ticket issued");
        Some(offline_ticket(number, Origin::OfflineCheckIn, Some(&tree)))
    }

    /// The next offline number, recorded in the journal before it is shown.
    async fn offline_number(
        &self,
        service_id: &str,
        booking: Option<&str>,
    ) -> Option<(String, jiff::Timestamp)> {
        let journal = self.journal.as_ref()?;
        let now = jiff::Timestamp::now();
        match journal
            .issue(&today(), service_id, &now.to_string(), booking)
            .await
        {
            Ok(number) => number.map(|n| (n, now)),
            Err(e) => {
                tracing::error!(error = %e, "offline ticket not recorded, none issued");
                None
            }
        }
    }

    async fn perform(self: Arc<Self>, command: Command) {
        let backend = Arc::clone(&self.backend);
        match command {
            Command::LoadServices => {
                let r = backend.services().await;
                self.observe(&r);
                if let Ok(tree) = &r {
                    *lock(&self.tree) = Some(Arc::new(tree.clone()));
                }
                (self.sink)(Event::ServicesLoaded(r.map(Arc::new).map_err(|e| {
                    tracing::warn!(error = %e, "services not loaded");
                    e.unreachable()
                })));
            }
            Command::CheckIn { booking, code } => {
                let r = backend.check_in(&booking, &code).await;
                self.observe(&r);
                let event = match r {
                    Ok(outcome) => Ok(outcome),
                    Err(e) if e.is_offline() => match self.offline_check_in(&booking).await {
                        Some(ticket) => Ok(CheckInOutcome::CheckedIn(ticket)),
                        None => Err(e.unreachable()),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "check-in not answered");
                        Err(e.unreachable())
                    }
                };
                (self.sink)(Event::CheckInAnswered(event));
            }
            Command::WalkIn { service_id } => {
                let r = backend.walk_in(&service_id).await;
                self.observe(&r);
                let event = match r {
                    Ok(outcome) => Ok(outcome),
                    Err(e) if e.is_offline() => match self.offline_walk_in(&service_id).await {
                        Some(ticket) => Ok(WalkInOutcome::Issued(ticket)),
                        None => Err(e.unreachable()),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, service = %service_id, "walk-in not answered");
                        Err(e.unreachable())
                    }
                };
                (self.sink)(Event::WalkInAnswered(event));
            }
            Command::Print { ticket, lang } => {
                let paper = paper_ticket(&ticket, lang);
                let printer = Arc::clone(&self.printer);
                let r = tokio::task::spawn_blocking(move || lock(&printer).print(&paper))
                    .await
                    .unwrap_or(Err(PrintFault::Failed));
                (self.sink)(Event::Printed(r));
            }
            Command::RequestHelp => {
                lock(&self.help).get_or_insert_with(jiff::Timestamp::now);
                self.beat().await;
            }
            Command::SessionEnded => {
                let was = lock(&self.help).take();
                if was.is_some() {
                    self.beat().await;
                }
            }
        }
    }
}

/// Starts the scanner's device thread, if the terminal has a scanner, and a task that passes
/// its scans to the flow.
fn start_scanner(shared: &Arc<Shared>) {
    let Some(source) = shared.config.scanner.source() else {
        return;
    };
    match spawn_scanner(source, Framing::default(), shared.config.scanner_retry) {
        Ok((events, _thread)) => {
            tokio::spawn(watch_scanner(events, Arc::clone(shared)));
        }
        Err(e) => tracing::error!(error = %e, "scanner thread not started: scans are ignored"),
    }
}

async fn watch_scanner(mut events: mpsc::UnboundedReceiver<ScannerEvent>, shared: Arc<Shared>) {
    while let Some(event) = events.recv().await {
        match event {
            ScannerEvent::Health(h) => {
                tracing::info!(state = ?heartbeat::condition(h.state), "code scanner state changed");
                *lock(&shared.scanner) = Some(h.state);
            }
            ScannerEvent::Rejected(e) => {
                tracing::info!(reason = %e, "scan rejected by the scanner driver");
                (shared.sink)(Event::ScanRejected(scanning::problem(&e)));
            }
            scan => {
                if let Some(event) = scanning::flow_event(scan) {
                    (shared.sink)(event);
                }
            }
        }
    }
}

/// Checks the required devices every `device_poll` and tells the flow when one goes missing
/// or comes back.
async fn watch_devices(shared: Arc<Shared>) {
    let config = &shared.config;
    if config.required.is_empty() {
        return;
    }
    let mut required = RequiredDevices::new(&config.required, config.device_grace);
    let mut ticker = tokio::time::interval(config.device_poll);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if required.requires(Device::TicketPrinter) {
            let state = shared.printer_state().await;
            required.observe(Device::TicketPrinter, state, std::time::Instant::now());
        }
        if required.requires(Device::CodeScanner) {
            // Until the scanner thread reports, the scanner counts as absent.
            let state = lock(&shared.scanner).unwrap_or(DeviceState::Absent);
            required.observe(Device::CodeScanner, state, std::time::Instant::now());
        }
        for (device, working) in required.changes(std::time::Instant::now()) {
            if working {
                tracing::info!(?device, "required device works again");
            } else {
                tracing::warn!(?device, "required device missing: terminal out of service");
            }
            (shared.sink)(Event::RequiredDevice { device, working });
        }
    }
}

async fn run(mut rx: mpsc::Receiver<Command>, shared: Arc<Shared>) {
    let mut ticker = tokio::time::interval(shared.config.heartbeat_every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            c = rx.recv() => match c {
                Some(command) => {
                    tracing::debug!(command = command.name(), "command from the flow");
                    tokio::spawn(Arc::clone(&shared).perform(command));
                }
                None => break,
            },
            _ = ticker.tick() => {
                let s = Arc::clone(&shared);
                tokio::spawn(async move { s.beat().await });
            }
        }
    }
}
