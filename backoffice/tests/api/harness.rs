//! Test harness: a real back office on 127.0.0.1:0 over TLS with a temporary SQLite or
//! PostgreSQL database seeded with the demo office, and HTTPS clients for a terminal (client
//! certificate), staff (cookie + CSRF) and anonymous visitors.

use backoffice::api::Settings;
use backoffice::demo::{self, DemoAppointment};
use backoffice::server::{self, DevPki, Running};
use backoffice::store::Db;

#[path = "../common/test_db.rs"]
mod test_db;
use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::Value;
use tempfile::TempDir;

pub struct Harness {
    pub server: Running,
    pub pki: DevPki,
    pub appointments: Vec<DemoAppointment>,
    _dir: TempDir,
}

/// Runs a scenario against SQLite and, when `BT_TEST_POSTGRES_URL` is set (the test script
/// always sets it), against PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&$crate::harness::Harness::sqlite().await).await }
        )* }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(h) = $crate::harness::Harness::postgres().await { super::$name(&h).await }
            }
        )* }
    };
}

impl Harness {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::with(test_db::sqlite(dir.path()).await, dir).await
    }

    /// A fresh database on the test PostgreSQL server, or `None` (with a note) without one.
    pub async fn postgres() -> Option<Self> {
        let db = test_db::postgres().await?;
        Some(Self::with(db, tempfile::tempdir().unwrap()).await)
    }

    async fn with(db: Db, dir: TempDir) -> Self {
        let pki = server::ensure_dev_pki(&dir.path().join("tls")).unwrap();
        demo::seed(&db, &pki.terminal_fingerprint).await.unwrap();
        let appointments = demo::ensure_appointments(&db, jiff::Timestamp::now())
            .await
            .unwrap();
        let server = server::start(
            "127.0.0.1:0".parse().unwrap(),
            db,
            &pki.server,
            Settings::default(),
        )
        .await
        .unwrap();
        Self {
            server,
            pki,
            appointments,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.server.addr.port())
    }

    fn ca(&self) -> Certificate {
        Certificate::from_pem(&std::fs::read(&self.pki.server.ca).unwrap()).unwrap()
    }

    /// A client that trusts the deployment CA and presents no certificate.
    pub fn anonymous(&self) -> Client {
        Client::builder()
            .tls_certs_only([self.ca()])
            .cookie_store(true)
            .build()
            .unwrap()
    }

    /// The demo terminal's client.
    pub fn terminal(&self) -> Client {
        let mut pem = std::fs::read(&self.pki.terminal_cert).unwrap();
        pem.extend(std::fs::read(&self.pki.terminal_key).unwrap());
        Client::builder()
            .tls_certs_only([self.ca()])
            .identity(Identity::from_pem(&pem).unwrap())
            .build()
            .unwrap()
    }

    /// POSTs as the terminal with a fresh idempotency key.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.post_keyed(path, body, &uuid::Uuid::new_v4().to_string())
            .await
    }

    pub async fn post_keyed(&self, path: &str, body: Value, key: &str) -> (StatusCode, Value) {
        let r = self
            .terminal()
            .post(self.url(path))
            .header("idempotency-key", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.terminal().get(self.url(path)).send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The demo appointment `minutes` from now (rounded to the 10-minute grid) at the main office.
    pub fn appointment_at(&self, minutes: i64) -> &DemoAppointment {
        // The appointment at index 12 is the one "now" (see demo::appointments_around).
        let slot = self.appointments[12].starts_at.as_second() + minutes * 60;
        self.appointments
            .iter()
            .find(|a| a.starts_at.as_second() == slot && a.office_id == demo::OFFICE)
            .expect("demo appointment on the grid")
    }

    /// Logs a demo staff member in and returns their client and CSRF token.
    pub async fn staff(&self, user: &str) -> Staff {
        let password = demo::STAFF.iter().find(|s| s.0 == user).unwrap().3;
        let client = self.anonymous();
        let r = client
            .post(self.url("/api/v1/staff/login"))
            .json(&serde_json::json!({ "username": user, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login of {user}");
        let me: Value = r.json().await.unwrap();
        Staff {
            client,
            csrf: me["csrf_token"].as_str().unwrap().to_owned(),
            base: self.url(""),
        }
    }
}

/// A logged-in staff member's browser.
pub struct Staff {
    pub client: Client,
    pub csrf: String,
    base: String,
}

impl Staff {
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}
