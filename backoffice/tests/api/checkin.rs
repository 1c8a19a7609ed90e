//! Appointment check-in: every outcome a visitor can meet at the terminal.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::Harness;

async fn check_in(h: &Harness, number: &str, code: &str) -> (StatusCode, serde_json::Value) {
    h.post(
        "/api/v1/terminal/check-in",
        json!({ "booking_number": number, "code": code }),
    )
    .await
}

pub async fn checked_in_once_and_reprinted_after(h: &Harness) {
    let a = h.appointment_at(0).clone();
    let key = "first-attempt-0001";
    let body = json!({ "booking_number": a.booking_number, "code": a.code.to_lowercase() });
    let (status, first) = h
        .post_keyed("/api/v1/terminal/check-in", body.clone(), key)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["outcome"], "checked_in");
    let number = first["ticket"]["display_number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        number.starts_with('T'),
        "appointments have their own prefix: {number}"
    );
    assert!(
        first["ticket"]["status_url"]
            .as_str()
            .unwrap()
            .contains("/t/")
    );
    assert_eq!(
        first["ticket"]["office_name"],
        "Bürgeramt Saarbrücken-Mitte"
    );

    // The terminal's retry (lost answer) gets the very same answer, not a second ticket.
    let (status, replay) = h.post_keyed("/api/v1/terminal/check-in", body, key).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(replay, first);

    // The same key for another request is refused.
    let other = json!({ "booking_number": a.booking_number, "code": "XXXXX" });
    let (status, err) = h.post_keyed("/api/v1/terminal/check-in", other, key).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "idempotency_key_reused");

    // Checking in again later reprints the same ticket.
    let (status, again) = check_in(h, &a.booking_number, &a.code).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["outcome"], "already_checked_in");
    assert_eq!(again["ticket"]["display_number"], number.as_str());
}

pub async fn wrong_codes_are_counted_then_throttled(h: &Harness) {
    let a = h.appointment_at(-10).clone();
    let (status, err) = check_in(h, &a.booking_number, "ZZZZZ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["code"], "wrong_code");
    assert_eq!(err["error"]["field"], "code");
    assert_eq!(err["error"]["details"]["attempts_left"], 4);
    for _ in 0..4 {
        check_in(h, &a.booking_number, "ZZZZZ").await;
    }
    // Locked now, even with the right code.
    let (status, err) = check_in(h, &a.booking_number, &a.code).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(err["error"]["code"], "throttled");
    assert!(err["error"]["details"]["retry_at"].is_string());
}

pub async fn every_refusal_says_what_to_do(h: &Harness) {
    let (status, err) = check_in(h, "999999", "ABCDE").await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_booking"))
    );

    let early = h.appointment_at(60).clone();
    let (status, err) = check_in(h, &early.booking_number, &early.code).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("too_early"))
    );
    let from: jiff::Timestamp = err["error"]["details"]["check_in_from"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(from.as_second(), early.starts_at.as_second() - 30 * 60);

    let late = h.appointment_at(-60).clone();
    let (status, err) = check_in(h, &late.booking_number, &late.code).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("too_late"))
    );
    assert_eq!(
        err["error"]["details"]["walk_in_service_id"],
        late.service_id
    );

    let elsewhere = h
        .appointments
        .iter()
        .find(|a| a.office_id == backoffice::demo::OTHER_OFFICE)
        .unwrap()
        .clone();
    let (status, err) = check_in(h, &elsewhere.booking_number, &elsewhere.code).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("wrong_office"))
    );
    assert_eq!(
        err["error"]["details"]["office"]["name"],
        "Bürgeramt Dudweiler"
    );
    assert!(
        err["error"]["details"]["office"]["address"]
            .as_str()
            .unwrap()
            .contains("Rathausstraße")
    );

    let (status, err) = check_in(h, "12ab56", "ABCDE").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("booking_number"))
    );
}

pub async fn unknown_bookings_throttle_the_terminal(h: &Harness) {
    for i in 0..10 {
        let (status, _) = check_in(h, &format!("99990{i}"), "ABCDE").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, err) = check_in(h, "999911", "ABCDE").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{err}");
}

crate::both_backends!(
    checked_in_once_and_reprinted_after,
    wrong_codes_are_counted_then_throttled,
    every_refusal_says_what_to_do,
    unknown_bookings_throttle_the_terminal,
);
