//! `backoffice serve` as systemd runs it: SIGTERM during load stops it gracefully (exit status
//! 0, every ticket that was answered is in the database), and every log line of a request
//! carries the request's id.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use backoffice::demo;
use reqwest::{Certificate, Client, Identity, StatusCode};
use serde_json::{Value, json};

/// Starts the binary with the demo office on a free port; returns it, its address, and its
/// log (stderr, read as it comes so the server never blocks on a full pipe).
fn serve(dir: &std::path::Path) -> (Child, String, std::thread::JoinHandle<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backoffice"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .env("RUST_LOG", "info,tower_http=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the backoffice binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("stdout readable");
        if let Some(rest) = line.strip_prefix("Back office on https://") {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let mut stderr = child.stderr.take().expect("stderr");
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    (child, addr, log)
}

fn terminal(dir: &std::path::Path) -> Client {
    let read = |name: &str| std::fs::read(dir.join("tls").join(name)).expect("certificate file");
    let mut pem = read("terminal-1.pem");
    pem.extend(read("terminal-1-key.pem"));
    Client::builder()
        .tls_certs_only([Certificate::from_pem(&read("ca.pem")).expect("CA")])
        .identity(Identity::from_pem(&pem).expect("identity"))
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_load_stops_gracefully_and_loses_no_answered_ticket() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, addr, log) = serve(dir.path());
    let base = format!(
        "https://localhost:{}",
        addr.rsplit(':').next().expect("port")
    );
    let client = terminal(dir.path());

    // One marked request, to find its log lines.
    let r = client
        .post(format!("{base}/api/v1/terminal/walk-in"))
        .header("idempotency-key", "shutdown-test-marked")
        .header("x-request-id", "shutdown-test-request-1")
        .json(&json!({ "service_id": "anmeldung" }))
        .send()
        .await
        .expect("answered");
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["x-request-id"], "shutdown-test-request-1");
    let first: Value = r.json().await.expect("json");
    let answered = Arc::new(std::sync::Mutex::new(vec![
        first["ticket"]["display_number"]
            .as_str()
            .expect("number")
            .to_owned(),
    ]));

    // Eight terminals draw numbers until the server is gone.
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for t in 0..8 {
        let (client, base, answered, stop) =
            (client.clone(), base.clone(), answered.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let sent = client
                    .post(format!("{base}/api/v1/terminal/walk-in"))
                    .header("idempotency-key", format!("shutdown-{t}-{i}"))
                    .json(&json!({ "service_id": if t % 2 == 0 { "anmeldung" } else { "personalausweis" } }))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let body: Value = r.json().await.expect("a whole answer");
                        let number = body["ticket"]["display_number"].as_str().expect("number");
                        answered.lock().expect("lock").push(number.to_owned());
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let status = tokio::task::spawn_blocking(move || {
        let status = child.wait().expect("the server ends");
        (status, log.join().expect("log read"))
    });
    let (status, log) = tokio::time::timeout(Duration::from_secs(30), status)
        .await
        .expect("the server stops within 30 s")
        .expect("joined");
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await.expect("load task");
    }
    assert_eq!(status.code(), Some(0), "graceful stop exits 0; log:\n{log}");
    assert!(log.contains("SIGTERM"), "the stop is logged: {log}");
    assert!(
        log.lines()
            .filter(|l| l.contains("request_id=shutdown-test-request-1"))
            .any(|l| l.contains("/api/v1/terminal/walk-in")),
        "the request's log lines carry its id and route:\n{log}"
    );

    // Every ticket a terminal was given is in the database.
    let answered = answered.lock().expect("lock").clone();
    assert!(
        answered.len() > 10,
        "the load ran: {} tickets",
        answered.len()
    );
    let url = format!("sqlite://{}", dir.path().join("backoffice.db").display());
    let db = backoffice::store::Db::open(&url).await.expect("database");
    let office = db
        .office(demo::OFFICE)
        .await
        .expect("read")
        .expect("office");
    let day = backoffice::queue::office_day(&office, jiff::Timestamp::now());
    let stored: Vec<String> = db
        .tickets_of_day(demo::OFFICE, &day)
        .await
        .expect("tickets")
        .into_iter()
        .map(|t| t.display_number)
        .collect();
    for number in &answered {
        assert!(
            stored.contains(number),
            "{number} was answered but is not stored"
        );
    }
}
