//! Load benchmark: many simulated terminals draw walk-in tickets and check in over HTTPS
//! (mutual TLS) on loopback against the real back office, while counters work the queue off,
//! and prints throughput and latency percentiles.
//!
//! `cargo bench -p backoffice --bench load -- [--backend sqlite|postgres] [--terminals 64]
//! [--seconds 10]`; PostgreSQL needs `BT_TEST_POSTGRES_URL` (see `scripts/start-postgres`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use backoffice::api::Settings;

/// The allocator the `backoffice` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use backoffice::store::Db;
use backoffice::store::appointments::{Appointment, code_hash};
use backoffice::{demo, queue};
use backoffice_testkit::TestBackOffice;
use reqwest::{Certificate, Client, Identity};
use serde_json::json;

struct Args {
    backend: String,
    terminals: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut a = Args {
        backend: "sqlite".into(),
        terminals: 64,
        seconds: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--backend" => a.backend = it.next().unwrap_or(a.backend),
            "--terminals" => {
                a.terminals = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(a.terminals)
            }
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.seconds),
            _ => {}
        }
    }
    a
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = args();
    let running = match args.backend.as_str() {
        "postgres" => TestBackOffice::postgres().await.ok_or_else(|| {
            anyhow::anyhow!("set BT_TEST_POSTGRES_URL (scripts/start-postgres prints one)")
        })?,
        _ => TestBackOffice::sqlite_with(Settings::default()).await,
    };
    let db = running.server.state.db.clone();
    let ca = provisioning::DeploymentCa::load(
        &std::fs::read_to_string(running.dir().join("tls/ca.pem"))?,
        &std::fs::read_to_string(running.dir().join("tls/ca-key.pem"))?,
    )?;
    let ca_cert = Certificate::from_pem(ca.cert_pem().as_bytes())?;
    let now = jiff::Timestamp::now().as_millisecond();
    let mut clients = Vec::new();
    for i in 0..args.terminals {
        let id = format!("bench-{i}");
        let cert = ca.issue_terminal(&id)?;
        db.insert_terminal(
            &id,
            demo::OFFICE,
            &id,
            &provisioning::fingerprint_pem(&cert.cert_pem)?,
        )
        .await?;
        let identity = Identity::from_pem(format!("{}{}", cert.cert_pem, cert.key_pem).as_bytes())?;
        clients.push(
            Client::builder()
                .tls_certs_only([ca_cert.clone()])
                .identity(identity)
                .build()?,
        );
    }
    let mut bookings = Vec::new();
    // A busy office's day: 300 appointments in the check-in window; after the first check-in
    // of each, the terminal gets the same ticket again (a reprint).
    for i in 0..300 {
        let number = format!("{}", 5_000_000 + i);
        let code = "BENCH";
        db.insert_appointment(&Appointment {
            id: 0,
            booking_number: number.clone(),
            code_hash: code_hash(&number, code),
            office_id: demo::OFFICE.into(),
            service_id: "anmeldung".into(),
            starts_at: now + ((i % 40) - 10) * 60_000,
            display_name: "Bench".into(),
            failed_attempts: 0,
            locked_until: 0,
            ticket_id: None,
        })
        .await?;
        bookings.push(number);
    }
    let base = running.url("");
    let stop = Arc::new(AtomicBool::new(false));

    // Counters work the queue off so it stays the size of a busy office's (≈ 300 waiting).
    let worker = tokio::spawn(work_off_queue(db.clone(), stop.clone()));

    let bookings = Arc::new(bookings);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for (i, client) in clients.into_iter().enumerate() {
        let base = base.clone();
        let bookings = bookings.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            let mut n = 0usize;
            while Instant::now() < deadline {
                n += 1;
                let (path, body) = if n.is_multiple_of(5) {
                    let b = &bookings[(i * 7919 + n) % bookings.len()];
                    ("check-in", json!({ "booking_number": b, "code": "BENCH" }))
                } else {
                    let service = [
                        "personalausweis",
                        "reisepass",
                        "anmeldung",
                        "meldebescheinigung",
                        "beglaubigung",
                    ][n % 5];
                    ("walk-in", json!({ "service_id": service }))
                };
                let t = Instant::now();
                let r = client
                    .post(format!("{base}/api/v1/terminal/{path}"))
                    .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(t.elapsed());
                    }
                    Ok(r) => {
                        failures += 1;
                        if failures <= 3 {
                            let status = r.status();
                            eprintln!("{path}: {status} {}", r.text().await.unwrap_or_default());
                        }
                    }
                    Err(e) => {
                        failures += 1;
                        if failures <= 3 {
                            eprintln!("{path}: {e}");
                        }
                    }
                }
            }
            (latencies, failures)
        }));
    }
    let mut all = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await?;
        all.extend(l);
        failures += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let _ = worker.await;
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "backend {}  terminals {}  {:.1} s  requests {}  failed {}  throughput {:.0}/s  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        args.backend,
        args.terminals,
        elapsed,
        all.len(),
        failures,
        all.len() as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
    running.stop().await;
    Ok(())
}

/// Serves the oldest waiting tickets (straight in the database, as many counters would)
/// whenever more than 300 wait.
async fn work_off_queue(db: Db, stop: Arc<AtomicBool>) {
    let Ok(Some(office)) = db.office(demo::OFFICE).await else {
        return;
    };
    while !stop.load(Ordering::Relaxed) {
        let now = jiff::Timestamp::now();
        let day = queue::office_day(&office, now);
        let _ = sqlx::query(
            "UPDATE tickets SET status = 'finished', live = 0, called_at = $1, finished_at = $1 \
             WHERE id IN (SELECT id FROM tickets WHERE office_id = $2 AND day = $3 AND live = 1 \
             AND status = 'waiting' ORDER BY queued_at, id LIMIT \
             (SELECT CASE WHEN COUNT(*) > 300 THEN COUNT(*) - 300 ELSE 0 END FROM tickets WHERE office_id = $2 AND day = $3 AND live = 1 AND status = 'waiting'))",
        )
        .bind(now.as_millisecond())
        .bind(&office.id)
        .bind(&day)
        .execute(db.write())
        .await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
