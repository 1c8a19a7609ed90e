//! The console's API and pages over HTTPS, without a browser: security headers, assets, roles
//! on every new action, help acknowledgement, terminal locks reaching the heartbeat, counters,
//! and the public call stream.

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Harness as Office;

pub async fn pages_carry_a_strict_policy_and_assets_are_served(office: &Office) {
    let c = office.anonymous();
    for page in [
        "/console",
        "/display/sb-mitte",
        "/t/0123456789abcdef0123456789abcdef",
        "/assets/console.js",
        "/assets/chime.wav",
        "/assets/alert.wav",
    ] {
        let r = c.get(office.url(page)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{page}");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    let html = c
        .get(office.url("/console"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline script or style"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from another origin"
    );
    let wav = c.get(office.url("/assets/chime.wav")).send().await.unwrap();
    assert_eq!(wav.headers()["content-type"], "audio/wav");
    assert_eq!(&wav.bytes().await.unwrap()[0..4], b"RIFF");
    // Every file a page refers to is served.
    for page in [
        "/console",
        "/display/sb-mitte",
        "/t/0123456789abcdef0123456789abcdef",
    ] {
        let html = c
            .get(office.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for reference in html.split('"').filter(|part| part.starts_with("/assets/")) {
            let r = c.get(office.url(reference)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{page} refers to {reference}");
        }
    }
    assert_eq!(
        c.get(office.url("/assets/nope.js"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

pub async fn help_requests_are_acknowledged_once_and_ring_again_when_new(office: &Office) {
    let anna = office.staff("schalter1").await;
    let (status, err) = anna
        .post(
            "/api/v1/staff/console/terminals/terminal-1/help-ack",
            json!({}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("no_help_request"))
    );
    office
        .heartbeat_asking_help(json!([]), Some("2026-12-01T09:00:00Z"))
        .await;
    let (_, list) = anna.get("/api/v1/staff/console/terminals").await;
    assert_eq!(list[0]["help"]["acknowledged"], false);
    let (status, _) = anna
        .post(
            "/api/v1/staff/console/terminals/terminal-1/help-ack",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = anna.get("/api/v1/staff/console/terminals").await;
    assert_eq!(
        (
            list[0]["help"]["acknowledged"].as_bool(),
            list[0]["help"]["acknowledged_by"].as_str()
        ),
        (Some(true), Some("schalter1"))
    );
    // A new request (a later time) rings again.
    office
        .heartbeat_asking_help(json!([]), Some("2026-12-01T09:05:00Z"))
        .await;
    let (_, list) = anna.get("/api/v1/staff/console/terminals").await;
    assert_eq!(list[0]["help"]["acknowledged"], false);
    // Without the CSRF token the acknowledgement is refused.
    let r = anna
        .client
        .post(office.url("/api/v1/staff/console/terminals/terminal-1/help-ack"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The terminal's certificate alone cannot reach staff endpoints.
    let r = office
        .terminal()
        .get(office.url("/api/v1/staff/console/terminals"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

pub async fn only_supervisors_lock_terminals_and_the_lock_reaches_the_heartbeat(office: &Office) {
    let anna = office.staff("schalter1").await;
    let lead = office.staff("leitung").await;
    let body = json!({ "message": "Außer Betrieb – bitte an die Information wenden" });
    let (status, _) = anna
        .post(
            "/api/v1/staff/console/terminals/terminal-1/lock",
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        office.heartbeat(json!([])).await["locked_message"],
        Value::Null
    );
    let (status, _) = lead
        .post(
            "/api/v1/staff/console/terminals/terminal-1/lock",
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        office.heartbeat(json!([])).await["locked_message"],
        body["message"]
    );
    let (_, list) = anna.get("/api/v1/staff/console/terminals").await;
    assert_eq!(list[0]["lock"]["locked_by"], "leitung");
    assert_eq!(
        anna.post(
            "/api/v1/staff/console/terminals/terminal-1/unlock",
            json!({})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lead.post(
            "/api/v1/staff/console/terminals/terminal-1/unlock",
            json!({})
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        office.heartbeat(json!([])).await["locked_message"],
        Value::Null
    );
    let (status, _) = lead
        .post(
            "/api/v1/staff/console/terminals/terminal-1/lock",
            json!({ "message": "a\u{0007}b" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "control characters are refused"
    );
}

pub async fn the_public_call_stream_shows_numbers_and_counters_only(office: &Office) {
    let (number, _) = office.walk_in("anmeldung").await;
    let c = office.anonymous();
    assert_eq!(
        c.get(office.url("/api/v1/public/offices/nowhere/calls"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let stream = c
        .get(office.url("/api/v1/public/offices/sb-mitte/calls/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut bytes = stream.bytes_stream();
    let anna = office.staff("schalter1").await;
    anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-2" }))
        .await;
    let (status, _) = anna.post("/api/v1/staff/call-next", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !seen.contains("event: called") {
        let chunk = tokio::time::timeout_at(deadline, bytes.next())
            .await
            .expect("call within 5 s")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = seen
        .lines()
        .skip_while(|l| *l != "event: called")
        .nth(1)
        .unwrap()
        .trim_start_matches("data: ");
    let call: Value = serde_json::from_str(data).unwrap();
    assert_eq!(call["display_number"], number.as_str());
    assert_eq!(call["counter"], "Platz 2");
    assert_eq!(
        call.as_object().unwrap().len(),
        3,
        "number, counter, time — nothing else: {call}"
    );
    let recent: Value = c
        .get(office.url("/api/v1/public/offices/sb-mitte/calls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(recent["calls"][0]["display_number"], number.as_str());
    assert_eq!(recent["calls"][0]["counter"], "Platz 2");
}

pub async fn counters_show_who_works_there(office: &Office) {
    let anna = office.staff("schalter1").await;
    let (_, list) = anna.get("/api/v1/staff/console/counters").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["staff"].as_array().unwrap().is_empty())
    );
    anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-3" }))
        .await;
    let (_, list) = anna.get("/api/v1/staff/console/counters").await;
    let platz3 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "platz-3")
        .unwrap();
    assert_eq!(platz3["staff"], json!(["Anna Becker"]));
    assert_eq!(platz3["name"], "Platz 3");
}

/// Comments keep proxies from closing the stream, but scripts cannot see them: the `ping`
/// event lets a display notice a dead connection.
pub async fn public_streams_ping(office: &Office) {
    let c = office.anonymous();
    let stream = c
        .get(office.url("/api/v1/public/offices/sb-mitte/calls/events"))
        .send()
        .await
        .unwrap();
    let mut bytes = stream.bytes_stream();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now()
        + backoffice::api::console_calls::PING_INTERVAL
        + std::time::Duration::from_secs(3);
    while !seen.contains("event: ping") {
        let chunk = tokio::time::timeout_at(deadline, bytes.next())
            .await
            .expect("a ping within the interval")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.starts_with("event: hello"), "{seen}");
}

crate::both_backends!(
    public_streams_ping,
    pages_carry_a_strict_policy_and_assets_are_served,
    help_requests_are_acknowledged_once_and_ring_again_when_new,
    only_supervisors_lock_terminals_and_the_lock_reaches_the_heartbeat,
    the_public_call_stream_shows_numbers_and_counters_only,
    counters_show_who_works_there,
);
