//! Offline mode end to end: the back office goes down, a walk-in ticket still comes out from
//! the reserved block, the back office comes back, and the ticket appears in its queue exactly
//! once (a second upload is a duplicate).

use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosk::backend::https::HttpsBackOffice;
use kiosk::flow::{Origin, PrintState, Screen};

use crate::harness::{Kiosk, RealBackOffice};

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn offline_ticket_is_printed_then_filed_exactly_once() {
    let bo = RealBackOffice::start();
    let journal_dir = tempfile::tempdir().unwrap();
    let journal_path = journal_dir.path().join("journal.db");
    let mut config = bo.client_config();
    config.breaker_cooldown = Duration::from_millis(200);
    config.retry.attempts = 1;
    let client = Arc::new(HttpsBackOffice::new(config).unwrap());
    let k = Kiosk::with_config(
        client,
        Some(journal_path.clone()),
        Duration::from_millis(300),
    );

    let journal = bo
        .runtime
        .block_on(kiosk::offline::Journal::open(&journal_path))
        .unwrap();
    let day = jiff::Timestamp::now()
        .to_zoned(kiosk::format::office_tz())
        .date()
        .to_string();
    wait_for("the offline block", || {
        bo.runtime.block_on(journal.numbers_left(&day)).unwrap() > 0
    });

    let mut bo = bo;
    let addr = bo.stop();
    k.touch("Nummer ziehen");
    k.touch("Wohnsitz anmelden oder ummelden");
    let number = match k.screen() {
        Screen::Ticket {
            ticket,
            print: PrintState::Printed,
            ..
        } if ticket.origin == Origin::Offline => ticket.number,
        other => panic!("expected a printed offline ticket, got {other:?}"),
    };
    assert!(number.starts_with('Z'), "offline prefix: {number}");
    assert!(
        k.printer
            .printed()
            .iter()
            .any(|t| t.lines.iter().any(|l| l.contains(&number)))
    );
    k.settle();
    assert!(k.app.flow().offline(), "the terminal knows it is offline");

    bo.restart(addr);
    wait_for("the replay", || {
        bo.runtime.block_on(journal.pending()).unwrap().is_empty()
    });
    let count = |bo: &RealBackOffice| {
        let db = bo.db();
        bo.runtime
            .block_on(db.tickets_of_day(backoffice::demo::OFFICE, &day))
            .unwrap()
            .iter()
            .filter(|t| t.display_number == number)
            .count()
    };
    assert_eq!(count(&bo), 1, "in the staff queue once");

    // Filing the same ticket again changes nothing.
    let again = kiosk::offline::OfflineTicket {
        display_number: number.clone(),
        service_id: "anmeldung".into(),
        issued_at: jiff::Timestamp::now().to_string(),
    };
    let client = bo.client();
    let _ = bo
        .runtime
        .block_on(kiosk::backend::BackOffice::offline_tickets(
            client.as_ref(),
            std::slice::from_ref(&again),
        ));
    assert_eq!(count(&bo), 1, "still once");
    wait_for("online again", || {
        k.settle();
        !k.app.flow().offline()
    });
}
