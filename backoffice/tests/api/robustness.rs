//! Bad input gets a 4xx with the one error body, never a 500; certificates are enforced.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Harness;

async fn raw_post(
    h: &Harness,
    path: &str,
    body: &'static str,
    content_type: &str,
) -> (StatusCode, Value) {
    let r = h
        .terminal()
        .post(h.url(path))
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let id = r
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["error"]["request_id"].as_str(),
        id.as_deref(),
        "request id in body and header"
    );
    (status, body)
}

pub async fn malformed_requests_get_clear_errors(h: &Harness) {
    let json = "application/json";
    let (s, e) = raw_post(h, "/api/v1/terminal/walk-in", "{\"service_id\": ", json).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("malformed_json"))
    );
    let (s, e) = raw_post(h, "/api/v1/terminal/walk-in", "{\"service_id\": 7}", json).await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("service_id"))
    );
    let (s, e) = raw_post(
        h,
        "/api/v1/terminal/walk-in",
        "{\"service_id\": \"x\", \"admin\": true}",
        json,
    )
    .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_field"))
    );
    assert!(e["error"]["message"].as_str().unwrap().contains("admin"));
    let (s, _) = raw_post(h, "/api/v1/terminal/walk-in", "service_id=x", "text/plain").await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, e) = raw_post(
        h,
        "/api/v1/terminal/check-in",
        "{\"booking_number\": \"12\\u0000456\", \"code\": \"AB\"}",
        json,
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("booking_number"))
    );
    let (s, e) = raw_post(
        h,
        "/api/v1/terminal/check-in",
        "{\"booking_number\": \"123456\", \"code\": \"A\\u202eBCDE\"}",
        json,
    )
    .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("code"))
    );
    let (s, e) = raw_post(h, "/api/v1/terminal/nothing-here", "{}", json).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    let huge = format!("{{\"service_id\": \"{}\"}}", "x".repeat(400 * 1024));
    let r = h
        .terminal()
        .post(h.url("/api/v1/terminal/walk-in"))
        .header("idempotency-key", "oversize-body-1")
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let r = h
        .terminal()
        .post(h.url("/api/v1/terminal/walk-in"))
        .json(&json!({ "service_id": "personalausweis" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "a POST without Idempotency-Key is refused"
    );
    let (s, e) = h
        .post(
            "/api/v1/terminal/heartbeat",
            json!({ "app_version": "1\u{7}", "config_version": "1", "devices": [] }),
        )
        .await;
    assert_eq!(
        (s, e["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("app_version"))
    );
}

pub async fn terminal_endpoints_need_an_enrolled_certificate(h: &Harness) {
    let r = h
        .anonymous()
        .get(h.url("/api/v1/terminal/services"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "client_certificate_required");

    // A certificate from another CA does not even get through the handshake.
    let stranger = provisioning::DeploymentCa::create("Somebody else", 1)
        .unwrap()
        .issue_terminal("x")
        .unwrap();
    let pem = format!("{}{}", stranger.cert_pem, stranger.key_pem);
    let ca = reqwest::Certificate::from_pem(&std::fs::read(&h.pki.server.ca).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .identity(reqwest::Identity::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    assert!(
        client
            .get(h.url("/api/v1/terminal/services"))
            .send()
            .await
            .is_err()
    );

    // A terminal certificate is no staff login.
    let r = h
        .terminal()
        .get(h.url("/api/v1/staff/queue"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

pub async fn openapi_and_health_are_served(h: &Harness) {
    let r = h.anonymous().get(h.url("/healthz")).send().await.unwrap();
    assert_eq!(r.text().await.unwrap(), "ok");
    let doc = h.openapi().await;
    for path in [
        "/api/v1/terminal/check-in",
        "/api/v1/terminal/walk-in",
        "/api/v1/staff/call-next",
        "/api/v1/public/tickets/{token}",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
}

crate::both_backends!(
    malformed_requests_get_clear_errors,
    terminal_endpoints_need_an_enrolled_certificate,
    openapi_and_health_are_served,
);
