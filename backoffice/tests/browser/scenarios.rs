//! Front-desk scenarios in a real browser: log in and call the next person, the waiting-room
//! display and the phone page follow; terminal faults and help requests reach the console;
//! two counters pressing "next" at once get different people.

use fantoccini::Locator;
use serde_json::json;
use tokio::sync::Mutex;

use crate::browser::{Driver, log_in, screenshot, text, until};
use crate::harness::Office;

/// Chromium is heavy on two cores: one browser scenario at a time.
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_next_reaches_display_and_phone_and_faults_reach_the_console() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let office = Office::sqlite().await;
    let base = office.url("");
    let (first, token) = office.walk_in("anmeldung").await;
    office.walk_in("personalausweis").await;
    office.walk_in("meldebescheinigung").await;
    office
        .heartbeat(json!([{ "device": "ticket_printer", "state": "ok" }]))
        .await;
    let driver = Driver::start().await;

    let display = driver.browser().await;
    display
        .goto(&format!("{base}/display/sb-mitte"))
        .await
        .unwrap();
    until(
        &display,
        10,
        "the display's live connection",
        "return document.body.dataset.connection === 'live'",
    )
    .await;
    assert_eq!(text(&display, "#current-number").await, "–");

    let console = driver.browser().await;
    log_in(&console, &base, "schalter1", "demo-schalter1", "platz-1").await;
    until(
        &console,
        15,
        "three waiting tickets",
        "return document.querySelectorAll('#queue-body tr.status-waiting').length === 3",
    )
    .await;
    assert_eq!(
        until(
            &console,
            15,
            "traffic lights",
            "return document.querySelectorAll('#lights .light-green').length"
        )
        .await
        .as_u64()
        .map(|n| n > 0),
        Some(true)
    );

    // The keyboard shortcut N calls the next person to my counter.
    console
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("n")
        .await
        .unwrap();
    let mine = until(
        &console,
        15,
        "the called ticket at my counter",
        "const e = document.querySelector('#mine .mine-number'); return e && e.textContent",
    )
    .await;
    assert_eq!(
        mine.as_str(),
        Some(first.as_str()),
        "the longest waiting walk-in comes first"
    );

    // The waiting room sees it within a second or two.
    until(
        &display,
        15,
        "the call on the display",
        &format!("return document.querySelector('#current-number').textContent === '{first}'"),
    )
    .await;
    assert_eq!(text(&display, "#current-counter").await, "Platz 1");
    assert!(
        eval_bool(
            &display,
            "return document.querySelector('#current').classList.contains('blink')"
        )
        .await,
        "the new call blinks"
    );

    // A second counter calls the next person; the first call moves down into the history.
    let murat = office.staff("schalter2").await;
    murat
        .post("/api/v1/staff/counter", json!({ "counter_id": "platz-2" }))
        .await;
    let (_, second) = murat.post("/api/v1/staff/call-next", json!({})).await;
    let second = second["display_number"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let shown =
        format!("return document.querySelector('#current-number').textContent === '{second}'");
    until(&display, 15, "the second call on the display", &shown).await;
    assert_eq!(text(&display, "#current-counter").await, "Platz 2");
    assert_eq!(
        text(&display, "#history li .number").await,
        first,
        "the earlier call is listed below"
    );
    screenshot(&display, "display-call.png").await;

    // A fault reported by the terminal shows in the console within 5 s.
    office.heartbeat(json!([{ "device": "ticket_printer", "state": "paper_out", "detail": "Papier leer" }, { "device": "scanner", "state": "absent" }])).await;
    let fault = until(
        &console,
        5,
        "the paper-out fault",
        "const e = document.querySelector('#terminals .problem.error'); return e && e.textContent",
    )
    .await;
    assert_eq!(fault.as_str(), Some("Ticketdrucker: Papier leer"));

    // A visitor's help request rings until someone acknowledges it.
    office
        .heartbeat_asking_help(
            json!([{ "device": "ticket_printer", "state": "paper_out" }]),
            Some("2026-12-01T09:00:00Z"),
        )
        .await;
    until(&console, 5, "the help alert", "return document.body.classList.contains('help-ringing') && !!document.querySelector('.help-alert .help-ack')").await;
    screenshot(&console, "console-queue.png").await;
    console
        .find(Locator::Css(".help-alert .help-ack"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(&console, 15, "the acknowledged help request", "return !document.body.classList.contains('help-ringing') && !!document.querySelector('.help-alert.acked')").await;

    // The visitor's phone shows the counter.
    let phone = driver.browser().await;
    phone.set_window_size(412, 860).await.unwrap();
    phone.goto(&format!("{base}/t/{token}")).await.unwrap();
    let called = until(
        &phone,
        15,
        "the call on the phone",
        "const e = document.querySelector('#called:not(.hidden)'); return e && e.textContent",
    )
    .await;
    assert_eq!(
        called.as_str(),
        Some("Bitte gehen Sie jetzt zu Platz 1"),
        "German browser, German page"
    );
    assert_eq!(text(&phone, "#number").await, first);
    screenshot(&phone, "phone-called.png").await;

    // A waiting visitor sees people ahead and the estimate.
    let (_, waiting_token) = office.walk_in("meldebescheinigung").await;
    phone
        .goto(&format!("{base}/t/{waiting_token}"))
        .await
        .unwrap();
    let facts = "return document.querySelectorAll('#facts dt').length >= 3";
    until(&phone, 15, "the waiting facts", facts).await;
    let facts = text(&phone, "#facts").await;
    assert!(
        facts.contains("Personen vor Ihnen") && facts.contains("Min."),
        "{facts}"
    );
    screenshot(&phone, "phone-waiting.png").await;
    // The visitor picks Arabic: the page turns right-to-left.
    phone
        .find(Locator::Css("#lang-select option[value='ar']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        &phone,
        15,
        "the Arabic page",
        "return document.documentElement.dir === 'rtl'",
    )
    .await;
    assert_eq!(text(&phone, "#label-number").await, "رقمك");

    // Keyboard: B starts serving the called person, F finishes; then the statistics.
    let body = console.find(Locator::Css("body")).await.unwrap();
    body.send_keys("b").await.unwrap();
    let serving = "return !!document.querySelector('#mine .status-in_service')";
    until(&console, 15, "the visit in service", serving).await;
    body.send_keys("f").await.unwrap();
    until(
        &console,
        15,
        "nobody at my counter",
        "return !document.querySelector('#mine .mine-number')",
    )
    .await;
    console
        .find(Locator::Css("#tab-stats"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let charts = "return [...document.querySelectorAll('#stats-charts img')].filter(i => i.complete && i.naturalWidth > 0).length === 3";
    until(&console, 15, "three charts", charts).await;
    let summary = text(&console, "#stats-summary").await;
    assert!(
        summary.contains("Erledigt1"),
        "one finished visit: {summary}"
    );
    screenshot(&console, "console-stats.png").await;

    for c in [display, console, phone] {
        c.close().await.unwrap();
    }
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_counters_pressing_next_together_get_different_people() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let office = Office::sqlite().await;
    let base = office.url("");
    let mut issued = Vec::new();
    for _ in 0..4 {
        issued.push(office.walk_in("personalausweis").await.0);
    }
    let driver = Driver::start().await;
    let anna = driver.browser().await;
    let murat = driver.browser().await;
    log_in(&anna, &base, "schalter1", "demo-schalter1", "platz-1").await;
    log_in(&murat, &base, "schalter2", "demo-schalter2", "platz-2").await;
    let (a, b) = tokio::join!(
        async {
            anna.find(Locator::Css("#btn-next"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap()
        },
        async {
            murat
                .find(Locator::Css("#btn-next"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap()
        },
    );
    let _ = (a, b);
    let script =
        "const e = document.querySelector('#mine .mine-number'); return e && e.textContent";
    let at_anna = until(&anna, 15, "Anna's called ticket", script).await;
    let at_murat = until(&murat, 15, "Murat's called ticket", script).await;
    assert_ne!(at_anna, at_murat, "both counters got the same person");
    for n in [&at_anna, &at_murat] {
        assert!(
            issued[..2].iter().any(|i| Some(i.as_str()) == n.as_str()),
            "{n} is not among the first two waiting"
        );
    }
    // Each console shows the other counter's call in its queue table too.
    let mut both = [
        at_anna.as_str().unwrap_or_default().to_owned(),
        at_murat.as_str().unwrap_or_default().to_owned(),
    ];
    both.sort();
    let script = format!(
        "return [...document.querySelectorAll('#queue-body tr.status-called')].map(r => r.dataset.number).sort().join(',') === '{}'",
        both.join(",")
    );
    until(&anna, 15, "both calls in Anna's queue", &script).await;
    // Cancelling needs a second click (clicks run in the page: the table may re-render).
    let last = &issued[3];
    let cancel = format!("#queue-body tr[data-number='{last}'] .action-cancel");
    let click = format!("document.querySelector(\"{cancel}\").click(); return true");
    crate::browser::eval(&anna, &click).await;
    assert_eq!(text(&anna, &cancel).await, "Wirklich stornieren?");
    let (_, queue) = office
        .staff("schalter1")
        .await
        .get("/api/v1/staff/queue")
        .await;
    assert_eq!(
        queue["tickets"].as_array().unwrap().len(),
        4,
        "still there after one click"
    );
    crate::browser::eval(&anna, &click).await;
    let gone = format!("return !document.querySelector(\"#queue-body tr[data-number='{last}']\")");
    until(&anna, 15, "the cancelled ticket gone from the queue", &gone).await;

    // English is one click away.
    murat
        .find(Locator::Css("#lang-toggle"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text(&murat, "#btn-next").await, "Call next person");
    assert_eq!(text(&anna, "#btn-next").await, "Nächste Person aufrufen");

    for c in [anna, murat] {
        c.close().await.unwrap();
    }
    office.stop().await;
}

async fn eval_bool(c: &fantoccini::Client, script: &str) -> bool {
    crate::browser::eval(c, script)
        .await
        .as_bool()
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_edits_a_service_in_the_console() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let office = Office::sqlite().await;
    let base = office.url("");
    let driver = Driver::start().await;
    let lead = driver.browser().await;
    log_in(&lead, &base, "leitung", "demo-leitung", "platz-6").await;
    lead.find(Locator::Css("#tab-settings"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let row = "#settings-body tr[data-service='fundsache']";
    until(
        &lead,
        15,
        "the service rows",
        &format!("return !!document.querySelector(\"{row}\")"),
    )
    .await;
    let quota = lead
        .find(Locator::Css(&format!("{row} td:nth-child(5) input")))
        .await
        .unwrap();
    quota.clear().await.unwrap();
    quota.send_keys("2").await.unwrap();
    lead.find(Locator::Css(&format!("{row} td:nth-child(7) button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let monday = lead
        .find(Locator::Css(&format!(
            "{row} + tr.hours-row input[data-day='0']"
        )))
        .await
        .unwrap();
    monday.clear().await.unwrap();
    monday.send_keys("08:00-12:00, 14:00-16:00").await.unwrap();
    lead.find(Locator::Css(&format!("{row} td:nth-child(8) button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        &lead,
        15,
        "the confirmation",
        "return document.querySelector('#toast').textContent === 'Gespeichert.'",
    )
    .await;
    let anna = office.staff("schalter1").await;
    let (_, services) = anna.get("/api/v1/staff/console/services").await;
    let s = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "fundsache")
        .unwrap();
    assert_eq!(s["walk_in"]["daily_quota"], 2);
    assert_eq!(
        s["walk_in"]["hours"][0],
        json!([{ "from": "08:00:00", "until": "12:00:00" }, { "from": "14:00:00", "until": "16:00:00" }])
    );
    assert_eq!(
        s["walk_in"]["hours"][1][0]["until"], "23:59:59.999999999",
        "other days unchanged"
    );
    screenshot(&lead, "console-settings.png").await;
    lead.close().await.unwrap();
    office.stop().await;
}
