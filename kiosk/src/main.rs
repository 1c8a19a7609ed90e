//! The kiosk binary: parses the command line, starts the back-office client (or in demo mode
//! the embedded back office), the printer, the controller and the fullscreen window.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use devices::escpos::render::PaperWidth;
use devices::sim::SimPrinter;
use kiosk::backend::BackOffice;
use kiosk::backend::https::{HttpsBackOffice, HttpsConfig};
use kiosk::controller::{self, ControllerConfig, Sink};
use kiosk::flow::{Device, Event, Flow, Lang, Timings};
use kiosk::printing::{LinkOutput, TicketOutput};
use kiosk::scanning::ScannerConfig;
use kiosk::ui::App;
use slint::ComponentHandle;

/// How the window reaches the screen.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Backend {
    /// X11 or Wayland (under a compositor such as cage).
    Winit,
    /// Straight to the display through DRM/KMS, without a compositor.
    Linuxkms,
}

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Bürgerterminal kiosk: check-in and queue numbers for citizen offices"
)]
struct Args {
    /// Demo: embedded back office with demo data, simulated printer, demo codes on screen.
    #[arg(long)]
    demo: bool,
    /// Where the kiosk keeps its offline journal (and demo mode its database, certificates
    /// and printed tickets).
    #[arg(long, default_value = "demo-data/kiosk")]
    data_dir: PathBuf,
    /// Window backend.
    #[arg(long, value_enum, default_value = "winit")]
    backend: Backend,
    /// A window instead of fullscreen (development).
    #[arg(long)]
    windowed: bool,
    /// Back-office address (not in demo mode), e.g. https://backoffice.example:8443.
    #[arg(long, required_unless_present = "demo")]
    back_office: Option<String>,
    /// Deployment CA (PEM).
    #[arg(long, required_unless_present = "demo")]
    ca: Option<PathBuf>,
    /// Terminal certificate (PEM).
    #[arg(long, required_unless_present = "demo")]
    cert: Option<PathBuf>,
    /// Terminal key (PEM).
    #[arg(long, required_unless_present = "demo")]
    key: Option<PathBuf>,
    /// Seconds without a touch before the timeout warning.
    #[arg(long, default_value_t = 60)]
    idle_secs: u64,
    /// Seconds the timeout warning counts down (at least 20).
    #[arg(long, default_value_t = 30)]
    warning_secs: u64,
    /// Language after every session.
    #[arg(long, default_value = "de")]
    language: String,
    /// Code scanner in keyboard mode: its evdev node (use /dev/input/by-id/…-event-kbd).
    #[arg(long, value_name = "PATH", conflicts_with = "scanner_serial")]
    scanner_evdev: Option<PathBuf>,
    /// Code scanner in serial mode: its tty, e.g. /dev/ttyACM0.
    #[arg(long, value_name = "PATH")]
    scanner_serial: Option<PathBuf>,
    /// A device without which the terminal shows the out-of-service screen (repeat for both).
    #[arg(long, value_enum, value_name = "DEVICE")]
    require: Vec<RequiredDevice>,
    /// Seconds a required device may be missing before the terminal goes out of service.
    #[arg(long, default_value_t = 10)]
    device_grace_secs: u64,
}

/// A device the configuration can require.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum RequiredDevice {
    /// The ticket printer.
    Printer,
    /// The code scanner (needs --scanner-evdev or --scanner-serial).
    Scanner,
}

impl Args {
    fn scanner(&self) -> ScannerConfig {
        match (&self.scanner_evdev, &self.scanner_serial) {
            (Some(path), _) => ScannerConfig::Keyboard(path.clone()),
            (None, Some(path)) => ScannerConfig::Serial(path.clone()),
            (None, None) => ScannerConfig::None,
        }
    }

    fn required(&self) -> Result<Vec<Device>> {
        self.require
            .iter()
            .map(|d| match d {
                RequiredDevice::Printer => Ok(Device::TicketPrinter),
                RequiredDevice::Scanner if self.scanner() == ScannerConfig::None => {
                    bail!("--require scanner needs --scanner-evdev or --scanner-serial")
                }
                RequiredDevice::Scanner => Ok(Device::CodeScanner),
            })
            .collect()
    }
}

fn display_available(backend: Backend) -> bool {
    match backend {
        Backend::Winit => {
            std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
        }
        Backend::Linuxkms => std::path::Path::new("/dev/dri").exists(),
    }
}

const NO_DISPLAY: &str = "No display found: neither DISPLAY nor WAYLAND_DISPLAY is set.
Run the kiosk under a virtual X server:   xvfb-run -s '-screen 0 1920x1080x24' scripts/demo
or on a Linux console without a compositor:   scripts/demo --backend linuxkms
(the Debian package xvfb provides xvfb-run).";

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    match run(Args::parse()) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("kiosk: {e:#}");
            std::process::exit(1);
        }
    }
}

fn run(args: Args) -> Result<()> {
    if !display_available(args.backend) {
        eprintln!("{NO_DISPLAY}");
        std::process::exit(2);
    }
    let default_lang = Lang::from_code(&args.language).with_context(|| {
        format!(
            "unknown language {:?}: use de, en, fr, tr, ar or uk",
            args.language
        )
    })?;
    let required = args.required()?;
    let timings = Timings::new(
        Duration::from_secs(args.idle_secs),
        Duration::from_secs(args.warning_secs),
    );

    // A runtime for the embedded back office (demo mode); the controller has its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    let mut embedded_server = None;
    let (backend, printer, office, demo): (Arc<dyn BackOffice>, Box<dyn TicketOutput>, String, _) =
        if args.demo {
            std::fs::create_dir_all(&args.data_dir)
                .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
            let embedded = runtime
                .block_on(kiosk::demo::start_back_office(&args.data_dir))
                .context("demo back office")?;
            let tickets = args.data_dir.join("tickets");
            tracing::info!(folder = %tickets.display(), "simulated printer writes each ticket as PNG here");
            let printer = LinkOutput::new(
                SimPrinter::new(PaperWidth::Mm80),
                PaperWidth::Mm80,
                Some(tickets),
            );
            let demo = embedded.demo_bookings();
            let client = embedded.client()?;
            embedded_server = Some(embedded.server);
            (client, Box::new(printer), String::new(), demo)
        } else {
            let (Some(url), Some(ca), Some(cert), Some(key)) =
                (&args.back_office, &args.ca, &args.cert, &args.key)
            else {
                bail!("--back-office, --ca, --cert and --key are required outside demo mode");
            };
            let read = |p: &PathBuf| {
                std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))
            };
            let mut identity = read(cert)?;
            identity.extend(read(key)?);
            let client = HttpsBackOffice::new(HttpsConfig::new(url.clone(), read(ca)?, identity))?;
            let printer = LinkOutput::new(
                devices::printer::UsbConnector(devices::usb::real::PrinterSelector::AnyPrinter),
                PaperWidth::Mm80,
                None,
            );
            (Arc::new(client), Box::new(printer), String::new(), vec![])
        };

    let backend_name = match args.backend {
        Backend::Winit => "winit",
        Backend::Linuxkms => "linuxkms",
    };
    slint::BackendSelector::new()
        .backend_name(backend_name.into())
        .renderer_name("software".into())
        .select()
        .with_context(|| format!("cannot open the {backend_name} display backend"))?;

    let window = layouts::AppWindow::new().context("cannot create the kiosk window")?;
    let weak = window.as_weak();
    let sink: Sink = Arc::new(move |event: Event| {
        let weak = weak.clone();
        let posted = slint::invoke_from_event_loop(move || {
            if weak.upgrade().is_some() {
                APP.with(|app| {
                    if let Some(app) = app.borrow().as_ref() {
                        app.dispatch(event);
                    }
                });
            }
        });
        if let Err(e) = posted {
            tracing::warn!(error = %e, "event loop gone, result dropped");
        }
    });
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
    let config = ControllerConfig {
        journal: Some(args.data_dir.join("offline-journal.db")),
        scanner: args.scanner(),
        required,
        device_grace: Duration::from_secs(args.device_grace_secs),
        ..ControllerConfig::default()
    };
    let (controller, _thread) =
        controller::spawn(backend, printer, sink, config).context("cannot start the controller")?;
    controller.send(kiosk::flow::Command::LoadServices);

    let flow = Flow::new(default_lang, timings, std::time::Instant::now());
    let app = App::new(window, flow, controller, office, demo);
    APP.with(|cell| *cell.borrow_mut() = Some(app.clone()));

    let ticker = slint::Timer::default();
    let weak_app = std::rc::Rc::downgrade(&app);
    ticker.start(
        slint::TimerMode::Repeated,
        Duration::from_millis(250),
        move || {
            if let Some(app) = weak_app.upgrade() {
                app.dispatch(Event::Tick);
            }
        },
    );
    // The panel's size until the compositor makes the window fullscreen (a bare X server
    // without a window manager, as under xvfb-run, never does).
    app.window()
        .window()
        .set_size(slint::LogicalSize::new(1920.0, 1080.0));
    if !args.windowed {
        app.window().window().set_fullscreen(true);
    }
    app.window()
        .run()
        .context("the window's event loop failed")?;
    APP.with(|cell| cell.borrow_mut().take());
    if let Some(server) = embedded_server {
        runtime.block_on(server.stop());
    }
    Ok(())
}

thread_local! {
    static APP: std::cell::RefCell<Option<std::rc::Rc<App>>> = const { std::cell::RefCell::new(None) };
}
