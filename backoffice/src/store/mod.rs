//! Storage: one code path for SQLite (embedded default) and PostgreSQL, through `sqlx::Any`.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`; all writes go through one connection so
//! they are serialised in-process and never hit `SQLITE_BUSY`. PostgreSQL uses one pool for
//! both; concurrent writers are kept apart by row locks and conditional updates.

pub mod appointments;
pub mod batch;
pub mod cache;
pub mod catalog;
pub mod console_desk;
pub mod console_stats;
pub mod idempotency;
pub mod issuing;
mod order;
pub mod staff;
pub mod terminals;
pub mod tickets;

mod schema;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use batch::Batcher;
use cache::TtlCache;
use catalog::OfficeCatalog;
use terminals::Terminal;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Db(#[from] sqlx::Error),
    #[error("unsupported database URL (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl,
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("the write could not be committed: {0}")]
    CommitFailed(String),
    #[error("stored JSON is invalid")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// Whether the database could not be reached or could not take the write right now (a
    /// retry may succeed), as opposed to a bug or corrupt data (a retry will not help).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::CommitFailed(_) => true,
            StoreError::Db(e) => match e {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Protocol(_) => true,
                sqlx::Error::Database(db) => db.code().is_some_and(|code| transient(&code)),
                _ => false,
            },
            StoreError::UnsupportedUrl | StoreError::Corrupt(_) | StoreError::Json(_) => false,
        }
    }
}

/// Database error codes that pass: SQLite busy, locked, I/O, full, cannot open; PostgreSQL
/// connection exceptions (08…), too many connections, serialization and deadlock failures,
/// insufficient resources (53…), operator intervention (57…).
fn transient(code: &str) -> bool {
    matches!(code, "5" | "6" | "10" | "13" | "14" | "40001" | "40P01")
        || code.starts_with("08")
        || code.starts_with("53")
        || code.starts_with("57")
        // Extended SQLite codes of busy, locked and I/O (`5 | n << 8`, …).
        || code
            .parse::<u32>()
            .is_ok_and(|n| n > 255 && matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
}

/// The database handle shared by all requests.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    read: AnyPool,
    write: AnyPool,
    catalog_cache: Arc<TtlCache<Arc<OfficeCatalog>>>,
    terminal_cache: Arc<TtlCache<Option<Terminal>>>,
    /// Group commit of the writer connection (SQLite only).
    batcher: Option<Arc<Batcher>>,
}

impl Db {
    /// Opens (and for SQLite creates) the database and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl);
        };
        let options = AnyConnectOptions::from_str(url)?;
        let db = match backend {
            Backend::Sqlite => {
                let pool = |n: u32| {
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .acquire_timeout(Duration::from_secs(10))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                                     PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; \
                                     PRAGMA mmap_size=268435456;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                };
                let write = pool(1).connect_with(options.clone()).await?;
                // The writer creates the file and switches it to WAL before readers open it.
                write.execute("SELECT 1").await?;
                let read = pool(4).connect_with(options).await?;
                Self {
                    backend,
                    batcher: Some(Batcher::new(write.clone(), read.clone())),
                    read,
                    write,
                    catalog_cache: Arc::default(),
                    terminal_cache: Arc::default(),
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Self {
                    backend,
                    read: pool.clone(),
                    write: pool,
                    batcher: None,
                    catalog_cache: Arc::default(),
                    terminal_cache: Arc::default(),
                }
            }
        };
        db.migrate().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Pool for queries that only read.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// Pool for anything that writes.
    pub fn write(&self) -> &AnyPool {
        &self.write
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let id = match self.backend {
            Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
            Backend::Postgres => "BIGSERIAL PRIMARY KEY",
        };
        let mut tx = self.write.begin().await?;
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .await?;
        for (name, sql) in schema::MIGRATIONS {
            let done: Option<(String,)> =
                sqlx::query_as("SELECT name FROM schema_migrations WHERE name = $1")
                    .bind(*name)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            tracing::info!(migration = name, "applying migration");
            for statement in sql.replace("%ID%", id).split(';') {
                if !statement.trim().is_empty() {
                    tx.execute(statement).await?;
                }
            }
            sqlx::query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)")
                .bind(*name)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Milliseconds since the Unix epoch, how timestamps are stored.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Whether an error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
