//! Figures of the kiosk on this machine: cold start to the first rendered frame, render time of
//! the busiest screens at 1920×1080 with the software renderer, "check-in confirmed" to the
//! last ticket byte at the simulated printer with the local back office, and resident memory
//! after 10 and after 1,000 simulated visits. Run: `cargo bench -p kiosk --bench kiosk`.
//!
//! The window draws into an XRGB8888 frame buffer kept between frames, as on a terminal with
//! the linuxkms backend; the back office runs in a child process, so the memory figure is the
//! kiosk's own (the whole demo, both together, is printed beside it).

mod memory;
mod render;
mod rig;

use std::rc::Rc;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use devices::escpos::render::PaperWidth;
use devices::sim::SimPrinter;
use kiosk::backend::BackOffice;
use kiosk::backend::https::HttpsBackOffice;
use kiosk::controller::{self, ControllerConfig, Sink};
use kiosk::flow::{CheckInOutcome, Event, Flow, Lang, Timings};
use kiosk::printing::{LinkOutput, TicketOutput, paper_ticket};
use kiosk::ui::App;
use slint::ComponentHandle;

/// The kiosk under measurement: the app, the controller's answers, and the screen.
pub struct Kiosk {
    /// The app.
    pub app: Rc<App>,
    /// What the controller sends back.
    rx: mpsc::Receiver<Event>,
    /// The frame buffer.
    pub frame: rig::Frame,
}

impl Kiosk {
    /// Applies the controller's answers until none is pending and nothing is on its way.
    pub fn settle(&self) {
        self.app.settle(&self.rx, Duration::from_millis(20));
    }
}

fn main() {
    let process_start = Instant::now();
    if rig::serve_if_child() {
        return;
    }
    let frame = rig::Frame::install(1920, 1080);
    let dir = tempfile::tempdir().expect("tempdir");
    let back_office = rig::ChildBackOffice::start(dir.path());
    let pki = backoffice::server::ensure_dev_pki(&dir.path().join("tls")).expect("certificates");
    let config = kiosk::backend::https::HttpsConfig::from_files(
        format!("https://localhost:{}", back_office.addr.port()),
        &pki.server.ca,
        &pki.terminal_cert,
        &pki.terminal_key,
    )
    .expect("client settings");
    let client: Arc<dyn BackOffice> = Arc::new(HttpsBackOffice::new(config).expect("HTTPS client"));

    let mut kiosk = cold_start(frame, Arc::clone(&client));
    println!(
        "process start to first frame, with the back office's start and demo data before it: {:.1} ms",
        process_start.elapsed().as_secs_f64() * 1e3
    );
    render::busiest_screens(&mut kiosk);
    check_in_to_last_byte(&client, &back_office.booking);
    memory::visits(&mut kiosk, &back_office);
}

/// Window creation, wiring and the first frame, as the kiosk binary does them.
fn cold_start(mut frame: rig::Frame, client: Arc<dyn BackOffice>) -> Kiosk {
    let t = Instant::now();
    let window = layouts::AppWindow::new().expect("window");
    let printer = SimPrinter::new(PaperWidth::Mm80);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let sink: Sink = Arc::new(move |e| {
        if let Ok(t) = tx.lock() {
            let _ = t.send(e);
        }
    });
    let config = ControllerConfig {
        heartbeat_every: Duration::from_secs(3600),
        ..Default::default()
    };
    let (controller, _) = controller::spawn(
        client,
        Box::new(LinkOutput::new(printer, PaperWidth::Mm80, None)),
        sink,
        config,
    )
    .expect("controller");
    let app = App::new(
        window,
        Flow::new(Lang::De, Timings::default(), Instant::now()),
        controller,
        "Bürgeramt".into(),
        vec![],
    );
    app.window().show().expect("shown");
    assert!(frame.draw(), "the first frame is drawn");
    println!(
        "cold start, window creation to first frame: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    Kiosk { app, rx, frame }
}

/// From the back office's "checked in" to the printer's confirmation of the whole job.
fn check_in_to_last_byte(client: &Arc<dyn BackOffice>, (booking, code): &(String, String)) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut out = LinkOutput::new(SimPrinter::new(PaperWidth::Mm80), PaperWidth::Mm80, None);
    let mut samples = vec![];
    for _ in 0..200 {
        let outcome = runtime
            .block_on(client.check_in(booking, code))
            .expect("check-in");
        let t = Instant::now();
        let ticket = match outcome {
            CheckInOutcome::CheckedIn(t) | CheckInOutcome::AlreadyCheckedIn(t) => t,
            other => panic!("unexpected {other:?}"),
        };
        out.print(&paper_ticket(&ticket, Lang::De))
            .expect("printed");
        samples.push(t.elapsed());
    }
    println!(
        "check-in confirmed to last ticket byte (200 check-ins): median {:.1} ms, p99 {:.1} ms",
        rig::quantile_ms(&mut samples, 0.5),
        rig::quantile_ms(&mut samples, 0.99)
    );
}
