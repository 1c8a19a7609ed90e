//! Offline mode end to end: the back office goes down, a walk-in ticket (or an appointment
//! check-in's ticket) still comes out from the reserved block, the back office comes back, and
//! the ticket appears in its queue exactly once (a second upload is a duplicate), a check-in
//! linked to its appointment.

use std::sync::Arc;
use std::time::Duration;

use kiosk::backend::https::HttpsBackOffice;
use kiosk::flow::{Origin, PrintState, Screen};

use crate::harness::{Kiosk, RealBackOffice, wait_for};

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
    let paper = k.printer.printed();
    let ticket = paper
        .iter()
        .find(|t| t.lines.iter().any(|l| l.contains(&number)))
        .expect("the offline number is on paper");
    assert!(
        !ticket
            .lines
            .iter()
            .any(|l| l.contains("Personen vor Ihnen") || l.contains("Wartezeit")),
        "offline nobody knows the queue, so the paper claims no figures: {:?}",
        ticket.lines
    );
    k.settle();
    assert!(k.app.flow().offline(), "the terminal knows it is offline");

    bo.restart(addr);
    wait_for("the replay", || {
        bo.runtime.block_on(journal.pending()).unwrap().is_empty()
    });
    let count = |bo: &RealBackOffice| {
        bo.queue()
            .iter()
            .filter(|t| t["display_number"] == number.as_str())
            .count()
    };
    assert_eq!(count(&bo), 1, "in the staff queue once");

    // Filing the same ticket again changes nothing.
    let again = kiosk::offline::OfflineTicket {
        display_number: number.clone(),
        service_id: "anmeldung".into(),
        issued_at: jiff::Timestamp::now().to_string(),
        booking_number: None,
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

#[test]
fn offline_check_in_prints_a_ticket_and_is_linked_to_the_appointment_exactly_once() {
    let mut bo = RealBackOffice::start();
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
    let appointment = bo.appointments[12].clone();
    assert_eq!(
        bo.booking(0),
        format!("BT1:{}:{}", appointment.booking_number, appointment.code)
    );

    let addr = bo.stop();
    k.settle_until("the terminal to notice", |k| k.app.flow().offline());
    k.touch("Ich habe einen Termin");
    assert!(
        k.shows("Das Terminal arbeitet gerade offline. Ihr Termin wird am Schalter bestätigt."),
        "the check-in screen says calmly that it works offline"
    );
    k.type_keys(&appointment.booking_number);
    k.touch("Weiter: der Code");
    k.type_keys(&appointment.code);
    k.touch("Anmelden");
    let number = match k.screen() {
        Screen::Ticket {
            ticket,
            print: PrintState::Printed,
            ..
        } if ticket.origin == Origin::OfflineCheckIn => ticket.number,
        other => panic!("expected a printed offline check-in ticket, got {other:?}"),
    };
    assert!(number.starts_with('Z'), "offline prefix: {number}");
    assert!(k.shows(
        "Das Terminal arbeitet gerade offline. Ihre Nummer ist gültig; Ihr Termin wird am \
         Schalter bestätigt."
    ));
    let paper = k.printer.printed();
    assert!(paper[0].lines.iter().any(|l| l.contains(&number)));
    assert!(
        paper[0].lines.iter().any(|l| l.contains("am Schalter")),
        "the ticket says the counter confirms the appointment: {:?}",
        paper[0].lines
    );
    let pending = bo.runtime.block_on(journal.pending()).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].booking_number.as_deref(),
        Some(appointment.booking_number.as_str()),
        "the journal records the booking number, the only datum"
    );

    bo.restart(addr);
    wait_for("the replay", || {
        bo.runtime.block_on(journal.pending()).unwrap().is_empty()
    });
    let filed = |bo: &RealBackOffice| {
        bo.queue()
            .into_iter()
            .filter(|t| t["display_number"] == number.as_str())
            .collect::<Vec<_>>()
    };
    let tickets = filed(&bo);
    assert_eq!(tickets.len(), 1, "in the staff queue once");
    let at: jiff::Timestamp = tickets[0]["appointment_at"]
        .as_str()
        .expect("linked to an appointment")
        .parse()
        .unwrap();
    assert_eq!(at, appointment.starts_at, "linked to this appointment");
    assert_eq!(
        tickets[0]["service_id"], appointment.service_id,
        "filed under the appointment's service"
    );

    // The journal replayed after a crash changes nothing.
    let again = kiosk::offline::OfflineTicket {
        booking_number: Some(appointment.booking_number.clone()),
        ..pending[0].clone()
    };
    let client = bo.client();
    let _ = bo
        .runtime
        .block_on(kiosk::backend::BackOffice::offline_tickets(
            client.as_ref(),
            std::slice::from_ref(&again),
        ));
    assert_eq!(filed(&bo).len(), 1, "still once");

    // Checking in again, online, reprints the same number.
    k.settle_until("online again", |k| !k.app.flow().offline());
    k.touch("Neu beginnen");
    k.scan(&bo.booking(0));
    match k.screen() {
        Screen::Ticket {
            ticket,
            reprint: true,
            ..
        } => assert_eq!(ticket.number, number),
        other => panic!("expected the same ticket again, got {other:?}"),
    }
    let log = crate::harness::log_text();
    assert!(!log.contains(&appointment.code), "the code is never logged");
    assert!(
        !log.contains(&appointment.booking_number),
        "nor the booking number"
    );
}
