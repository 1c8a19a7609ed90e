//! The one test support of the project: a real back office with the demo office (its
//! certificates, demo data and today's appointments) on `127.0.0.1:0` over TLS, on a fresh
//! SQLite or PostgreSQL database, and HTTPS clients for the demo terminal (client
//! certificate), staff (session cookie and CSRF token) and anonymous visitors. Every harness
//! and benchmark starts its back office through here; it starts through
//! `backoffice::demo::start_with`, as demo mode does.

pub mod db;

use std::net::SocketAddr;
use std::path::Path;

use backoffice::api::Settings;
use backoffice::demo::{self, DemoAppointment, DemoBackOffice};
use backoffice::server::{DevPki, Running};
use backoffice::store::Db;
use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A running back office with the demo office and its data folder.
pub struct TestBackOffice {
    /// The server, its certificates and today's appointments.
    pub demo: DemoBackOffice,
    dir: TempDir,
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

impl TestBackOffice {
    /// On a fresh SQLite database.
    pub async fn sqlite() -> Self {
        Self::sqlite_with(Settings::default()).await
    }

    /// On a fresh SQLite database, with these settings.
    pub async fn sqlite_with(settings: Settings) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = db::sqlite(dir.path()).await;
        Self::on(db, dir, any_port(), settings).await
    }

    /// On a fresh database of the test PostgreSQL server, or `None` (with a note) without one.
    pub async fn postgres() -> Option<Self> {
        let db = db::postgres().await?;
        let dir = tempfile::tempdir().expect("a temporary folder");
        Some(Self::on(db, dir, any_port(), Settings::default()).await)
    }

    /// On `db`, with its certificates in `dir`, listening on `addr`.
    pub async fn on(db: Db, dir: TempDir, addr: SocketAddr, settings: Settings) -> Self {
        let demo = demo::start_with(dir.path(), db, addr, settings)
            .await
            .expect("the demo back office starts");
        Self { demo, dir }
    }

    /// Stops the server (open requests finish); the data folder stays for a restart.
    pub async fn stop(self) -> (TempDir, SocketAddr) {
        let addr = self.demo.server.addr;
        self.demo.server.stop().await;
        (self.dir, addr)
    }

    /// Starts again on the SQLite database and certificates a stopped one left in `dir`.
    pub async fn restart(dir: TempDir, addr: SocketAddr) -> Self {
        let db = db::sqlite(dir.path()).await;
        Self::on(db, dir, addr, Settings::default()).await
    }

    /// The server.
    pub fn server(&self) -> &Running {
        &self.demo.server
    }

    /// The certificates.
    pub fn pki(&self) -> &DevPki {
        &self.demo.pki
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Today's demo appointments.
    pub fn appointments(&self) -> &[DemoAppointment] {
        &self.demo.appointments
    }

    /// The demo appointment `minutes` from now (on the 10-minute grid) at the demo office.
    pub fn appointment_at(&self, minutes: i64) -> &DemoAppointment {
        self.demo
            .appointment_at(minutes)
            .expect("a demo appointment on the grid")
    }

    /// `https://localhost:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.demo.url())
    }

    fn ca(&self) -> Certificate {
        let pem = std::fs::read(&self.demo.pki.server.ca).expect("the CA certificate");
        Certificate::from_pem(&pem).expect("a PEM certificate")
    }

    /// A client that trusts the deployment CA and presents no certificate (keeps cookies).
    pub fn anonymous(&self) -> Client {
        Client::builder()
            .tls_certs_only([self.ca()])
            .cookie_store(true)
            .build()
            .expect("an HTTPS client")
    }

    /// The demo terminal's client (its client certificate).
    pub fn terminal(&self) -> Client {
        let pki = &self.demo.pki;
        let mut pem = std::fs::read(&pki.terminal_cert).expect("the terminal's certificate");
        pem.extend(std::fs::read(&pki.terminal_key).expect("the terminal's key"));
        Client::builder()
            .tls_certs_only([self.ca()])
            .identity(Identity::from_pem(&pem).expect("a PEM identity"))
            .build()
            .expect("an HTTPS client")
    }

    /// POSTs as the terminal with a fresh idempotency key.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.post_keyed(path, body, &new_key()).await
    }

    /// POSTs as the terminal with `key`.
    pub async fn post_keyed(&self, path: &str, body: Value, key: &str) -> (StatusCode, Value) {
        let r = self
            .terminal()
            .post(self.url(path))
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .expect("the back office answers");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// GETs as the terminal.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .terminal()
            .get(self.url(path))
            .send()
            .await
            .expect("the back office answers");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The OpenAPI document the back office serves.
    pub async fn openapi(&self) -> Value {
        let r = self
            .anonymous()
            .get(self.url("/api/v1/openapi.json"))
            .send()
            .await;
        r.expect("the back office answers")
            .json()
            .await
            .expect("the document is JSON")
    }

    /// A walk-in ticket from the demo terminal: (display number, phone-page token).
    pub async fn walk_in(&self, service: &str) -> (String, String) {
        let (status, body) = self
            .post("/api/v1/terminal/walk-in", json!({ "service_id": service }))
            .await;
        assert_eq!(status, StatusCode::CREATED, "walk-in: {body}");
        let text = |v: &Value| v.as_str().expect("a text").to_owned();
        let url = text(&body["ticket"]["status_url"]);
        let token = url.rsplit('/').next().unwrap_or_default().to_owned();
        (text(&body["ticket"]["display_number"]), token)
    }

    /// A heartbeat from the demo terminal reporting `devices`; returns the answer.
    pub async fn heartbeat(&self, devices: Value) -> Value {
        self.heartbeat_asking_help(devices, None).await
    }

    /// A heartbeat with a visitor's help request made at `requested_at` (RFC 3339), if any.
    pub async fn heartbeat_asking_help(&self, devices: Value, requested_at: Option<&str>) -> Value {
        let mut beat = json!({ "app_version": "0.1.0", "config_version": "7", "devices": devices });
        if let Some(at) = requested_at {
            beat["help"] = json!({ "requested_at": at });
        }
        let (status, body) = self.post("/api/v1/terminal/heartbeat", beat).await;
        assert_eq!(status, StatusCode::OK, "heartbeat: {body}");
        body
    }

    /// Logs a demo staff member in over the API.
    pub async fn staff(&self, user: &str) -> Staff {
        let password = demo::STAFF
            .iter()
            .find(|s| s.0 == user)
            .expect("a demo staff account")
            .3;
        let client = self.anonymous();
        let r = client
            .post(self.url("/api/v1/staff/login"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .expect("the back office answers");
        assert_eq!(r.status(), StatusCode::OK, "login of {user}");
        let me: Value = r.json().await.expect("JSON");
        Staff {
            client,
            csrf: me["csrf_token"].as_str().expect("a CSRF token").to_owned(),
            base: self.url(""),
        }
    }
}

/// The server, certificates and appointments read as fields (`h.server`, `h.pki`).
impl std::ops::Deref for TestBackOffice {
    type Target = DemoBackOffice;
    fn deref(&self) -> &DemoBackOffice {
        &self.demo
    }
}

fn any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A logged-in staff member's HTTPS client.
pub struct Staff {
    /// The client with the session cookie.
    pub client: Client,
    /// The session's CSRF token.
    pub csrf: String,
    base: String,
}

impl Staff {
    /// Sends `body` with the CSRF token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let r = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .expect("the back office answers");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POSTs with the CSRF token.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    /// GETs.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the back office answers");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}
