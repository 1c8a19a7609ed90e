//! Screenshots of every screen in German and Arabic (and the start screen's large-text,
//! high-contrast, low and portrait variants), taken with the software renderer while a fake
//! back office gives each outcome in turn.

use std::sync::Arc;

use devices::sim::Fault;
use kiosk::flow::{Availability, CheckInOutcome, ClosedReason, Event, Lang, Origin, WalkInOutcome};
use kiosk::ui::DemoBooking;

use crate::fake::{Fake, ticket};
use crate::harness::Kiosk;

fn check_in(k: &Kiosk, fake: &Fake, outcome: CheckInOutcome, lang: Lang, name: &str) {
    fake.answer_check_in(outcome);
    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::Language(lang));
    k.scan("BT1:100512:K7M2P");
    k.shot(&format!("{name}-{}", lang.code()));
}

fn tour(lang: Lang) {
    let fake = Arc::new(Fake::new());
    let demo = vec![
        DemoBooking {
            label: "13:20 · 100512 · K7M2P".into(),
            payload: "BT1:100512:K7M2P".into(),
        },
        DemoBooking {
            label: "14:50 · 100521 · 9QHRT".into(),
            payload: "BT1:100521:9QHRT".into(),
        },
        DemoBooking {
            label: "12:10 · 100505 · MX4BE".into(),
            payload: "BT1:100505:MX4BE".into(),
        },
    ];
    let k = Kiosk::with(fake.clone(), demo, (1920, 1080));
    let l = lang.code();
    k.app.dispatch(Event::Language(lang));
    k.shot(&format!("start-{l}"));

    k.app.dispatch(Event::StartCheckIn);
    k.type_keys("100512");
    k.shot(&format!("check-in-number-{l}"));
    k.app.dispatch(Event::SelectField(kiosk::flow::Field::Code));
    k.type_keys("K7M");
    k.shot(&format!("check-in-code-{l}"));
    k.app
        .dispatch(Event::ScanRejected(kiosk::flow::ScanProblem::Unreadable));
    k.shot(&format!("check-in-scan-unreadable-{l}"));

    fake.answer_check_in(CheckInOutcome::CheckedIn(ticket(
        "T012",
        Origin::Appointment,
    )));
    k.app.dispatch(Event::Scanned("BT1:100512:K7M2P".into()));
    k.shot(&format!("progress-{l}"));
    k.settle();
    k.shot(&format!("ticket-{l}"));

    check_in(
        &k,
        &fake,
        CheckInOutcome::AlreadyCheckedIn(ticket("T012", Origin::Appointment)),
        lang,
        "ticket-again",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::UnknownBooking,
        lang,
        "unknown-booking",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::WrongCode {
            attempts_left: Some(2),
        },
        lang,
        "wrong-code",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::Throttled {
            retry_at: Some(crate::fake::at(15)),
        },
        lang,
        "throttled",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::WrongOffice {
            name: "Bürgeramt Dudweiler".into(),
            address: "Rathausstraße 1, 66125 Saarbrücken".into(),
        },
        lang,
        "wrong-office",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::TooEarly {
            check_in_from: Some(crate::fake::at(50)),
        },
        lang,
        "too-early",
    );
    check_in(
        &k,
        &fake,
        CheckInOutcome::TooLate {
            walk_in_service_id: Some("personalausweis".into()),
        },
        lang,
        "too-late",
    );

    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::Language(lang));
    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    k.shot(&format!("services-{l}"));
    k.app
        .dispatch(Event::ChooseService("fuehrungszeugnis".into()));
    k.shot(&format!("refused-quota-{l}"));
    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    k.app.dispatch(Event::ChooseService("beglaubigung".into()));
    k.shot(&format!("refused-closed-{l}"));

    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    k.printer.inject(Fault::PaperOutAfter(40));
    fake.answer_walk_in(WalkInOutcome::Issued(ticket("A017", Origin::WalkIn)));
    k.app
        .dispatch(Event::ChooseService("personalausweis".into()));
    k.settle();
    k.shot(&format!("ticket-not-printed-{l}"));
    k.printer.load_paper();

    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::Language(lang));
    *fake.walk_in.lock().unwrap() = None;
    k.app.dispatch(Event::StartWalkIn);
    k.settle();
    k.app
        .dispatch(Event::ChooseService("personalausweis".into()));
    k.settle();
    k.shot(&format!("unreachable-{l}"));

    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::Language(lang));
    k.app.dispatch(Event::StartCheckIn);
    k.app.dispatch(Event::Help);
    k.shot(&format!("help-{l}"));
    k.wait(60);
    k.shot(&format!("timeout-warning-{l}"));

    k.app.dispatch(Event::Home);
    k.app.dispatch(Event::Locked(Some(
        "Ticket printer: load a new paper roll".into(),
    )));
    k.shot("out-of-service");
    k.app.dispatch(Event::Locked(None));
    let _ = ClosedReason::Other;
    let _ = Availability::Open;
}

#[test]
fn every_screen_in_german() {
    tour(Lang::De);
}

#[test]
fn every_screen_in_arabic() {
    tour(Lang::Ar);
}

/// The offline check-in and its ticket, from the fake back office, so the pictures are the
/// same on every run (`offline.rs` proves the behaviour against the real one).
#[test]
fn offline_check_in_screens() {
    let fake = Arc::new(Fake::new());
    let k = Kiosk::start(fake.clone());
    k.app.dispatch(Event::Connectivity(false));
    k.app.dispatch(Event::StartCheckIn);
    k.type_keys("100512");
    k.app.dispatch(Event::SelectField(kiosk::flow::Field::Code));
    assert!(
        k.shows("Das Terminal arbeitet gerade offline. Ihr Termin wird am Schalter bestätigt.")
    );
    k.shot("check-in-offline-de");
    fake.answer_check_in(CheckInOutcome::CheckedIn(ticket(
        "Z001",
        Origin::OfflineCheckIn,
    )));
    k.type_keys("K7M2P");
    k.touch("Anmelden");
    k.settle();
    k.shot("ticket-offline-check-in-de");
}

#[test]
fn start_screen_variants() {
    let k = Kiosk::start(Arc::new(Fake::new()));
    k.app.dispatch(Event::ToggleLargeText);
    k.shot("start-large-text");
    k.app.dispatch(Event::ToggleLargeText);
    k.app.dispatch(Event::ToggleHighContrast);
    k.shot("start-high-contrast");
    k.app.dispatch(Event::ToggleHighContrast);
    k.app.dispatch(Event::ToggleLowLayout);
    k.shot("start-low-layout");

    let p = Kiosk::with(Arc::new(Fake::new()), vec![], (1080, 1920));
    p.shot("start-portrait");
    p.app.dispatch(Event::StartCheckIn);
    p.app.dispatch(Event::SelectField(kiosk::flow::Field::Code));
    p.shot("check-in-code-portrait");
}
