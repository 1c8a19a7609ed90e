//! The hardware code scanner wired into the kiosk, without hardware: a serial scanner behind a
//! pseudo-terminal checks a visitor in against the real back office; an unreadable scan is
//! said on the check-in screen and loses nothing typed; a scan where none is expected is
//! ignored and logged without its content.

use std::sync::Arc;
use std::time::Duration;

use devices::sim::SimSerialScanner;
use kiosk::flow::{PrintState, Screen};
use kiosk::scanning::ScannerConfig;
use slint::ComponentHandle;

use crate::fake::Fake;
use crate::harness::{Kiosk, Options, RealBackOffice, log_text, wait_for};

fn with_scanner(backend: Arc<dyn kiosk::backend::BackOffice>, sim: &SimSerialScanner) -> Kiosk {
    let mut options = Options::default();
    options.config.scanner = ScannerConfig::Serial(sim.path().to_owned());
    options.config.heartbeat_every = Duration::from_millis(200);
    Kiosk::build(backend, options)
}

#[test]
fn a_scan_from_the_serial_scanner_checks_the_visitor_in_and_garbage_loses_nothing_typed() {
    let bo = RealBackOffice::start();
    let mut sim = SimSerialScanner::new().expect("pty");
    let k = with_scanner(bo.client(), &sim);
    wait_for("the scanner in the heartbeat", || {
        bo.device_health()
            .contains(&("scanner".into(), "ok".into()))
    });

    k.touch("Ich habe einen Termin");
    k.type_keys("1005");
    sim.send(b"\xff\xfe\r").expect("sent");
    let unreadable = "Der Code konnte nicht gelesen werden. Bitte scannen Sie ihn noch einmal oder \
                      geben Sie Buchungsnummer und Code ein.";
    k.settle_until("the unreadable-scan notice", |k| k.shows(unreadable));
    let adapter = k.app.window().global::<layouts::CheckInAdapter>();
    assert_eq!(adapter.get_booking(), "1005", "what was typed stays");
    assert!(
        k.app.window().get_spoken().contains("nicht gelesen"),
        "spoken guidance reads the notice"
    );

    sim.send(b"https://example.org/leaflet\r").expect("sent");
    k.settle_until("the not-a-booking notice", |k| {
        k.shows(
            "Dieser Code ist keine Terminbestätigung. Bitte scannen Sie den QR-Code Ihrer \
             Bestätigung oder geben Sie Buchungsnummer und Code ein.",
        )
    });
    assert_eq!(adapter.get_booking(), "1005");

    sim.send(format!("{}\r\n", bo.booking(0)).as_bytes())
        .expect("sent");
    k.settle_until("the ticket", |k| {
        matches!(
            k.screen(),
            Screen::Ticket {
                print: PrintState::Printed,
                ..
            }
        )
    });
    let Screen::Ticket { ticket, .. } = k.screen() else {
        unreachable!()
    };
    assert!(ticket.number.starts_with('T'), "{}", ticket.number);
    assert_eq!(k.printer.printed().len(), 1);
    assert_eq!(
        adapter.get_booking(),
        "",
        "nothing typed is left on the screen"
    );
}

#[test]
fn a_scan_where_none_is_expected_is_ignored_and_logged_without_its_content() {
    const STRAY: &str = "BT1:100777:ZX9QP";
    let mut sim = SimSerialScanner::new().expect("pty");
    let k = with_scanner(Arc::new(Fake::new()), &sim);
    k.touch("Nummer ziehen");
    assert_eq!(k.screen(), Screen::Services);
    // The scanner may still be opening the port: send until the kiosk has heard a scan.
    wait_for("the stray scan in the log", || {
        sim.send(format!("{STRAY}\r").as_bytes()).expect("sent");
        k.settle();
        log_text()
            .lines()
            .any(|l| l.contains("scan ignored") && l.contains("services"))
    });
    assert_eq!(k.screen(), Screen::Services, "nothing happened");
    assert!(k.printer.printed().is_empty());
    let log = log_text();
    assert!(!log.contains("100777") && !log.contains("ZX9QP"));
}
