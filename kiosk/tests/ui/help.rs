//! The help button reaches the front desk: the heartbeat carries the help request (its own
//! field) and the printer's health, the staff console shows both, and the request is cleared
//! when the visitor leaves; a supervisor's lock from the console takes the terminal out of
//! service.

use std::time::{Duration, Instant};

use crate::harness::{Kiosk, RealBackOffice, wait_for};

fn health(bo: &RealBackOffice) -> Vec<(String, String)> {
    bo.device_health()
}

#[test]
fn help_request_and_printer_health_reach_the_back_office() {
    let bo = RealBackOffice::start();
    let k = Kiosk::with_config(bo.client(), None, Duration::from_secs(3600));
    wait_for("the first heartbeat", || {
        health(&bo).contains(&("ticket_printer".into(), "ok".into()))
    });
    k.touch("Ich habe einen Termin");
    k.touch("Hilfe");
    assert!(
        k.shows("Hilfe ist unterwegs. Eine Mitarbeiterin oder ein Mitarbeiter kommt zu Ihnen.")
    );
    wait_for("the help request", || {
        health(&bo).contains(&("help".into(), "requested".into()))
    });
    k.touch("Neu beginnen");
    wait_for("the help request to clear", || {
        !health(&bo).iter().any(|(d, _)| d == "help")
    });
}

/// Settles the kiosk until `done` holds for its screen.
fn settle_until(k: &Kiosk, what: &str, done: impl Fn(&kiosk::flow::Screen) -> bool) {
    let start = Instant::now();
    loop {
        k.settle();
        if done(&k.screen()) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_supervisors_lock_takes_the_terminal_out_of_service_and_back() {
    use kiosk::flow::Screen;
    let bo = RealBackOffice::start();
    let k = Kiosk::with_config(bo.client(), None, Duration::from_millis(300));
    let supervisor = bo.staff("leitung");
    let terminal = format!(
        "/api/v1/staff/console/terminals/{}",
        backoffice::demo::TERMINAL
    );
    let (status, _) = bo.runtime.block_on(supervisor.post(
        &format!("{terminal}/lock"),
        serde_json::json!({ "message": "Wartung bis 10 Uhr" }),
    ));
    assert!(status.is_success(), "locked through the console: {status}");
    settle_until(
        &k,
        "the lock",
        |s| matches!(s, Screen::OutOfService(m) if m.lock.as_deref() == Some("Wartung bis 10 Uhr")),
    );
    assert!(
        k.shows("Wartung bis 10 Uhr"),
        "the supervisor's message is on screen"
    );
    let (status, _) = bo
        .runtime
        .block_on(supervisor.post(&format!("{terminal}/unlock"), serde_json::json!({})));
    assert!(
        status.is_success(),
        "unlocked through the console: {status}"
    );
    settle_until(&k, "the unlock", |s| matches!(s, Screen::Start));
}
