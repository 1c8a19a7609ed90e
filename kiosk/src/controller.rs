//! The controller: performs the flow's commands on tokio (back office, printer) on its own
//! thread and hands every result back as a flow event through a sink; sends the heartbeat.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use devices::health::DeviceState;
use tokio::sync::mpsc;

use crate::backend::{BackOffice, DeviceReport, Heartbeat};
use crate::flow::{Command, Event, PrintFault};
use crate::printing::{TicketOutput, paper_ticket};

/// Where results go: in the app, onto the Slint event loop; in tests, into a channel.
pub type Sink = Arc<dyn Fn(Event) + Send + Sync>;

/// Settings of the controller.
#[derive(Debug, Clone)]
pub struct ControllerConfig {
    /// How often the heartbeat goes out.
    pub heartbeat_every: Duration,
    /// Version of the kiosk.
    pub app_version: String,
    /// Version of the running configuration.
    pub config_version: String,
}

impl Default for ControllerConfig {
    fn default() -> Self {
        Self {
            heartbeat_every: Duration::from_secs(10),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            config_version: "demo".to_owned(),
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
            runtime.block_on(run(
                rx,
                backend,
                Arc::new(Mutex::new(printer)),
                sink,
                config,
            ))
        })?;
    Ok((Controller { tx }, thread))
}

fn device_state(state: DeviceState) -> &'static str {
    match state {
        DeviceState::Ready => "ok",
        DeviceState::PaperLow => "paper_low",
        DeviceState::PaperOut => "paper_out",
        DeviceState::CoverOpen => "cover_open",
        DeviceState::Error => "error",
        DeviceState::Offline => "offline",
        DeviceState::Absent => "absent",
        DeviceState::UsbUnavailable => "usb_unavailable",
    }
}

async fn beat(
    backend: &Arc<dyn BackOffice>,
    printer: &Printer,
    help: bool,
    config: &ControllerConfig,
) {
    let p = Arc::clone(printer);
    let state =
        tokio::task::spawn_blocking(move || p.lock().unwrap_or_else(|e| e.into_inner()).state())
            .await
            .unwrap_or(DeviceState::Error);
    let mut devices = vec![DeviceReport {
        device: "ticket_printer".into(),
        state: device_state(state).into(),
        detail: state.hint().map(str::to_owned),
    }];
    if help {
        devices.push(DeviceReport {
            device: "help".into(),
            state: "requested".into(),
            detail: Some("visitor at the terminal asks for help".into()),
        });
    }
    let heartbeat = Heartbeat {
        app_version: config.app_version.clone(),
        config_version: config.config_version.clone(),
        devices,
    };
    if let Err(e) = backend.heartbeat(&heartbeat).await {
        tracing::warn!(error = %e, "heartbeat not delivered");
    }
}

async fn run(
    mut rx: mpsc::Receiver<Command>,
    backend: Arc<dyn BackOffice>,
    printer: Printer,
    sink: Sink,
    config: ControllerConfig,
) {
    let mut ticker = tokio::time::interval(config.heartbeat_every);
    let mut help = false;
    loop {
        let command = tokio::select! {
            c = rx.recv() => match c { Some(c) => c, None => break },
            _ = ticker.tick() => {
                let (b, p, c) = (Arc::clone(&backend), Arc::clone(&printer), config.clone());
                tokio::spawn(async move { beat(&b, &p, help, &c).await });
                continue;
            }
        };
        tracing::debug!(command = command.name(), "command from the flow");
        let (backend, sink, printer) = (
            Arc::clone(&backend),
            Arc::clone(&sink),
            Arc::clone(&printer),
        );
        match command {
            Command::LoadServices => {
                tokio::spawn(async move {
                    let r = backend.services().await;
                    sink(Event::ServicesLoaded(r.map(Arc::new).map_err(|e| {
                        tracing::warn!(error = %e, "services not loaded");
                        e.unreachable()
                    })));
                });
            }
            Command::CheckIn { booking, code } => {
                tokio::spawn(async move {
                    let r = backend.check_in(&booking, &code).await;
                    sink(Event::CheckInAnswered(r.map_err(|e| {
                        tracing::warn!(error = %e, "check-in not answered");
                        e.unreachable()
                    })));
                });
            }
            Command::WalkIn { service_id } => {
                tokio::spawn(async move {
                    let r = backend.walk_in(&service_id).await;
                    sink(Event::WalkInAnswered(r.map_err(|e| {
                        tracing::warn!(error = %e, service = %service_id, "walk-in not answered");
                        e.unreachable()
                    })));
                });
            }
            Command::Print { ticket, lang } => {
                let paper = paper_ticket(&ticket, lang);
                tokio::spawn(async move {
                    let r = tokio::task::spawn_blocking(move || {
                        printer
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .print(&paper)
                    })
                    .await
                    .unwrap_or(Err(PrintFault::Failed));
                    sink(Event::Printed(r));
                });
            }
            Command::RequestHelp => {
                help = true;
                let c = config.clone();
                tokio::spawn(async move { beat(&backend, &printer, true, &c).await });
            }
            Command::SessionEnded => {
                if help {
                    help = false;
                    let c = config.clone();
                    tokio::spawn(async move { beat(&backend, &printer, false, &c).await });
                }
            }
        }
    }
}
