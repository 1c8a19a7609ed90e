//! The call display across a back-office restart: it shows clearly that the connection is
//! lost, reconnects by itself, and catches up on the call made while it was away.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::{Value, json};

use crate::browser::{Driver, eval, until};

/// A back office on its own thread and runtime, so that stopping it really closes every
/// connection (as a restart of the process would).
struct Detached {
    port: u16,
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Detached {
    fn start(dir: PathBuf, port: u16) -> Self {
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let addr = format!("127.0.0.1:{port}").parse().unwrap();
            let running = rt.block_on(backoffice::demo::start(&dir, addr)).unwrap();
            ready.send(running.server.addr.port()).unwrap();
            let _ = stopped.recv();
            // Dropping the runtime drops every connection task: the browser sees the server go.
            rt.shutdown_timeout(Duration::from_secs(1));
        });
        let port = started
            .recv_timeout(Duration::from_secs(30))
            .expect("back office started");
        Self { port, stop, thread }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        self.thread.join().unwrap();
    }
}

fn clients(dir: &std::path::Path) -> (Client, Client) {
    let ca = Certificate::from_pem(&std::fs::read(dir.join("tls/ca.pem")).unwrap()).unwrap();
    let mut pem = std::fs::read(dir.join("tls/terminal-1.pem")).unwrap();
    pem.extend(std::fs::read(dir.join("tls/terminal-1-key.pem")).unwrap());
    let terminal = Client::builder()
        .tls_certs_only([ca.clone()])
        .identity(Identity::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let staff = Client::builder()
        .tls_certs_only([ca])
        .cookie_store(true)
        .build()
        .unwrap();
    (terminal, staff)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_display_shows_a_lost_connection_and_catches_up_after_a_restart() {
    let _turn = crate::scenarios::ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let first = Detached::start(dir.path().to_owned(), 0);
    let port = first.port;
    let url = |path: &str| format!("https://localhost:{port}{path}");
    let (terminal, staff) = clients(dir.path());
    let r = terminal
        .post(url("/api/v1/terminal/walk-in"))
        .header("idempotency-key", "restart-1")
        .json(&json!({ "service_id": "anmeldung" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let number = r.json::<Value>().await.unwrap()["ticket"]["display_number"]
        .as_str()
        .unwrap()
        .to_owned();

    let driver = Driver::start().await;
    let display = driver.browser().await;
    display.goto(&url("/display/sb-mitte")).await.unwrap();
    until(
        &display,
        15,
        "the display's live connection",
        "return document.body.dataset.connection === 'live'",
    )
    .await;
    let banner =
        "return getComputedStyle(document.querySelector('#connection')).display !== 'none'";
    assert_eq!(
        eval(&display, banner).await,
        json!(false),
        "no warning while connected"
    );

    first.stop();
    until(
        &display,
        15,
        "the lost connection",
        "return document.body.dataset.connection === 'lost'",
    )
    .await;
    assert_eq!(
        eval(&display, banner).await,
        json!(true),
        "the warning is shown"
    );

    // The back office comes back; a call is made before the display has reconnected.
    let second = Detached::start(dir.path().to_owned(), port);
    let r = staff
        .post(url("/api/v1/staff/login"))
        .json(&json!({ "username": "schalter1", "password": "demo-schalter1" }))
        .send()
        .await
        .unwrap();
    let csrf = r.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, body) in [
        ("/api/v1/staff/counter", json!({ "counter_id": "platz-5" })),
        ("/api/v1/staff/call-next", json!({})),
    ] {
        let r = staff
            .post(url(path))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
    until(
        &display,
        30,
        "the connection again",
        "return document.body.dataset.connection === 'live'",
    )
    .await;
    let shown =
        format!("return document.querySelector('#current-number').textContent === '{number}'");
    until(
        &display,
        15,
        "the call made while the display was away",
        &shown,
    )
    .await;
    assert_eq!(
        crate::browser::text(&display, "#current-counter").await,
        "Platz 5"
    );
    display.close().await.unwrap();
    second.stop();
}
