//! The test harness: a kiosk window on the testing backend, its controller, the simulated
//! printer, and helpers to touch elements by their accessible label and take screenshots.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use backoffice_testkit::{Staff, TestBackOffice};
use devices::escpos::render::PaperWidth;
use devices::sim::SimPrinter;
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementQuery};
use kiosk::backend::BackOffice;
use kiosk::controller::{self, ControllerConfig, Sink};
use kiosk::flow::{Event, Flow, Lang, Screen, Timings};
use kiosk::printing::LinkOutput;
use kiosk::ui::{App, DemoBooking};
use slint::ComponentHandle;

/// Log lines of every test in this binary (to prove no personal data is logged).
pub static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;
impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Waits (in real time) until `done` holds.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The log so far.
pub fn log_text() -> String {
    String::from_utf8_lossy(&LOG.lock().unwrap()).into_owned()
}

/// Sets the testing backend with the software renderer for this test's thread.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("debug,sqlx=warn,hyper=warn,rustls=warn,h2=warn,reqwest=warn")
        .with_writer(|| LogWriter)
        .with_ansi(false)
        .try_init();
    let _ = slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )));
}

pub struct Kiosk {
    pub app: Rc<App>,
    pub printer: SimPrinter,
    pub tickets: tempfile::TempDir,
    events: mpsc::Receiver<Event>,
}

/// How a test kiosk is set up.
pub struct Options {
    pub demo: Vec<DemoBooking>,
    pub size: (u32, u32),
    pub config: ControllerConfig,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            demo: vec![],
            size: (1920, 1080),
            config: ControllerConfig {
                heartbeat_every: Duration::from_secs(3600),
                ..Default::default()
            },
        }
    }
}

impl Kiosk {
    pub fn start(backend: Arc<dyn BackOffice>) -> Self {
        Self::build(backend, Options::default())
    }

    pub fn with(backend: Arc<dyn BackOffice>, demo: Vec<DemoBooking>, size: (u32, u32)) -> Self {
        Self::build(
            backend,
            Options {
                demo,
                size,
                ..Options::default()
            },
        )
    }

    /// With an offline journal and a fast heartbeat.
    pub fn with_config(
        backend: Arc<dyn BackOffice>,
        journal: Option<PathBuf>,
        heartbeat: Duration,
    ) -> Self {
        let mut options = Options::default();
        options.config.journal = journal;
        options.config.heartbeat_every = heartbeat;
        Self::build(backend, options)
    }

    pub fn build(backend: Arc<dyn BackOffice>, options: Options) -> Self {
        init();
        let Options { demo, size, config } = options;
        let printer = SimPrinter::new(PaperWidth::Mm80);
        let tickets = tempfile::tempdir().unwrap();
        let output = LinkOutput::new(
            printer.clone(),
            PaperWidth::Mm80,
            Some(tickets.path().to_owned()),
        );
        let (tx, events) = mpsc::channel();
        let tx = Mutex::new(tx);
        let sink: Sink = Arc::new(move |e| {
            let _ = tx.lock().unwrap().send(e);
        });
        let (controller, _) = controller::spawn(backend, Box::new(output), sink, config).unwrap();
        let window = layouts::AppWindow::new().unwrap();
        window
            .window()
            .set_size(slint::PhysicalSize::new(size.0, size.1));
        let flow = Flow::new(Lang::De, Timings::default(), Instant::now());
        controller.send(kiosk::flow::Command::LoadServices);
        let app = App::new(window, flow, controller, "Bürgeramt".into(), demo);
        // One moment for every test: a screenshot changes only when the screen does.
        app.fix_wall_clock(crate::fake::NOW.parse().expect("a time"));
        let kiosk = Self {
            app,
            printer,
            tickets,
            events,
        };
        kiosk.settle();
        kiosk
    }

    /// Handles the controller's results until nothing is pending.
    pub fn settle(&self) {
        self.app.settle(&self.events, Duration::from_millis(100));
    }

    /// The enabled control (not a text) with this accessible label.
    fn find(&self, label: &str) -> ElementHandle {
        ElementHandle::find_by_accessible_label(self.app.window(), label)
            .find(|e| {
                e.is_valid()
                    && e.accessible_enabled() != Some(false)
                    && e.accessible_role() != Some(AccessibleRole::Text)
            })
            .unwrap_or_else(|| {
                let controls: Vec<_> = ElementQuery::from_root(self.app.window())
                    .match_descendants()
                    .match_accessible_role(AccessibleRole::Button)
                    .find_all()
                    .iter()
                    .filter_map(|e| e.accessible_label())
                    .collect();
                panic!(
                    "no enabled control labelled {label:?} on {:?}; buttons: {controls:?}",
                    self.app.flow().screen()
                )
            })
    }

    /// Whether an element with this label is showing.
    pub fn shows(&self, label: &str) -> bool {
        ElementHandle::find_by_accessible_label(self.app.window(), label)
            .next()
            .is_some()
    }

    /// Touches the element with this accessible label, then handles the results.
    pub fn touch(&self, label: &str) {
        self.find(label).invoke_accessible_default_action();
        self.settle();
    }

    /// Types on the on-screen keys.
    pub fn type_keys(&self, text: &str) {
        for c in text.chars() {
            self.find(&c.to_string()).invoke_accessible_default_action();
        }
    }

    /// Simulates a scan.
    pub fn scan(&self, payload: &str) {
        self.app.dispatch(Event::Scanned(payload.into()));
        self.settle();
    }

    /// Handles the controller's results until `done` holds (for events that come by
    /// themselves: scans, heartbeat answers, device health).
    pub fn settle_until(&self, what: &str, done: impl Fn(&Self) -> bool) {
        let start = Instant::now();
        loop {
            self.settle();
            if done(self) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what} on {:?}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Moves the clock on and lets the flow notice.
    pub fn wait(&self, secs: u64) {
        self.app.advance(Duration::from_secs(secs));
        self.app.dispatch(Event::Tick);
    }

    pub fn screen(&self) -> Screen {
        self.app.flow().screen().clone()
    }

    /// Writes a screenshot to `docs/screenshots/kiosk-<name>.png`.
    pub fn shot(&self, name: &str) {
        let buffer = self
            .app
            .window()
            .window()
            .take_snapshot()
            .expect("snapshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let file = std::fs::File::create(dir.join(format!("kiosk-{name}.png"))).unwrap();
        let mut encoder = png::Encoder::new(
            std::io::BufWriter::new(file),
            buffer.width(),
            buffer.height(),
        );
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(buffer.as_bytes())
            .unwrap();
    }
}

/// The real back office with demo data (the one test support), on its own runtime; it can be
/// stopped and restarted on the same port with the same data. Tests see it only through its
/// API: as the terminal, and as staff for what the front desk would see or do.
pub struct RealBackOffice {
    pub runtime: tokio::runtime::Runtime,
    server: Option<TestBackOffice>,
    stopped: Option<(tempfile::TempDir, std::net::SocketAddr)>,
    pub appointments: Vec<backoffice::demo::DemoAppointment>,
    /// The supervisor's session, logged in once (it outlives a restart: sessions are stored).
    supervisor: std::sync::OnceLock<Staff>,
}

impl RealBackOffice {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(TestBackOffice::sqlite());
        Self {
            appointments: server.appointments().to_vec(),
            runtime,
            server: Some(server),
            stopped: None,
            supervisor: std::sync::OnceLock::new(),
        }
    }

    fn running(&self) -> &TestBackOffice {
        self.server.as_ref().expect("running")
    }

    pub fn client_config(&self) -> kiosk::backend::https::HttpsConfig {
        let bo = self.running();
        let pki = bo.pki();
        kiosk::backend::https::HttpsConfig::from_files(
            bo.url(""),
            &pki.server.ca,
            &pki.terminal_cert,
            &pki.terminal_key,
        )
        .unwrap()
    }

    pub fn client(&self) -> Arc<dyn BackOffice> {
        Arc::new(kiosk::backend::https::HttpsBackOffice::new(self.client_config()).unwrap())
    }

    /// Stops the server; returns its address for the restart.
    pub fn stop(&mut self) -> std::net::SocketAddr {
        let server = self.server.take().expect("running");
        let (dir, addr) = self.runtime.block_on(server.stop());
        self.stopped = Some((dir, addr));
        addr
    }

    pub fn restart(&mut self, addr: std::net::SocketAddr) {
        let (dir, _) = self.stopped.take().expect("stopped");
        self.server = Some(self.runtime.block_on(TestBackOffice::restart(dir, addr)));
    }

    /// A front-desk member logged in (`leitung` is a supervisor).
    pub fn staff(&self, user: &str) -> Staff {
        self.runtime.block_on(self.running().staff(user))
    }

    /// GETs a staff endpoint as the supervisor.
    pub fn staff_get(&self, path: &str) -> serde_json::Value {
        let staff = self.supervisor.get_or_init(|| self.staff("leitung"));
        let (status, body) = self.runtime.block_on(staff.get(path));
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    /// The demo office's queue as the front desk sees it.
    pub fn queue(&self) -> Vec<serde_json::Value> {
        let queue = self.staff_get("/api/v1/staff/queue");
        queue["tickets"].as_array().cloned().unwrap_or_default()
    }

    /// The demo appointment `minutes` from now (10-minute grid) at the terminal's office.
    pub fn booking(&self, minutes: i64) -> String {
        let b = self.running().appointment_at(minutes);
        format!("BT1:{}:{}", b.booking_number, b.code)
    }

    /// Device states the terminals of the demo office reported in their heartbeats, as the
    /// staff console lists them, and whether one asks for help.
    pub fn device_health(&self) -> Vec<(String, String)> {
        let terminals = self.staff_get("/api/v1/staff/console/terminals");
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        let mut seen = Vec::new();
        for t in terminals.as_array().into_iter().flatten() {
            for d in t["devices"].as_array().into_iter().flatten() {
                seen.push((text(&d["device"]), text(&d["state"])));
            }
            if !t["help"].is_null() {
                seen.push(("help".to_owned(), "requested".to_owned()));
            }
        }
        seen
    }

    pub fn other_office_booking(&self) -> String {
        let b = &self.appointments[30];
        format!("BT1:{}:{}", b.booking_number, b.code)
    }
}
