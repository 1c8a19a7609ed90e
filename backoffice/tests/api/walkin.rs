//! Walk-in tickets: numbers per group, quotas, closed services, numbers that never collide.

use backoffice::domain::ServiceRules;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::Harness;

async fn walk_in(h: &Harness, service: &str) -> (StatusCode, serde_json::Value) {
    h.post("/api/v1/terminal/walk-in", json!({ "service_id": service }))
        .await
}

async fn set_rules(h: &Harness, service: &str, change: impl FnOnce(&mut ServiceRules)) {
    let db = &h.server.state.db;
    let mut rules = db.service(service).await.unwrap().unwrap().rules;
    change(&mut rules);
    assert!(db.update_service_rules(service, &rules).await.unwrap());
}

pub async fn numbers_count_up_per_group_with_wait_estimates(h: &Harness) {
    let (status, first) = walk_in(h, "personalausweis").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["ticket"]["display_number"], "A001");
    assert_eq!(first["ticket"]["people_ahead"], 0);
    let (_, second) = walk_in(h, "reisepass").await;
    assert_eq!(second["ticket"]["display_number"], "A002");
    assert_eq!(second["ticket"]["people_ahead"], 1);
    let (_, other) = walk_in(h, "anmeldung").await;
    assert_eq!(other["ticket"]["display_number"], "B001");
    assert_eq!(
        other["ticket"]["service_name"]["ar"],
        "تسجيل العنوان أو تغييره"
    );
    // Everyone further back waits at least as long as those ahead, and ranges are ranges.
    let waits: Vec<(u64, u64)> = [&first, &second, &other]
        .iter()
        .map(|t| {
            (
                t["ticket"]["wait_minutes"][0].as_u64().unwrap(),
                t["ticket"]["wait_minutes"][1].as_u64().unwrap(),
            )
        })
        .collect();
    for pair in waits.windows(2) {
        assert!(
            pair[0].1 <= pair[1].1 && pair[0].0 <= pair[1].0,
            "{waits:?}"
        );
    }
    assert!(waits.iter().all(|(low, high)| low <= high), "{waits:?}");
    assert_eq!(other["ticket"]["people_ahead"], 2);

    // The estimate given is kept with the ticket, for the accuracy statistics.
    let db = &h.server.state.db;
    let office = db.office(backoffice::demo::OFFICE).await.unwrap().unwrap();
    let day = backoffice::queue::office_day(&office, jiff::Timestamp::now());
    let given = (waits[2].0 as i64, waits[2].1 as i64);
    let mut stored = None;
    for _ in 0..50 {
        let tickets = db.tickets_of_day(&office.id, &day).await.unwrap();
        let t = tickets.iter().find(|t| t.display_number == "B001").unwrap();
        stored = t.estimate_low.zip(t.estimate_high);
        if stored.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(stored, Some(given));
}

pub async fn quota_and_closures_are_explained(h: &Harness) {
    set_rules(h, "fuehrungszeugnis", |r| r.walk_in.daily_quota = Some(1)).await;
    assert_eq!(walk_in(h, "fuehrungszeugnis").await.0, StatusCode::CREATED);
    let (status, err) = walk_in(h, "fuehrungszeugnis").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"]["code"], "quota_exhausted");
    assert!(err["error"]["details"]["next_opening"].is_string(), "{err}");

    set_rules(h, "beglaubigung", |r| r.closed_today = true).await;
    let (status, err) = walk_in(h, "beglaubigung").await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("service_closed"))
    );
    assert_eq!(err["error"]["details"]["reason"], "closed_today");

    let (_, services) = h.get("/api/v1/terminal/services").await;
    let all: Vec<_> = services["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["services"].as_array().unwrap().clone())
        .collect();
    let state = |id: &str| all.iter().find(|s| s["id"] == id).unwrap()["state"].clone();
    assert_eq!(state("fuehrungszeugnis"), "quota_exhausted");
    assert_eq!(state("beglaubigung"), "closed");
    assert_eq!(state("personalausweis"), "open");

    let (status, err) = walk_in(h, "dw-anmeldung").await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_service"))
    );
}

pub async fn concurrent_walk_ins_never_share_a_number(h: &Harness) {
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let client = h.terminal();
            let url = h.url("/api/v1/terminal/walk-in");
            let service = ["personalausweis", "reisepass", "abholung"][i % 3];
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                    .json(&json!({ "service_id": service }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                r.json::<serde_json::Value>().await.unwrap()["ticket"]["display_number"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=60).map(|n| format!("A{n:03}")).collect();
    assert_eq!(numbers, expected);
}

pub async fn a_request_that_died_midway_is_not_issued_twice(h: &Harness) {
    let body = json!({ "service_id": "abholung" });
    let (status, first) = h
        .post_keyed("/api/v1/terminal/walk-in", body.clone(), "died-midway-1")
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // As if the process had died after issuing the ticket but before storing the answer.
    let forget = "UPDATE idempotency SET state = 'pending', status_code = NULL, body = NULL, created_at = 0 WHERE request_key = 'died-midway-1'";
    sqlx::query(forget)
        .execute(h.server.state.db.write())
        .await
        .unwrap();
    let (status, again) = h
        .post_keyed("/api/v1/terminal/walk-in", body, "died-midway-1")
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(
        again["ticket"]["display_number"],
        first["ticket"]["display_number"]
    );
    let (_, next) = walk_in(h, "abholung").await;
    assert_eq!(
        next["ticket"]["display_number"], "A002",
        "no second ticket was made"
    );
}

/// Sends `n` walk-ins for each service at once; returns (service, status, body) per answer.
async fn rush(h: &Harness, services: &[(&str, usize)]) -> Vec<(String, StatusCode, Value)> {
    let mut tasks = Vec::new();
    for &(service, n) in services {
        for _ in 0..n {
            let client = h.terminal();
            let url = h.url("/api/v1/terminal/walk-in");
            let service = service.to_owned();
            tasks.push(tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                    .json(&json!({ "service_id": service }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                (service, status, r.json::<Value>().await.unwrap())
            }));
        }
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

pub async fn a_quota_holds_in_a_rush_and_others_are_served(h: &Harness) {
    set_rules(h, "fuehrungszeugnis", |r| r.walk_in.daily_quota = Some(5)).await;
    let answers = rush(h, &[("fuehrungszeugnis", 30), ("personalausweis", 30)]).await;
    let count = |service: &str, status: StatusCode| {
        answers
            .iter()
            .filter(|(s, st, _)| s == service && *st == status)
            .count()
    };
    assert_eq!(count("fuehrungszeugnis", StatusCode::CREATED), 5);
    assert_eq!(count("fuehrungszeugnis", StatusCode::CONFLICT), 25);
    for (_, status, body) in answers
        .iter()
        .filter(|(_, st, _)| *st == StatusCode::CONFLICT)
    {
        assert_eq!(body["error"]["code"], "quota_exhausted", "{status} {body}");
        assert!(
            body["error"]["details"]["next_opening"].is_string(),
            "{body}"
        );
    }
    assert_eq!(
        count("personalausweis", StatusCode::CREATED),
        30,
        "refusals in the same rush cost nobody else their ticket"
    );
    let mut numbers: Vec<&str> = answers
        .iter()
        .filter(|(_, st, _)| *st == StatusCode::CREATED)
        .map(|(_, _, b)| b["ticket"]["display_number"].as_str().unwrap())
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 35, "every ticket has a number of its own");
    let db = &h.server.state.db;
    let count = |sql: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.read()).await.unwrap();
        n
    };
    assert_eq!(count("SELECT COUNT(*) FROM tickets").await, 35);
    assert_eq!(
        count("SELECT COUNT(DISTINCT ticket_id) FROM ticket_events WHERE action = 'issue' AND to_status = 'waiting'").await,
        35,
        "every ticket's history starts with its issue, refused ones have none"
    );
    assert_eq!(count("SELECT COUNT(*) FROM ticket_events").await, 35);
}

pub async fn the_same_request_sent_at_once_makes_one_ticket(h: &Harness) {
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let client = h.terminal();
            let url = h.url("/api/v1/terminal/walk-in");
            tokio::spawn(async move {
                let r = client
                    .post(url)
                    .header("idempotency-key", "sent-at-once-1")
                    .json(&json!({ "service_id": "reisepass" }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                (status, r.json::<Value>().await.unwrap())
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => numbers.push(body["ticket"]["display_number"].clone()),
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "request_in_flight"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(!numbers.is_empty());
    assert!(numbers.iter().all(|n| *n == numbers[0]), "{numbers:?}");
    let (_, next) = walk_in(h, "reisepass").await;
    assert_eq!(
        next["ticket"]["display_number"], "A002",
        "one ticket, not two"
    );
}

pub async fn a_retry_gets_the_first_answer_word_for_word(h: &Harness) {
    // The first ticket computes the office's estimate; later answers are stored with their
    // ticket in the same write.
    walk_in(h, "personalausweis").await;
    let body = json!({ "service_id": "reisepass" });
    let first = h
        .post_keyed(
            "/api/v1/terminal/walk-in",
            body.clone(),
            "retry-word-for-word",
        )
        .await;
    walk_in(h, "personalausweis").await;
    let again = h
        .post_keyed("/api/v1/terminal/walk-in", body, "retry-word-for-word")
        .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(
        again, first,
        "the retry is told exactly what the first attempt was"
    );
    assert_eq!(first.1["ticket"]["people_ahead"], 1);
}

crate::both_backends!(
    a_retry_gets_the_first_answer_word_for_word,
    a_quota_holds_in_a_rush_and_others_are_served,
    the_same_request_sent_at_once_makes_one_ticket,
    a_request_that_died_midway_is_not_issued_twice,
    numbers_count_up_per_group_with_wait_estimates,
    quota_and_closures_are_explained,
    concurrent_walk_ins_never_share_a_number,
);
