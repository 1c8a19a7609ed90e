//! Offline mode: a block of numbers reserved while online, a durable journal of tickets issued
//! while the back office is unreachable (SQLite, WAL, `synchronous=FULL`), and their replay.
//! Walk-in numbers and appointment check-ins are issued offline. The only datum about a
//! visitor the journal holds is the booking number of an offline check-in (never the code),
//! and only until the back office has filed the ticket; deleted content is overwritten
//! (`secure_delete`).

pub mod sync;

use std::path::Path;
use std::str::FromStr;

use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use thiserror::Error;

/// The journal could not be used.
#[derive(Debug, Error)]
pub enum JournalError {
    /// Opening or querying the database failed.
    #[error("offline journal unusable: check that the data folder is writable and not full")]
    Db(#[from] sqlx::Error),
}

/// Numbers the back office reserved for this terminal on `day`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The office-local day (`2026-11-26`).
    pub day: String,
    /// The offline prefix letter.
    pub prefix: String,
    /// First number.
    pub first: u32,
    /// Last number.
    pub last: u32,
}

/// One ticket issued offline, as the back office's upload takes it.
#[derive(Clone, PartialEq, Eq)]
pub struct OfflineTicket {
    /// `Z001`.
    pub display_number: String,
    /// The service (for a check-in: where the back office files it if the booking does not
    /// match an appointment).
    pub service_id: String,
    /// RFC 3339.
    pub issued_at: String,
    /// The booking number of an offline check-in, for the back office to link the ticket to
    /// the appointment. Personal: never logged.
    pub booking_number: Option<String>,
}

impl std::fmt::Debug for OfflineTicket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineTicket")
            .field("display_number", &self.display_number)
            .field("service_id", &self.service_id)
            .field("issued_at", &self.issued_at)
            .field("check_in", &self.booking_number.is_some())
            .finish()
    }
}

/// The durable journal.
#[derive(Debug, Clone)]
pub struct Journal {
    pool: SqlitePool,
}

impl Journal {
    /// Opens (or creates) the journal at `path`.
    pub async fn open(path: &Path) -> Result<Self, JournalError> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .pragma("secure_delete", "ON");
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS block (day TEXT NOT NULL, prefix TEXT NOT NULL,
                 first INTEGER NOT NULL, last INTEGER NOT NULL, next INTEGER NOT NULL)",
        )
        .execute(&pool)
        .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS ticket (display_number TEXT NOT NULL, day TEXT NOT NULL,
                 service_id TEXT NOT NULL, issued_at TEXT NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (day, display_number))",
        )
        .execute(&pool)
        .await?;
        // Journals from before offline check-ins lack the booking column.
        let has_booking: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pragma_table_info('ticket') WHERE name = 'booking_number'",
        )
        .fetch_one(&pool)
        .await?;
        if has_booking == 0 {
            sqlx::query("ALTER TABLE ticket ADD COLUMN booking_number TEXT")
                .execute(&pool)
                .await?;
        }
        Ok(Self { pool })
    }

    /// Numbers left for `day`.
    pub async fn numbers_left(&self, day: &str) -> Result<u32, JournalError> {
        let row = sqlx::query("SELECT COALESCE(SUM(last - next + 1), 0) AS n FROM block WHERE day = ? AND next <= last")
            .bind(day)
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(row.get::<i64, _>("n")).unwrap_or(0))
    }

    /// Stores a newly reserved block; blocks of other days are dropped.
    pub async fn add_block(&self, block: &Block) -> Result<(), JournalError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM block WHERE day <> ?")
            .bind(&block.day)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO block (day, prefix, first, last, next) VALUES (?, ?, ?, ?, ?)")
            .bind(&block.day)
            .bind(&block.prefix)
            .bind(i64::from(block.first))
            .bind(i64::from(block.last))
            .bind(i64::from(block.first))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the next offline number of `day` and records the ticket (with the booking number
    /// of a check-in) in one transaction; `None` when no number is left.
    pub async fn issue(
        &self,
        day: &str,
        service_id: &str,
        issued_at: &str,
        booking_number: Option<&str>,
    ) -> Result<Option<String>, JournalError> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(
            "SELECT rowid, prefix, next FROM block WHERE day = ? AND next <= last ORDER BY rowid LIMIT 1",
        )
        .bind(day)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let (rowid, prefix, next): (i64, String, i64) = (row.get(0), row.get(1), row.get(2));
        let number = format!("{prefix}{next:03}");
        sqlx::query("UPDATE block SET next = next + 1 WHERE rowid = ?")
            .bind(rowid)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO ticket (display_number, day, service_id, issued_at, booking_number)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&number)
        .bind(day)
        .bind(service_id)
        .bind(issued_at)
        .bind(booking_number)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(number))
    }

    /// Tickets not yet filed with the back office.
    pub async fn pending(&self) -> Result<Vec<OfflineTicket>, JournalError> {
        let rows = sqlx::query("SELECT display_number, service_id, issued_at, booking_number FROM ticket WHERE uploaded = 0 ORDER BY issued_at")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| OfflineTicket {
                display_number: r.get(0),
                service_id: r.get(1),
                issued_at: r.get(2),
                booking_number: r.get(3),
            })
            .collect())
    }

    /// Marks a ticket filed (accepted, duplicate or definitely rejected) and forgets its
    /// booking number.
    pub async fn mark_uploaded(
        &self,
        display_number: &str,
        issued_at: &str,
    ) -> Result<(), JournalError> {
        sqlx::query(
            "UPDATE ticket SET uploaded = 1, booking_number = NULL
             WHERE display_number = ? AND issued_at = ?",
        )
        .bind(display_number)
        .bind(issued_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn numbers_come_from_the_block_once_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.db");
        let j = Journal::open(&path).await.expect("open");
        let day = "2026-11-26";
        assert_eq!(
            j.issue(day, "anmeldung", "2026-11-26T10:00:00Z", None)
                .await
                .expect("issue"),
            None
        );
        j.add_block(&Block {
            day: day.into(),
            prefix: "Z".into(),
            first: 1,
            last: 2,
        })
        .await
        .expect("block");
        assert_eq!(j.numbers_left(day).await.expect("left"), 2);
        let a = j
            .issue(day, "anmeldung", "2026-11-26T10:00:00Z", None)
            .await
            .expect("issue");
        assert_eq!(a.as_deref(), Some("Z001"));
        drop(j);
        let j = Journal::open(&path).await.expect("reopen");
        assert_eq!(
            j.issue(day, "fundsache", "2026-11-26T10:01:00Z", None)
                .await
                .expect("issue")
                .as_deref(),
            Some("Z002")
        );
        assert_eq!(
            j.issue(day, "fundsache", "2026-11-26T10:02:00Z", None)
                .await
                .expect("issue"),
            None
        );
        let pending = j.pending().await.expect("pending");
        assert_eq!(pending.len(), 2);
        j.mark_uploaded("Z001", "2026-11-26T10:00:00Z")
            .await
            .expect("mark");
        assert_eq!(j.pending().await.expect("pending").len(), 1);
    }

    #[tokio::test]
    async fn a_check_in_keeps_its_booking_number_only_until_filed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::open(&dir.path().join("journal.db"))
            .await
            .expect("open");
        let day = "2026-11-26";
        j.add_block(&Block {
            day: day.into(),
            prefix: "Z".into(),
            first: 1,
            last: 5,
        })
        .await
        .expect("block");
        let at = "2026-11-26T10:00:00Z";
        let number = j
            .issue(day, "personalausweis", at, Some("100512"))
            .await
            .expect("issue")
            .expect("a number");
        let pending = j.pending().await.expect("pending");
        assert_eq!(pending[0].booking_number.as_deref(), Some("100512"));
        assert!(
            !format!("{:?}", pending[0]).contains("100512"),
            "Debug hides the booking number"
        );
        j.mark_uploaded(&number, at).await.expect("mark");
        let left: Option<String> =
            sqlx::query_scalar("SELECT booking_number FROM ticket WHERE display_number = ?")
                .bind(&number)
                .fetch_one(&j.pool)
                .await
                .expect("row");
        assert_eq!(left, None, "forgotten once filed");
    }

    #[tokio::test]
    async fn a_journal_from_before_offline_check_ins_gains_the_booking_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.db");
        let old = Journal::open(&path).await.expect("open");
        sqlx::query("DROP TABLE ticket")
            .execute(&old.pool)
            .await
            .expect("drop");
        sqlx::query(
            "CREATE TABLE ticket (display_number TEXT NOT NULL, day TEXT NOT NULL,
                 service_id TEXT NOT NULL, issued_at TEXT NOT NULL, uploaded INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (day, display_number))",
        )
        .execute(&old.pool)
        .await
        .expect("old schema");
        drop(old);
        let j = Journal::open(&path).await.expect("reopen");
        j.add_block(&Block {
            day: "2026-11-26".into(),
            prefix: "Z".into(),
            first: 1,
            last: 1,
        })
        .await
        .expect("block");
        j.issue(
            "2026-11-26",
            "anmeldung",
            "2026-11-26T10:00:00Z",
            Some("100512"),
        )
        .await
        .expect("issue with a booking");
    }
}
