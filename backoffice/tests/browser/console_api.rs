//! The console's API and pages over HTTPS, without a browser: security headers, assets, roles
//! on every new action, help acknowledgement, terminal locks reaching the heartbeat, the
//! public call stream, statistics and CSV, and the supervisor's service editor.

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Office;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_policy_and_assets_are_served() {
    let office = Office::start().await;
    let c = office.anonymous();
    for page in [
        "/console",
        "/display/sb-mitte",
        "/t/0123456789abcdef0123456789abcdef",
        "/assets/console.js",
        "/assets/chime.wav",
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
    assert_eq!(
        c.get(office.url("/assets/nope.js"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_requests_are_acknowledged_once_and_ring_again_when_new() {
    let office = Office::start().await;
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
        .heartbeat(json!([{ "device": "help", "state": "requested", "detail": "r1" }]))
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
    // A new request (new detail) rings again.
    office
        .heartbeat(json!([{ "device": "help", "state": "requested", "detail": "r2" }]))
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_supervisors_lock_terminals_and_the_lock_reaches_the_heartbeat() {
    let office = Office::start().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_call_stream_shows_numbers_and_counters_only() {
    let office = Office::start().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_charts_and_csv() {
    let office = Office::start().await;
    office.walk_in("anmeldung").await;
    office.walk_in("anmeldung").await;
    let anna = office.staff("schalter1").await;
    anna.post("/api/v1/staff/counter", json!({ "counter_id": "platz-1" }))
        .await;
    let (_, t) = anna.post("/api/v1/staff/call-next", json!({})).await;
    let id = t["id"].as_i64().unwrap();
    anna.post(&format!("/api/v1/staff/tickets/{id}/start"), json!({}))
        .await;
    anna.post(&format!("/api/v1/staff/tickets/{id}/finish"), json!({}))
        .await;
    let (_, t) = anna.post("/api/v1/staff/call-next", json!({})).await;
    anna.post(
        &format!("/api/v1/staff/tickets/{}/no_show", t["id"]),
        json!({}),
    )
    .await;
    let (status, stats) = anna.get("/api/v1/staff/console/stats").await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(
        (
            stats["tickets"].as_u64(),
            stats["finished"].as_u64(),
            stats["no_shows"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        stats["tickets_per_hour"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_u64)
            .sum::<u64>(),
        2
    );
    let (status, _) = anna
        .get("/api/v1/staff/console/stats?from=2026-02-30")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for chart in ["hourly", "waits", "processing"] {
        let r = anna
            .client
            .get(office.url(&format!("/api/v1/staff/console/stats/charts/{chart}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
        let svg = r.text().await.unwrap();
        assert!(
            svg.starts_with("<svg") && !svg.contains("<script"),
            "{chart}"
        );
    }
    let csv = anna
        .client
        .get(office.url("/api/v1/staff/console/stats.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("day,service,origin,status"));
    assert!(
        lines.iter().any(|l| l.contains(",finished,"))
            && lines.iter().any(|l| l.contains(",no_show,"))
    );
    let r = office
        .anonymous()
        .get(office.url("/api/v1/staff/console/stats"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_supervisors_edit_services() {
    let office = Office::start().await;
    let anna = office.staff("schalter1").await;
    let lead = office.staff("leitung").await;
    let (_, services) = anna.get("/api/v1/staff/console/services").await;
    let s = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "fundsache")
        .unwrap()
        .clone();
    let mut update = json!({
        "names": s["names"], "waiting_area": s["waiting_area"], "average_minutes": 7,
        "walk_in": { "hours": s["walk_in"]["hours"], "daily_quota": 1 }, "closed_today": false,
    });
    let path = "/api/v1/staff/console/services/fundsache";
    assert_eq!(
        anna.send(reqwest::Method::PUT, path, update.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, saved) = lead.send(reqwest::Method::PUT, path, update.clone()).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        (
            saved["average_minutes"].as_u64(),
            saved["walk_in"]["daily_quota"].as_u64()
        ),
        (Some(7), Some(1))
    );
    // The quota now holds at the terminal.
    office.walk_in("fundsache").await;
    let r = office
        .terminal()
        .post(office.url("/api/v1/terminal/walk-in"))
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .json(&json!({ "service_id": "fundsache" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    update["names"]["de"] = json!("");
    assert_eq!(
        lead.send(reqwest::Method::PUT, path, update.clone())
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    update["names"] = json!({ "de": "Fundbüro", "xx": "?" });
    assert_eq!(
        lead.send(reqwest::Method::PUT, path, update).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_show_who_works_there() {
    let office = Office::start().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_set_the_traffic_light_thresholds() {
    let office = Office::start().await;
    office.walk_in("anmeldung").await;
    office.walk_in("anmeldung").await;
    let anna = office.staff("schalter1").await;
    let lead = office.staff("leitung").await;
    let light = |q: &Value| {
        q["lights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["service_id"] == "anmeldung")
            .unwrap()["light"]
            .clone()
    };
    assert_eq!(light(&anna.get("/api/v1/staff/queue").await.1), "green");
    let settings = json!({ "traffic_light": [0, 1], "max_calls": 2 });
    assert_eq!(
        anna.send(
            reqwest::Method::PUT,
            "/api/v1/staff/console/office",
            settings.clone()
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lead.send(
            reqwest::Method::PUT,
            "/api/v1/staff/console/office",
            settings.clone()
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        light(&anna.get("/api/v1/staff/queue").await.1),
        "red",
        "two waiting is above yellow = 1"
    );
    assert_eq!(anna.get("/api/v1/staff/console/office").await.1, settings);
    let bad = json!({ "traffic_light": [5, 5], "max_calls": 2 });
    assert_eq!(
        lead.send(reqwest::Method::PUT, "/api/v1/staff/console/office", bad)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}
