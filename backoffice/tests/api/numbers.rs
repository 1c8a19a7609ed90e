//! Display numbers: a live ticket's number is never handed out twice, ranges wrap when
//! exhausted, and a full range is refused rather than duplicated (property test).

use std::sync::atomic::{AtomicUsize, Ordering};

use backoffice::domain::text::Texts;
use backoffice::domain::{Action, Origin, TicketStatus};
use backoffice::store::Db;
use backoffice::store::catalog::{Service, ServiceGroup};
use backoffice::store::issuing::{IssueError, NewTicket, Numbering};
use backoffice::store::tickets::TicketRow;
use proptest::prelude::*;

const RANGE: (u32, u32) = (1, 5);

async fn small_range_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("n.db").display()
    ))
    .await
    .unwrap();
    backoffice::demo::seed(&db, "fp").await.unwrap();
    let group = ServiceGroup {
        id: "x".into(),
        office_id: "sb-mitte".into(),
        prefix: 'X',
        names: Texts::de("X"),
        first_number: RANGE.0,
        last_number: RANGE.1,
    };
    db.insert_group(&group, 99).await.unwrap();
    let rules = db.service("fundsache").await.unwrap().unwrap().rules;
    let service = Service {
        id: "x1".into(),
        office_id: "sb-mitte".into(),
        group_id: "x".into(),
        names: Texts::de("X1"),
        waiting_area: Texts::de("-"),
        average_minutes: 5,
        rules,
    };
    db.insert_service(&service, 0).await.unwrap();
    (db, dir)
}

async fn issue(db: &Db, day: &str) -> Result<TicketRow, IssueError> {
    let t = NewTicket {
        office_id: "sb-mitte".into(),
        day: day.into(),
        service_id: "x1".into(),
        origin: Origin::WalkIn,
        numbering: Numbering::Next {
            prefix: 'X',
            first: RANGE.0,
            last: RANGE.1,
        },
        appointment: None,
        terminal_id: None,
        request_key: None,
        quota: None,
        now: 0,
        queued_at: 0,
        placement: None,
        answer: None,
        public_token: backoffice::store::issuing::new_token(),
    };
    db.issue_ticket(t).await.map(|i| i.ticket)
}

async fn finish(db: &Db, t: &TicketRow) {
    let called = db
        .transition(
            t,
            Action::Call,
            TicketStatus::Called,
            "test",
            Some("platz-1"),
            None,
            1,
        )
        .await
        .unwrap()
        .unwrap();
    db.transition(
        &called,
        Action::Finish,
        TicketStatus::Finished,
        "test",
        None,
        None,
        2,
    )
    .await
    .unwrap()
    .unwrap();
}

#[tokio::test]
async fn numbers_wrap_around_skipping_live_ones() {
    let (db, _dir) = small_range_db().await;
    let mut issued = Vec::new();
    for _ in 0..5 {
        issued.push(issue(&db, "2026-11-26").await.unwrap());
    }
    assert_eq!(
        issued
            .iter()
            .map(|t| t.display_number.as_str())
            .collect::<Vec<_>>(),
        ["X001", "X002", "X003", "X004", "X005"]
    );
    assert!(matches!(
        issue(&db, "2026-11-26").await,
        Err(IssueError::NumbersExhausted)
    ));
    finish(&db, &issued[2]).await;
    assert_eq!(
        issue(&db, "2026-11-26").await.unwrap().display_number,
        "X003",
        "the freed number comes back"
    );
    assert_eq!(
        issue(&db, "2026-11-27").await.unwrap().display_number,
        "X001",
        "numbers start anew each day"
    );
}

static DAY: AtomicUsize = AtomicUsize::new(0);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// Any interleaving of issuing and finishing keeps live numbers unique, and issuing fails
    /// exactly when every number of the range is live.
    #[test]
    fn live_numbers_stay_unique(ops in proptest::collection::vec(any::<(bool, u8)>(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (db, _dir) = small_range_db().await;
            let day = format!("2030-01-{:02}", DAY.fetch_add(1, Ordering::Relaxed) % 28 + 1);
            let mut live: Vec<TicketRow> = Vec::new();
            for (is_issue, pick) in ops {
                if is_issue || live.is_empty() {
                    match issue(&db, &day).await {
                        Ok(t) => {
                            assert!(live.len() < 5);
                            assert!(!live.iter().any(|l| l.display_number == t.display_number), "{} twice", t.display_number);
                            live.push(t);
                        }
                        Err(IssueError::NumbersExhausted) => assert_eq!(live.len(), 5),
                        Err(e) => panic!("{e}"),
                    }
                } else {
                    let t = live.remove(pick as usize % live.len());
                    finish(&db, &t).await;
                }
            }
        });
    }
}
