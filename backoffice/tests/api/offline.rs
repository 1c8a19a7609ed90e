//! Offline numbers: reserved while online, uploaded later, filed exactly once.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::Harness;

pub async fn offline_tickets_appear_exactly_once(h: &Harness) {
    let (status, block) = h
        .post("/api/v1/terminal/offline-block", json!({ "count": 10 }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{block}");
    assert_eq!(
        (
            block["prefix"].as_str(),
            block["first"].as_u64(),
            block["last"].as_u64()
        ),
        (Some("Z"), Some(1), Some(10))
    );
    let (_, next) = h
        .post("/api/v1/terminal/offline-block", json!({ "count": 5 }))
        .await;
    assert_eq!(next["first"], 11);

    let a = h.appointment_at(10).clone();
    let now = jiff::Timestamp::now().to_string();
    let upload = json!({ "tickets": [
        { "display_number": "Z001", "service_id": "anmeldung", "issued_at": now },
        { "display_number": "Z002", "service_id": "personalausweis", "issued_at": now, "booking_number": a.booking_number },
        { "display_number": "Z099", "service_id": "anmeldung", "issued_at": now },
    ]});
    let (status, results) = h
        .post("/api/v1/terminal/offline-tickets", upload.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let outcome: Vec<_> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(outcome, ["accepted", "accepted", "rejected"]);

    // The terminal replays its journal after a crash with new keys: nothing is filed twice.
    let (_, again) = h.post("/api/v1/terminal/offline-tickets", upload).await;
    let outcome: Vec<_> = again
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(outcome, ["duplicate", "duplicate", "rejected"]);

    let anna = h.staff("schalter1").await;
    let (_, queue) = anna.get("/api/v1/staff/queue").await;
    let numbers: Vec<_> = queue["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["display_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.iter().filter(|n| **n == "Z001").count(), 1);
    assert_eq!(numbers.iter().filter(|n| **n == "Z002").count(), 1);
    let z002 = queue["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["display_number"] == "Z002")
        .unwrap();
    assert_eq!(
        z002["service_id"], a.service_id,
        "a check-in is filed under its appointment's service, not the terminal's guess"
    );

    // The booking printed offline is reconciled: checking in now reprints Z002.
    let (status, body) = h
        .post(
            "/api/v1/terminal/check-in",
            json!({ "booking_number": a.booking_number, "code": a.code }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["ticket"]["display_number"], "Z002");
}

crate::both_backends!(offline_tickets_appear_exactly_once);
