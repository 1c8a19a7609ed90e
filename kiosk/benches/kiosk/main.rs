//! Figures of the kiosk on this machine: cold start to the first rendered frame, render time of
//! the busiest screen at 1920×1080 (software renderer), "check-in confirmed" to the last ticket
//! byte at the simulated printer with the local back office (p99), and resident memory after
//! 10 and after 1,000 simulated visits. Run: `cargo bench -p kiosk --bench kiosk`.

use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use devices::escpos::render::PaperWidth;
use devices::sim::SimPrinter;
use kiosk::backend::BackOffice;
use kiosk::controller::{self, ControllerConfig, Sink};
use kiosk::flow::{CheckInOutcome, Event, Flow, Lang, Origin, PrintState, Screen, Timings};
use kiosk::printing::{LinkOutput, TicketOutput, paper_ticket};
use kiosk::ui::App;
use slint::ComponentHandle;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn main() {
    let process_start = Instant::now();
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )))
    .expect("platform");

    // The back office and the controller.
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let embedded = runtime
        .block_on(kiosk::demo::start_back_office(dir.path()))
        .expect("back office");
    let client: Arc<dyn BackOffice> = embedded.client().expect("client");

    // 1. Cold start to first frame (window creation, first layout and render).
    let t = Instant::now();
    let window = layouts::AppWindow::new().expect("window");
    window
        .window()
        .set_size(slint::PhysicalSize::new(1920, 1080));
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
        Arc::clone(&client),
        Box::new(LinkOutput::new(printer.clone(), PaperWidth::Mm80, None)),
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
    app.window().window().take_snapshot().expect("first frame");
    println!(
        "cold start to first frame: {:.1} ms (window {:.1} ms after process start)",
        t.elapsed().as_secs_f64() * 1e3,
        process_start.elapsed().as_secs_f64() * 1e3
    );

    let settle = || loop {
        let busy = matches!(
            app.flow().screen(),
            Screen::Progress(_)
                | Screen::Ticket {
                    print: PrintState::Printing,
                    ..
                }
        );
        match rx.recv_timeout(if busy {
            Duration::from_secs(20)
        } else {
            Duration::from_millis(20)
        }) {
            Ok(e) => app.dispatch(e),
            Err(_) if !busy => break,
            Err(e) => panic!("no answer: {e}"),
        }
    };
    app.dispatch(Event::StartWalkIn);
    settle();

    // 2. Busiest screen: the service list and the keyboard, full frames.
    for (name, setup) in [("services", None), ("check-in keyboard", Some(()))] {
        if setup.is_some() {
            app.dispatch(Event::Home);
            app.dispatch(Event::StartCheckIn);
            app.dispatch(Event::SelectField(kiosk::flow::Field::Code));
        }
        let mut samples: Vec<Duration> = (0..60)
            .map(|_| {
                let t = Instant::now();
                app.window().window().take_snapshot().expect("frame");
                t.elapsed()
            })
            .collect();
        println!(
            "render {name} 1920x1080 software: median {:.1} ms, p99 {:.1} ms",
            percentile(&mut samples, 0.5).as_secs_f64() * 1e3,
            percentile(&mut samples, 0.99).as_secs_f64() * 1e3
        );
    }
    app.dispatch(Event::Home);

    // 3. Check-in confirmed → last byte at the simulated printer (printer confirms the job).
    let a = &embedded.appointments[12];
    let mut out = LinkOutput::new(SimPrinter::new(PaperWidth::Mm80), PaperWidth::Mm80, None);
    let mut samples = vec![];
    for _ in 0..200 {
        let outcome = runtime
            .block_on(client.check_in(&a.booking_number, &a.code))
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
        percentile(&mut samples, 0.5).as_secs_f64() * 1e3,
        percentile(&mut samples, 0.99).as_secs_f64() * 1e3
    );

    // 4. Memory after 10 and after 1,000 walk-in visits through the whole UI.
    // Spread over four services so no group runs out of its 999 numbers.
    let services = ["personalausweis", "anmeldung", "beglaubigung", "fundsache"];
    let visit = |i: usize| {
        app.dispatch(Event::StartWalkIn);
        settle();
        app.dispatch(Event::ChooseService(services[i % services.len()].into()));
        settle();
        assert!(
            matches!(app.flow().screen(), Screen::Ticket { .. }),
            "{:?}",
            app.flow().screen()
        );
        app.window().window().take_snapshot().expect("frame");
        app.dispatch(Event::Home);
    };
    for i in 0..10 {
        visit(i);
    }
    let after_10 = rss_kib();
    for i in 10..1000 {
        visit(i);
    }
    let after_1000 = rss_kib();
    println!(
        "resident memory (whole process incl. embedded back office): after 10 visits {:.1} MB, after 1000 visits {:.1} MB",
        after_10 as f64 / 1024.0,
        after_1000 as f64 / 1024.0
    );
    let _ = Origin::WalkIn;
    runtime.block_on(embedded.server.stop());
}
