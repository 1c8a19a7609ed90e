//! The console's statistics (JSON, SVG charts, CSV) and the supervisor's settings (services,
//! traffic-light thresholds) over HTTPS, with the roles they need.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Harness as Office;

pub async fn statistics_charts_and_csv(office: &Office) {
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

pub async fn only_supervisors_edit_services(office: &Office) {
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

pub async fn supervisors_set_the_traffic_light_thresholds(office: &Office) {
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

crate::both_backends!(
    statistics_charts_and_csv,
    only_supervisors_edit_services,
    supervisors_set_the_traffic_light_thresholds,
);
