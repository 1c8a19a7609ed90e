//! The help button reaches the front desk: the heartbeat reports a help request (device `help`,
//! state `requested`) and the printer's health, and the request is cleared when the visitor
//! leaves.

use std::time::{Duration, Instant};

use crate::harness::{Kiosk, RealBackOffice};

fn health(bo: &RealBackOffice) -> Vec<(String, String)> {
    let db = bo.db();
    bo.runtime
        .block_on(db.terminals(Some(backoffice::demo::OFFICE)))
        .unwrap()
        .into_iter()
        .flat_map(|t| t.health)
        .map(|d| (d.device, d.state))
        .collect()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
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
