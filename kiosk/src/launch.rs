//! What both kiosk binaries share: the terminal's own command-line options (display, timeouts,
//! language, scanner, required devices) and the start of window, controller and flow. The
//! production binary (`kiosk`) adds the back office's address and certificates; the demo
//! binary (`kiosk-demo`, feature `demo`) an embedded back office.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use slint::ComponentHandle;

use crate::backend::BackOffice;
use crate::controller::{self, ControllerConfig, Sink};
use crate::flow::{Device, Event, Flow, Lang, Timings};
use crate::printing::TicketOutput;
use crate::scanning::ScannerConfig;
use crate::ui::{App, DemoBooking};

/// How the window reaches the screen.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Backend {
    /// X11 or Wayland (under a compositor such as cage).
    Winit,
    /// Straight to the display through DRM/KMS, without a compositor.
    Linuxkms,
}

/// A device the configuration can require.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RequiredDevice {
    /// The ticket printer.
    Printer,
    /// The code scanner (needs --scanner-evdev or --scanner-serial).
    Scanner,
}

/// The terminal's own options.
#[derive(Debug, clap::Args)]
pub struct TerminalArgs {
    /// Window backend.
    #[arg(long, value_enum, default_value = "winit")]
    pub backend: Backend,
    /// A window instead of fullscreen (development).
    #[arg(long)]
    pub windowed: bool,
    /// Seconds without a touch before the timeout warning.
    #[arg(long, default_value_t = 60)]
    pub idle_secs: u64,
    /// Seconds the timeout warning counts down (at least 20).
    #[arg(long, default_value_t = 30)]
    pub warning_secs: u64,
    /// Language after every session.
    #[arg(long, default_value = "de")]
    pub language: String,
    /// Code scanner in keyboard mode: its evdev node (use /dev/input/by-id/…-event-kbd).
    #[arg(long, value_name = "PATH", conflicts_with = "scanner_serial")]
    pub scanner_evdev: Option<PathBuf>,
    /// Code scanner in serial mode: its tty, e.g. /dev/ttyACM0.
    #[arg(long, value_name = "PATH")]
    pub scanner_serial: Option<PathBuf>,
    /// A device without which the terminal shows the out-of-service screen (repeat for both).
    #[arg(long, value_enum, value_name = "DEVICE")]
    pub require: Vec<RequiredDevice>,
    /// Seconds a required device may be missing before the terminal goes out of service.
    #[arg(long, default_value_t = 10)]
    pub device_grace_secs: u64,
}

impl TerminalArgs {
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

    /// Exits with status 2 and says how to get a display when there is none.
    pub fn require_display(&self) {
        let available = match self.backend {
            Backend::Winit => {
                std::env::var_os("DISPLAY").is_some()
                    || std::env::var_os("WAYLAND_DISPLAY").is_some()
            }
            Backend::Linuxkms => std::path::Path::new("/dev/dri").exists(),
        };
        if !available {
            eprintln!("{NO_DISPLAY}");
            std::process::exit(2);
        }
    }
}

const NO_DISPLAY: &str = "No display found: neither DISPLAY nor WAYLAND_DISPLAY is set.
Run the kiosk under a virtual X server:   xvfb-run -s '-screen 0 1920x1080x24' scripts/demo
or on a Linux console without a compositor:   scripts/demo --backend linuxkms
(the Debian package xvfb provides xvfb-run).";

/// What a binary hands over to run the terminal.
pub struct Parts {
    /// The back office.
    pub backend: Arc<dyn BackOffice>,
    /// The ticket printer.
    pub printer: Box<dyn TicketOutput>,
    /// Demo bookings shown on the start screen (demo only).
    pub demo: Vec<DemoBooking>,
    /// Where the offline journal lives.
    pub data_dir: PathBuf,
    /// The running configuration's version, for the heartbeat.
    pub config_version: String,
}

/// Logs to stderr (`RUST_LOG` sets the filter).
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// Opens the window and runs the terminal until the window closes.
pub fn run(args: &TerminalArgs, parts: Parts) -> Result<()> {
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
    std::fs::create_dir_all(&parts.data_dir)
        .with_context(|| format!("cannot create {}", parts.data_dir.display()))?;
    let config = ControllerConfig {
        journal: Some(parts.data_dir.join("offline-journal.db")),
        scanner: args.scanner(),
        required,
        device_grace: Duration::from_secs(args.device_grace_secs),
        config_version: parts.config_version,
        ..ControllerConfig::default()
    };
    let (controller, _thread) = controller::spawn(parts.backend, parts.printer, sink, config)
        .context("cannot start the controller")?;
    controller.send(crate::flow::Command::LoadServices);

    let flow = Flow::new(default_lang, timings, std::time::Instant::now());
    let app = App::new(window, flow, controller, String::new(), parts.demo);
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
    Ok(())
}

thread_local! {
    static APP: std::cell::RefCell<Option<std::rc::Rc<App>>> = const { std::cell::RefCell::new(None) };
}
