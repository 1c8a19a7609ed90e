//! City IT's path end to end: the deployment CA (`provisioning`), a terminal that makes its
//! own key and sends a certificate signing request, enrollment of its fingerprint, and the
//! back office accepting it (and only it) over mutual TLS.

use backoffice_testkit::TestBackOffice;
use provisioning::{DeploymentCa, fingerprint_pem};
use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::{Value, json};

/// A terminal's own key and the certificate the CA signed for its request.
fn terminal_identity(ca: &DeploymentCa, terminal_id: &str) -> (String, Identity) {
    let key = rcgen::KeyPair::generate().unwrap();
    let csr = rcgen::CertificateParams::new(vec![])
        .unwrap()
        .serialize_request(&key)
        .unwrap()
        .pem()
        .unwrap();
    let cert = ca.sign_terminal_csr(&csr, terminal_id).unwrap();
    let identity = Identity::from_pem(format!("{cert}{}", key.serialize_pem()).as_bytes()).unwrap();
    (cert, identity)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enrolled_terminal_draws_a_ticket_and_an_unenrolled_one_cannot() {
    let office = TestBackOffice::sqlite().await;
    let tls = office.dir().join("tls");
    let read = |name: &str| std::fs::read_to_string(tls.join(name)).unwrap();
    let ca = DeploymentCa::load(&read("ca.pem"), &read("ca-key.pem")).unwrap();

    let (cert, enrolled) = terminal_identity(&ca, "terminal-2");
    office
        .server
        .state
        .db
        .insert_terminal(
            "terminal-2",
            backoffice::demo::OFFICE,
            "Eingangshalle rechts",
            &fingerprint_pem(&cert).unwrap(),
        )
        .await
        .unwrap();
    let (_, stranger) = terminal_identity(&ca, "terminal-3");

    let url = office.url("/api/v1/terminal/walk-in");
    let client = |identity: Identity| {
        Client::builder()
            .tls_certs_only([Certificate::from_pem(ca.cert_pem().as_bytes()).unwrap()])
            .identity(identity)
            .build()
            .unwrap()
    };
    let post = |c: Client| {
        let url = url.clone();
        async move {
            let r = c
                .post(url)
                .header("idempotency-key", "enrollment-test-1")
                .json(&json!({ "service_id": "anmeldung" }))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };

    let (status, body) = post(client(enrolled)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["ticket"]["display_number"], "B001");

    let (status, body) = post(client(stranger)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "unknown_terminal");
    office.stop().await;
}
