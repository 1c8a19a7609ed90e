//! The front desk: login, counters, calling, the ticket's life, roles, live events.

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Harness;

async fn walk_in(h: &Harness, service: &str) -> Value {
    let (status, body) = h
        .post("/api/v1/terminal/walk-in", json!({ "service_id": service }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

pub async fn login_is_guarded(h: &Harness) {
    let c = h.anonymous();
    let login = |password: &'static str| {
        c.post(h.url("/api/v1/staff/login"))
            .json(&json!({ "username": "schalter1", "password": password }))
            .send()
    };
    let r = login("wrong").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = login("demo-schalter1").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    for flag in ["Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(flag), "{cookie} lacks {flag}");
    }
    // A state change without the CSRF token is refused even with the cookie.
    let r = c
        .post(h.url("/api/v1/staff/counter"))
        .json(&json!({ "counter_id": "platz-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for _ in 0..5 {
        login("wrong").await.unwrap();
    }
    assert_eq!(
        login("demo-schalter1").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

pub async fn a_visit_from_call_to_finish(h: &Harness) {
    let first = walk_in(h, "anmeldung").await;
    walk_in(h, "meldebescheinigung").await;
    let anna = h.staff("schalter1").await;
    let (status, err) = anna.post("/api/v1/staff/call-next", json!({})).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_counter"))
    );
    assert_eq!(
        anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-3" }))
            .await
            .0,
        StatusCode::OK
    );

    let (status, called) = anna.post("/api/v1/staff/call-next", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{called}");
    assert_eq!(called["display_number"], first["ticket"]["display_number"]);
    assert_eq!(called["status"], "called");
    assert_eq!(called["counter_id"], "platz-3");
    let id = called["id"].as_i64().unwrap();

    // The visitor's phone shows the counter, and nothing personal.
    let token = first["ticket"]["status_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let phone: Value = h
        .anonymous()
        .get(h.url(&format!("/api/v1/public/tickets/{token}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(phone["status"], "called");
    assert_eq!(phone["counter"], "Platz 3");
    let r = h
        .anonymous()
        .get(h.url("/api/v1/public/tickets/00000000000000000000000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let (status, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/start"), json!({}))
        .await;
    assert_eq!(
        (status, t["status"].as_str()),
        (StatusCode::OK, Some("in_service"))
    );
    let (status, t) = anna
        .post(
            &format!("/api/v1/staff/tickets/{id}/forward"),
            json!({ "service_id": "personalausweis" }),
        )
        .await;
    assert_eq!(
        (status, t["status"].as_str(), t["service_id"].as_str()),
        (StatusCode::OK, Some("forwarded"), Some("personalausweis"))
    );
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/call"), json!({}))
        .await;
    assert_eq!(t["status"], "called");
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/park"), json!({}))
        .await;
    assert_eq!(t["status"], "parked");
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/unpark"), json!({}))
        .await;
    assert_eq!(t["status"], "waiting");
    anna.post(&format!("/api/v1/staff/tickets/{id}/call"), json!({}))
        .await;
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/finish"), json!({}))
        .await;
    assert_eq!(t["status"], "finished");
    let (status, err) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/call"), json!({}))
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("illegal_transition"))
    );
}

pub async fn unanswered_calls_become_a_no_show(h: &Harness) {
    walk_in(h, "fundsache").await;
    let anna = h.staff("schalter1").await;
    anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-1" }))
        .await;
    let (_, t) = anna.post("/api/v1/staff/call-next", json!({})).await;
    let id = t["id"].as_i64().unwrap();
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/recall"), json!({}))
        .await;
    assert_eq!(
        (t["status"].as_str(), t["call_count"].as_u64()),
        (Some("called"), Some(2))
    );
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/recall"), json!({}))
        .await;
    assert_eq!(t["call_count"], 3);
    let (_, t) = anna
        .post(&format!("/api/v1/staff/tickets/{id}/recall"), json!({}))
        .await;
    assert_eq!(
        t["status"], "no_show",
        "the fourth call after three unanswered ones"
    );
}

pub async fn two_counters_pressing_next_get_different_people(h: &Harness) {
    for _ in 0..20 {
        walk_in(h, "personalausweis").await;
    }
    let anna = h.staff("schalter1").await;
    let murat = h.staff("schalter2").await;
    anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-1" }))
        .await;
    murat
        .post("/api/v1/staff/counter", json!({ "counter_id": "platz-2" }))
        .await;
    let mut called = Vec::new();
    for _ in 0..10 {
        let (a, b) = tokio::join!(
            anna.post("/api/v1/staff/call-next", json!({})),
            murat.post("/api/v1/staff/call-next", json!({}))
        );
        assert_eq!(
            (a.0, b.0),
            (StatusCode::OK, StatusCode::OK),
            "{} {}",
            a.1,
            b.1
        );
        called.push(a.1["display_number"].as_str().unwrap().to_owned());
        called.push(b.1["display_number"].as_str().unwrap().to_owned());
    }
    called.sort();
    called.dedup();
    assert_eq!(called.len(), 20, "someone was called twice: {called:?}");
}

pub async fn roles_and_live_events(h: &Harness) {
    let anna = h.staff("schalter1").await;
    assert_eq!(
        anna.get("/api/v1/admin/terminals").await.0,
        StatusCode::FORBIDDEN
    );
    let it = h.staff("it").await;
    let (status, list) = it.get("/api/v1/admin/terminals").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["id"], "terminal-1");
    assert_eq!(list[0]["online"], false);

    let stream = anna
        .client
        .get(h.url("/api/v1/staff/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut bytes = stream.bytes_stream();
    let devices =
        json!([{ "device": "ticket_printer", "state": "paper_out", "detail": "Papier leer" }]);
    let (status, _) = h
        .post(
            "/api/v1/terminal/heartbeat",
            json!({ "app_version": "0.1.0", "config_version": "7", "devices": devices }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !seen.contains("paper_out") {
        let chunk = tokio::time::timeout_at(deadline, bytes.next())
            .await
            .expect("event within 5 s")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: terminal"));
    let (_, list) = anna.get("/api/v1/staff/terminals").await;
    assert_eq!(list[0]["online"], true);
    assert_eq!(list[0]["devices"][0]["state"], "paper_out");
    assert_eq!(list[0]["config_version"], "7");
}

crate::both_backends!(
    login_is_guarded,
    a_visit_from_call_to_finish,
    unanswered_calls_become_a_no_show,
    two_counters_pressing_next_get_different_people,
    roles_and_live_events,
);
