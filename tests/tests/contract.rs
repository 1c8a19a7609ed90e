//! The terminal contract holds: every kind of answer the reference back office gives a terminal
//! parses into the contract's types with known codes, reads as the right outcome on the kiosk
//! (through its real HTTPS client), and is described in the OpenAPI document under its route
//! and status.

use std::collections::BTreeSet;

use backoffice_testkit::TestBackOffice;
use kiosk::backend::BackOffice;
use kiosk::backend::https::{HttpsBackOffice, HttpsConfig};
use kiosk::flow::{CheckInOutcome, WalkInOutcome};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use terminal_api::{
    ErrorBody, ErrorCode, HeartbeatResponse, OfflineBlock, OfflineOutcome, OfflineResult,
    ServicesResponse, TicketOutcome, TicketResponse, paths,
};

/// The answers seen: (method, route, status).
#[derive(Default)]
struct Seen(BTreeSet<(String, String, u16)>);

impl Seen {
    fn record(&mut self, method: &str, route: &str, status: StatusCode) {
        self.0
            .insert((method.to_owned(), route.to_owned(), status.as_u16()));
    }
}

fn typed<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("not the contract's shape ({e}): {body}"))
}

/// An error body whose code this side of the contract knows.
fn refusal(body: &Value, code: ErrorCode) -> ErrorBody {
    let e: ErrorBody = typed(body);
    assert_eq!(e.error.code, code, "{body}");
    assert!(
        !e.error.request_id.is_empty(),
        "every error names its request"
    );
    e
}

fn booking(h: &TestBackOffice, minutes: i64) -> (String, String) {
    let a = h.appointment_at(minutes);
    (a.booking_number.clone(), a.code.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_parses_on_the_kiosk_and_is_in_the_openapi_document() {
    let h = TestBackOffice::sqlite().await;
    let mut seen = Seen::default();
    let post = "post";

    // Services.
    let (status, body) = h.get(paths::SERVICES).await;
    seen.record("get", paths::SERVICES, status);
    let services: ServicesResponse = typed(&body);
    assert!(!services.groups.is_empty());
    let anonymous = h
        .anonymous()
        .get(h.url(paths::SERVICES))
        .send()
        .await
        .unwrap();
    seen.record("get", paths::SERVICES, anonymous.status());
    refusal(
        &anonymous.json().await.unwrap(),
        ErrorCode::ClientCertificateRequired,
    );

    // Walk-in: a ticket, an unknown service, a missing key.
    let walk_in = json!({ "service_id": "personalausweis" });
    let (status, body) = h.post(paths::WALK_IN, walk_in.clone()).await;
    seen.record(post, paths::WALK_IN, status);
    assert_eq!(
        typed::<TicketResponse>(&body).outcome,
        TicketOutcome::WalkIn
    );
    let (status, body) = h
        .post(paths::WALK_IN, json!({ "service_id": "nope" }))
        .await;
    seen.record(post, paths::WALK_IN, status);
    refusal(&body, ErrorCode::UnknownService);
    let r = h
        .terminal()
        .post(h.url(paths::WALK_IN))
        .json(&walk_in)
        .send()
        .await
        .unwrap();
    seen.record(post, paths::WALK_IN, r.status());
    refusal(&r.json().await.unwrap(), ErrorCode::IdempotencyKeyMissing);
    let (status, body) = h
        .post_keyed(paths::WALK_IN, walk_in.clone(), "contract-key-1")
        .await;
    seen.record(post, paths::WALK_IN, status);
    let (status, body2) = h
        .post_keyed(
            paths::WALK_IN,
            json!({ "service_id": "reisepass" }),
            "contract-key-1",
        )
        .await;
    seen.record(post, paths::WALK_IN, status);
    typed::<TicketResponse>(&body);
    refusal(&body2, ErrorCode::IdempotencyKeyReused);

    // Check-in: every outcome.
    let check_in =
        |(number, code): (String, String)| json!({ "booking_number": number, "code": code });
    let now = booking(&h, 0);
    for (request, expected) in [
        (check_in(now.clone()), Ok(TicketOutcome::CheckedIn)),
        (check_in(now.clone()), Ok(TicketOutcome::AlreadyCheckedIn)),
        (
            check_in(("999999".into(), "ABCD".into())),
            Err(ErrorCode::UnknownBooking),
        ),
        (
            check_in((booking(&h, 10).0, "ZZZZ".into())),
            Err(ErrorCode::WrongCode),
        ),
        (check_in(booking(&h, 80)), Err(ErrorCode::TooEarly)),
        (check_in(booking(&h, -60)), Err(ErrorCode::TooLate)),
        (
            check_in(("12".into(), "ABCD".into())),
            Err(ErrorCode::InvalidBookingNumber),
        ),
        (
            check_in(("123456".into(), "AB".into())),
            Err(ErrorCode::InvalidCode),
        ),
        (
            json!({ "booking_number": "123456" }),
            Err(ErrorCode::InvalidField),
        ),
    ] {
        let (status, body) = h.post(paths::CHECK_IN, request).await;
        seen.record(post, paths::CHECK_IN, status);
        match expected {
            Ok(outcome) => assert_eq!(typed::<TicketResponse>(&body).outcome, outcome),
            Err(code) => {
                refusal(&body, code);
            }
        }
    }
    let other = &h.appointments()[30];
    let (status, body) = h
        .post(
            paths::CHECK_IN,
            check_in((other.booking_number.clone(), other.code.clone())),
        )
        .await;
    seen.record(post, paths::CHECK_IN, status);
    refusal(&body, ErrorCode::WrongOffice);

    // Heartbeat, offline block and upload.
    let beat = json!({ "app_version": "1", "config_version": "c1",
        "devices": [{ "device": "ticket_printer", "state": "paper_low" }],
        "help": { "requested_at": "2026-12-01T09:00:00Z" } });
    let (status, body) = h.post(paths::HEARTBEAT, beat).await;
    seen.record(post, paths::HEARTBEAT, status);
    assert_eq!(typed::<HeartbeatResponse>(&body).locked_message, None);
    let (status, body) = h.post(paths::OFFLINE_BLOCK, json!({ "count": 5 })).await;
    seen.record(post, paths::OFFLINE_BLOCK, status);
    let block: OfflineBlock = typed(&body);
    let (status, body) = h.post(paths::OFFLINE_BLOCK, json!({ "count": 0 })).await;
    seen.record(post, paths::OFFLINE_BLOCK, status);
    refusal(&body, ErrorCode::InvalidField);
    let upload = json!({ "tickets": [
        { "display_number": format!("{}{:03}", block.prefix, block.first), "service_id": "anmeldung",
          "issued_at": jiff::Timestamp::now().to_string() },
        { "display_number": "Q999", "service_id": "anmeldung", "issued_at": "2026-12-01T09:00:00Z" } ] });
    let (status, body) = h.post(paths::OFFLINE_TICKETS, upload).await;
    seen.record(post, paths::OFFLINE_TICKETS, status);
    let results: Vec<OfflineResult> = typed(&body);
    let outcomes: Vec<_> = results.iter().map(|r| r.result).collect();
    assert_eq!(
        outcomes,
        [OfflineOutcome::Accepted, OfflineOutcome::Rejected]
    );

    // The OpenAPI document lists every status seen under its route.
    let doc = h.openapi().await;
    for (method, route, status) in &seen.0 {
        let responses = &doc["paths"][route][method]["responses"];
        assert!(
            responses.get(status.to_string()).is_some(),
            "{method} {route} answered {status}, which the OpenAPI document does not list: {responses}"
        );
    }
    let key = doc["paths"][paths::WALK_IN]["post"]["parameters"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == paths::IDEMPOTENCY_KEY))
        .cloned()
        .expect("the Idempotency-Key header is documented");
    assert_eq!(key["required"], true);
    assert_eq!(key["schema"]["minLength"], 8);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_reads_every_outcome_as_the_visitor_should_see_it() {
    let h = TestBackOffice::sqlite().await;
    let pki = h.pki();
    let config = HttpsConfig::from_files(
        h.url(""),
        &pki.server.ca,
        &pki.terminal_cert,
        &pki.terminal_key,
    )
    .unwrap();
    let kiosk = HttpsBackOffice::new(config).unwrap();

    assert!(!kiosk.services().await.unwrap().groups.is_empty());
    assert!(matches!(
        kiosk.walk_in("personalausweis").await.unwrap(),
        WalkInOutcome::Issued(_)
    ));
    assert!(matches!(
        kiosk.walk_in("nope").await.unwrap(),
        WalkInOutcome::Refused(_)
    ));
    let (number, code) = booking(&h, 0);
    assert!(matches!(
        kiosk.check_in(&number, &code).await.unwrap(),
        CheckInOutcome::CheckedIn(_)
    ));
    assert!(matches!(
        kiosk.check_in(&number, &code).await.unwrap(),
        CheckInOutcome::AlreadyCheckedIn(_)
    ));
    assert_eq!(
        kiosk.check_in("999999", "ABCD").await.unwrap(),
        CheckInOutcome::UnknownBooking
    );
    assert_eq!(
        kiosk.check_in(&booking(&h, 10).0, "ZZZZ").await.unwrap(),
        CheckInOutcome::WrongCode {
            attempts_left: Some(4)
        }
    );
    let (number, code) = booking(&h, 80);
    assert!(matches!(
        kiosk.check_in(&number, &code).await.unwrap(),
        CheckInOutcome::TooEarly {
            check_in_from: Some(_)
        }
    ));
    let (number, code) = booking(&h, -60);
    assert!(matches!(
        kiosk.check_in(&number, &code).await.unwrap(),
        CheckInOutcome::TooLate {
            walk_in_service_id: Some(_)
        }
    ));
    let other = &h.appointments()[30];
    match kiosk
        .check_in(&other.booking_number, &other.code)
        .await
        .unwrap()
    {
        CheckInOutcome::WrongOffice { name, address } => {
            assert!(!name.is_empty() && !address.is_empty());
        }
        outcome => panic!("expected the other office, got {outcome:?}"),
    }
    let beat = kiosk::heartbeat::build(
        "1",
        "c1",
        &kiosk::heartbeat::Observed {
            printer: devices::health::DeviceState::PaperOut,
            scanner: None,
            help: Some(jiff::Timestamp::now()),
        },
    );
    assert_eq!(kiosk.heartbeat(&beat).await.unwrap(), None);
    let block = kiosk.offline_block(3).await.unwrap();
    let ticket = kiosk::offline::OfflineTicket {
        display_number: format!("{}{:03}", block.prefix, block.first),
        service_id: "anmeldung".into(),
        issued_at: jiff::Timestamp::now().to_string(),
        booking_number: None,
    };
    let filed = kiosk
        .offline_tickets(std::slice::from_ref(&ticket))
        .await
        .unwrap();
    assert_eq!(
        filed,
        [(ticket.display_number.clone(), OfflineOutcome::Accepted)]
    );
    let again = kiosk.offline_tickets(&[ticket]).await.unwrap();
    assert_eq!(again[0].1, OfflineOutcome::Duplicate);
    h.stop().await;
}
