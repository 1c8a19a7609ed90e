//! Benchmark: 500 live clients on loopback (250 staff consoles on the staff event stream and
//! 250 waiting-room displays on the public call stream), each on its own TLS connection.
//! A staff member calls the next person again and again; for each call we measure the time
//! from sending the action to the moment the last of the 500 clients has the `called` event.
//!
//! Run: `cargo bench -p backoffice --bench console_fanout` (`-- CLIENTS ROUNDS` to change the
//! defaults of 500 clients and 50 calls).

#[allow(dead_code)]
#[path = "harness.rs"]
mod harness;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use tokio::sync::{Mutex, mpsc};

use harness::Office;

/// One delivery: which client saw which number, when.
struct Seen {
    number: String,
    at: Instant,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Reads an SSE body and reports every `called` event's display number.
async fn listen(response: reqwest::Response, seen: mpsc::UnboundedSender<Seen>) {
    let mut body = response.bytes_stream();
    let mut buffer = String::new();
    while let Some(Ok(chunk)) = body.next().await {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if !event.lines().any(|l| l == "event: called") {
                continue;
            }
            let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else {
                continue;
            };
            if let Some(number) = value["display_number"].as_str() {
                let _ = seen.send(Seen {
                    number: number.to_owned(),
                    at: Instant::now(),
                });
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let clients: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let office = Office::sqlite().await;
    // Session cookies of three members; every console below opens its own connection with one.
    let mut cookies = Vec::new();
    for (user, password) in [
        ("schalter1", "demo-schalter1"),
        ("schalter2", "demo-schalter2"),
        ("leitung", "demo-leitung"),
    ] {
        let r = office
            .anonymous()
            .post(office.url("/api/v1/staff/login"))
            .json(&json!({ "username": user, "password": password }))
            .send()
            .await
            .expect("log in");
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .unwrap_or_default()
            .to_owned();
        cookies.push(cookie);
    }
    let caller = office.staff("it").await;
    caller
        .post("/api/v1/staff/counter", json!({ "counter_id": "platz-4" }))
        .await;

    let (tx, mut rx) = mpsc::unbounded_channel::<Seen>();
    let started = Instant::now();
    let opened = Arc::new(Mutex::new(0usize));
    let mut tasks = Vec::new();
    for i in 0..clients {
        let tx = tx.clone();
        let (cookie, url) = if i % 2 == 0 {
            // Consoles: a logged-in member's session cookie, on a connection of their own.
            let cookie = cookies[i / 2 % cookies.len()].clone();
            (Some(cookie), office.url("/api/v1/staff/events"))
        } else {
            (
                None,
                office.url("/api/v1/public/offices/sb-mitte/calls/events"),
            )
        };
        let client = office.anonymous();
        let counter = opened.clone();
        tasks.push(tokio::spawn(async move {
            let mut request = client.get(url);
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            let response = request.send().await.expect("open event stream");
            assert!(
                response.status().is_success(),
                "event stream refused: {}",
                response.status()
            );
            *counter.lock().await += 1;
            listen(response, tx).await;
        }));
        if i % 50 == 49 {
            while *opened.lock().await < i + 1 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
    while *opened.lock().await < clients {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    println!("{clients} clients connected in {}", ms(started.elapsed()));

    let mut last_client = Vec::new();
    let mut every_delivery = Vec::new();
    let mut action_times = Vec::new();
    for round in 0..rounds {
        let (number, _) = office.walk_in("personalausweis").await;
        while rx.try_recv().is_ok() {}
        tokio::time::sleep(Duration::from_millis(20)).await;
        let t0 = Instant::now();
        let (status, called) = caller.post("/api/v1/staff/call-next", json!({})).await;
        action_times.push(t0.elapsed());
        assert!(status.is_success(), "call-next failed: {called}");
        assert_eq!(
            called["display_number"].as_str(),
            Some(number.as_str()),
            "round {round}"
        );
        let mut got: HashMap<usize, Duration> = HashMap::new();
        let deadline = t0 + Duration::from_secs(10);
        while got.len() < clients {
            let Ok(Some(seen)) = tokio::time::timeout_at(deadline.into(), rx.recv()).await else {
                panic!(
                    "round {round}: only {} of {clients} clients got the call within 10 s",
                    got.len()
                );
            };
            if seen.number == number {
                let n = got.len();
                got.insert(n, seen.at.duration_since(t0));
            }
        }
        let mut deliveries: Vec<Duration> = got.into_values().collect();
        deliveries.sort();
        last_client.push(*deliveries.last().unwrap_or(&Duration::ZERO));
        every_delivery.extend(deliveries);
        // Serve and finish, so the next call-next has a fresh person.
        if let Some(id) = called["id"].as_i64() {
            caller
                .post(&format!("/api/v1/staff/tickets/{id}/start"), json!({}))
                .await;
            caller
                .post(&format!("/api/v1/staff/tickets/{id}/finish"), json!({}))
                .await;
        }
    }
    last_client.sort();
    every_delivery.sort();
    action_times.sort();
    println!(
        "{rounds} calls, {clients} clients each ({} consoles, {} displays), SQLite, loopback TLS",
        clients.div_ceil(2),
        clients / 2
    );
    println!(
        "staff action answered:         p50 {}  p99 {}",
        ms(percentile(&action_times, 0.5)),
        ms(percentile(&action_times, 0.99))
    );
    println!(
        "action → last client has it:   p50 {}  p99 {}  max {}",
        ms(percentile(&last_client, 0.5)),
        ms(percentile(&last_client, 0.99)),
        ms(*last_client.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "action → each delivery:        p50 {}  p99 {}",
        ms(percentile(&every_delivery, 0.5)),
        ms(percentile(&every_delivery, 0.99))
    );
    for t in tasks {
        t.abort();
    }
    office.stop().await;
}
