//! Test harness: the real back office on 127.0.0.1:0 over TLS with the demo office in a
//! temporary SQLite database, HTTPS clients for the demo terminal and for staff, and (in
//! `browser.rs`) headless Chromium driven over WebDriver.

use backoffice::api::Settings;
use backoffice::demo;
use backoffice::server::{self, DevPki, Running};
use backoffice::store::Db;

#[path = "../common/test_db.rs"]
mod test_db;
use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

pub struct Office {
    pub server: Running,
    pub pki: DevPki,
    _dir: TempDir,
}

/// Runs each scenario `name(&Office)` against SQLite and, when `BT_TEST_POSTGRES_URL` is set
/// (scripts/test sets it), against PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(&$crate::harness::Office::start().await).await }
        )* }
        mod postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if let Some(office) = $crate::harness::Office::postgres().await { super::$name(&office).await }
            }
        )* }
    };
}

impl Office {
    /// The demo office on a fresh SQLite database.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::with(test_db::sqlite(dir.path()).await, dir).await
    }

    /// The demo office on a fresh database of the test PostgreSQL server, or `None` without one.
    pub async fn postgres() -> Option<Self> {
        let db = test_db::postgres().await?;
        Some(Self::with(db, tempfile::tempdir().unwrap()).await)
    }

    async fn with(db: Db, dir: TempDir) -> Self {
        let pki = server::ensure_dev_pki(&dir.path().join("tls")).unwrap();
        demo::seed(&db, &pki.terminal_fingerprint).await.unwrap();
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
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.server.addr.port())
    }

    fn ca(&self) -> Certificate {
        Certificate::from_pem(&std::fs::read(&self.pki.server.ca).unwrap()).unwrap()
    }

    pub fn anonymous(&self) -> Client {
        Client::builder()
            .tls_certs_only([self.ca()])
            .cookie_store(true)
            .build()
            .unwrap()
    }

    pub fn terminal(&self) -> Client {
        let mut pem = std::fs::read(&self.pki.terminal_cert).unwrap();
        pem.extend(std::fs::read(&self.pki.terminal_key).unwrap());
        Client::builder()
            .tls_certs_only([self.ca()])
            .identity(Identity::from_pem(&pem).unwrap())
            .build()
            .unwrap()
    }

    /// A walk-in ticket from the demo terminal: (display number, phone-page token).
    pub async fn walk_in(&self, service: &str) -> (String, String) {
        let r = self
            .terminal()
            .post(self.url("/api/v1/terminal/walk-in"))
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&json!({ "service_id": service }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        let token = body["ticket"]["status_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        (
            body["ticket"]["display_number"]
                .as_str()
                .unwrap()
                .to_owned(),
            token,
        )
    }

    /// A heartbeat from the demo terminal reporting `devices`; returns the answer.
    pub async fn heartbeat(&self, devices: Value) -> Value {
        let r = self
            .terminal()
            .post(self.url("/api/v1/terminal/heartbeat"))
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&json!({ "app_version": "0.1.0", "config_version": "7", "devices": devices }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// Logs a demo staff member in over the API.
    pub async fn staff(&self, user: &str) -> Staff {
        let password = demo::STAFF.iter().find(|s| s.0 == user).unwrap().3;
        let client = self.anonymous();
        let r = client
            .post(self.url("/api/v1/staff/login"))
            .json(&json!({ "username": user, "password": password }))
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

/// A logged-in staff member's HTTPS client.
pub struct Staff {
    pub client: Client,
    pub csrf: String,
    base: String,
}

impl Staff {
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
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, body).await
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
