//! Offline policy while the back office answers: keep a block of numbers in reserve and file
//! the tickets issued offline. Runs against any [`BackOffice`] and the journal, so it is tested
//! with a fake back office.

use crate::backend::{BackOffice, OfflineOutcome};
use crate::offline::Journal;

/// Fewer numbers left than this: reserve the next block.
pub const LOW_WATER: u32 = 5;

/// Whether the back office has settled an uploaded ticket for good (filed now, filed before,
/// or refused for a reason a retry would not change). An outcome this terminal does not
/// know is kept for the next upload.
pub fn settled(outcome: OfflineOutcome) -> bool {
    !matches!(outcome, OfflineOutcome::Unknown)
}

/// What one sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The block reserved now, first and last number.
    pub reserved: Option<(u32, u32)>,
    /// Tickets the back office settled.
    pub settled: usize,
    /// Of these, the ones it refused (display numbers).
    pub rejected: Vec<String>,
    /// Tickets still waiting to be filed.
    pub pending: usize,
}

/// Reserves numbers for `day` when few are left, then uploads every ticket not yet filed.
/// Failures are logged and leave the journal as it was: the next heartbeat tries again.
pub async fn sync(
    backend: &dyn BackOffice,
    journal: &Journal,
    day: &str,
    block_size: u32,
) -> SyncReport {
    let mut report = SyncReport::default();
    if journal.numbers_left(day).await.unwrap_or(0) < LOW_WATER {
        match backend.offline_block(block_size).await {
            Ok(block) => match journal.add_block(&block).await {
                Ok(()) => {
                    tracing::info!(
                        first = block.first,
                        last = block.last,
                        "offline numbers reserved"
                    );
                    report.reserved = Some((block.first, block.last));
                }
                Err(e) => tracing::error!(error = %e, "offline block not stored"),
            },
            Err(e) => tracing::warn!(error = %e, "no offline numbers reserved"),
        }
    }
    let pending = match journal.pending().await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "offline journal unreadable");
            return report;
        }
    };
    report.pending = pending.len();
    if pending.is_empty() {
        return report;
    }
    let results = match backend.offline_tickets(&pending).await {
        Ok(results) => results,
        Err(e) => {
            tracing::warn!(error = %e, "offline tickets not filed yet");
            return report;
        }
    };
    for t in &pending {
        let Some(&(_, outcome)) = results.iter().find(|(n, _)| *n == t.display_number) else {
            continue;
        };
        if !settled(outcome) {
            continue;
        }
        if outcome == OfflineOutcome::Rejected {
            tracing::warn!(number = %t.display_number, "offline ticket rejected by the back office");
            report.rejected.push(t.display_number.clone());
        }
        match journal.mark_uploaded(&t.display_number, &t.issued_at).await {
            Ok(()) => {
                report.settled += 1;
                report.pending -= 1;
            }
            Err(e) => tracing::error!(error = %e, "offline journal not updated"),
        }
    }
    tracing::info!(
        settled = report.settled,
        pending = report.pending,
        "offline tickets filed"
    );
    report
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::backend::{BoxFuture, ClientError, Heartbeat};
    use crate::flow::{CheckInOutcome, ServiceTree, WalkInOutcome};
    use crate::offline::{Block, OfflineTicket};

    /// One scripted answer to an upload: outcomes, or the back office down.
    type Answer = Result<Vec<(String, OfflineOutcome)>, ()>;

    /// A back office that reserves blocks from 1 on and answers uploads from a script.
    #[derive(Default)]
    struct Fake {
        blocks: Mutex<u32>,
        answers: Mutex<Vec<Answer>>,
        uploads: Mutex<Vec<Vec<String>>>,
    }

    fn down() -> ClientError {
        ClientError::Server { status: 503 }
    }

    impl BackOffice for Fake {
        fn services(&self) -> BoxFuture<'_, Result<ServiceTree, ClientError>> {
            Box::pin(async { Err(down()) })
        }
        fn check_in<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
        ) -> BoxFuture<'a, Result<CheckInOutcome, ClientError>> {
            Box::pin(async { Err(down()) })
        }
        fn walk_in<'a>(&'a self, _: &'a str) -> BoxFuture<'a, Result<WalkInOutcome, ClientError>> {
            Box::pin(async { Err(down()) })
        }
        fn heartbeat<'a>(
            &'a self,
            _: &'a Heartbeat,
        ) -> BoxFuture<'a, Result<Option<String>, ClientError>> {
            Box::pin(async { Ok(None) })
        }
        fn offline_block(&self, count: u32) -> BoxFuture<'_, Result<Block, ClientError>> {
            Box::pin(async move {
                let mut next = self.blocks.lock().expect("lock");
                let first = *next + 1;
                *next += count;
                Ok(Block {
                    day: DAY.into(),
                    prefix: "Z".into(),
                    first,
                    last: first + count - 1,
                })
            })
        }
        fn offline_tickets<'a>(
            &'a self,
            tickets: &'a [OfflineTicket],
        ) -> BoxFuture<'a, Result<Vec<(String, OfflineOutcome)>, ClientError>> {
            Box::pin(async move {
                let numbers = tickets.iter().map(|t| t.display_number.clone()).collect();
                self.uploads.lock().expect("lock").push(numbers);
                let answer = self.answers.lock().expect("lock").remove(0);
                answer.map_err(|()| down())
            })
        }
    }

    const DAY: &str = "2026-12-01";

    async fn journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::open(&dir.path().join("j.db")).await.expect("open");
        (dir, j)
    }

    async fn issue(j: &Journal, n: usize) {
        for i in 0..n {
            let at = format!("2026-12-01T09:0{i}:00Z");
            j.issue(DAY, "anmeldung", &at, None).await.expect("issue");
        }
    }

    #[tokio::test]
    async fn reserves_a_block_when_running_low_and_not_otherwise() {
        let (_dir, j) = journal().await;
        let fake = Fake::default();
        let first = sync(&fake, &j, DAY, 20).await;
        assert_eq!(first.reserved, Some((1, 20)));
        let second = sync(&fake, &j, DAY, 20).await;
        assert_eq!(second.reserved, None, "20 left is plenty");
        issue(&j, 9).await;
        fake.answers.lock().expect("lock").push(Err(()));
        assert_eq!(sync(&fake, &j, DAY, 20).await.reserved, None, "11 left");
        issue(&j, 7).await;
        fake.answers.lock().expect("lock").push(Err(()));
        assert_eq!(
            sync(&fake, &j, DAY, 20).await.reserved,
            Some((21, 40)),
            "4 left"
        );
    }

    #[tokio::test]
    async fn settled_tickets_leave_the_journal_unknown_and_missing_ones_stay() {
        let (_dir, j) = journal().await;
        let fake = Fake::default();
        sync(&fake, &j, DAY, 20).await;
        issue(&j, 5).await;
        fake.answers.lock().expect("lock").push(Ok(vec![
            ("Z001".into(), OfflineOutcome::Accepted),
            ("Z002".into(), OfflineOutcome::Duplicate),
            ("Z003".into(), OfflineOutcome::Rejected),
            ("Z004".into(), OfflineOutcome::Unknown),
        ]));
        let report = sync(&fake, &j, DAY, 20).await;
        assert_eq!(report.settled, 3);
        assert_eq!(report.rejected, ["Z003"]);
        assert_eq!(
            report.pending, 2,
            "Z004 (unknown outcome) and Z005 (no answer)"
        );
        let left: Vec<_> = j
            .pending()
            .await
            .expect("pending")
            .into_iter()
            .map(|t| t.display_number)
            .collect();
        assert_eq!(left, ["Z004", "Z005"]);
    }

    #[tokio::test]
    async fn an_unreachable_back_office_loses_nothing() {
        let (_dir, j) = journal().await;
        let fake = Fake::default();
        sync(&fake, &j, DAY, 20).await;
        issue(&j, 3).await;
        fake.answers.lock().expect("lock").push(Err(()));
        let report = sync(&fake, &j, DAY, 20).await;
        assert_eq!((report.settled, report.pending), (0, 3));
        fake.answers.lock().expect("lock").push(Ok(vec![
            ("Z001".into(), OfflineOutcome::Accepted),
            ("Z002".into(), OfflineOutcome::Accepted),
            ("Z003".into(), OfflineOutcome::Accepted),
        ]));
        assert_eq!(sync(&fake, &j, DAY, 20).await.pending, 0);
        let uploads = fake.uploads.lock().expect("lock");
        assert_eq!(uploads.len(), 2, "the same three went up twice");
        assert_eq!(uploads[0], uploads[1]);
    }
}
