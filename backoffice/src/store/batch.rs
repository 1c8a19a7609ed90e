//! Group commit for SQLite: the writes of concurrent requests run one after the other on the
//! single writer connection inside one transaction, each in a savepoint of its own, and are
//! made durable by one commit (one WAL sync) together. Nobody hears of a write before the
//! commit that holds it has succeeded.
//!
//! A request whose own write fails (a quota reached, a number range full) has its savepoint
//! rolled back and gets its error; the others in the batch are unaffected. If the commit
//! itself fails, every request of the batch gets the error.
//!
//! PostgreSQL needs none of this (many connections, row locks): there each write is a
//! transaction of its own, see [`Db::write_job`].

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::{Acquire, AnyConnection, AnyPool, Executor};
use tokio::sync::oneshot;

use super::{Db, StoreError, now_ms};

/// Most writes committed together.
const MAX_BATCH: usize = 256;

/// Least time between two background checkpoints.
const CHECKPOINT_EVERY_MS: i64 = 1000;

/// Called after the batch's commit with its outcome.
type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;

/// One request's write: runs on the writer connection, says whether to keep it.
type JobFn =
    Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (bool, Deliver)> + Send>;

struct Job {
    run: JobFn,
    /// Whether the write needs a savepoint to be undone (more than one statement).
    savepoint: bool,
}

/// The writes waiting for the writer connection.
pub struct Batcher {
    pool: AnyPool,
    /// Where WAL checkpoints run, so the writer does not wait for them.
    readers: AnyPool,
    queue: Mutex<VecDeque<Job>>,
    /// A task is draining the queue.
    draining: AtomicBool,
    /// When the last checkpoint started (milliseconds since the epoch).
    last_checkpoint: AtomicI64,
}

impl Batcher {
    pub fn new(pool: AnyPool, readers: AnyPool) -> Arc<Self> {
        Arc::new(Self {
            pool,
            readers,
            queue: Mutex::default(),
            draining: AtomicBool::new(false),
            last_checkpoint: AtomicI64::new(0),
        })
    }

    /// Copies committed pages from the WAL into the database file on a reader connection,
    /// at most once a second, so the WAL stays short and the writer's own (automatic)
    /// checkpoint, which would hold up every request of its batch, is rarely due.
    fn checkpoint_if_due(&self) {
        let now = now_ms();
        let last = self.last_checkpoint.load(Ordering::Acquire);
        if now - last < CHECKPOINT_EVERY_MS
            || self
                .last_checkpoint
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return;
        }
        let readers = self.readers.clone();
        tokio::spawn(async move {
            if let Err(error) = readers.execute("PRAGMA wal_checkpoint(PASSIVE)").await {
                tracing::warn!(%error, "WAL checkpoint failed");
            }
        });
    }

    fn submit(self: &Arc<Self>, job: Job) {
        self.queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(job);
        self.start_draining();
    }

    /// Starts a draining task unless one runs. The task is spawned, so a request that goes
    /// away (its client hung up) never cuts a batch short.
    fn start_draining(self: &Arc<Self>) {
        if self
            .draining
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let batch: Vec<Job> = {
                    let mut queue = this.queue.lock().unwrap_or_else(|p| p.into_inner());
                    let n = queue.len().min(MAX_BATCH);
                    queue.drain(..n).collect()
                };
                if batch.is_empty() {
                    this.draining.store(false, Ordering::Release);
                    // A job queued between the drain and the flag would wait for nobody.
                    let pending = !this
                        .queue
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .is_empty();
                    if pending
                        && this
                            .draining
                            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                            .is_ok()
                    {
                        continue;
                    }
                    return;
                }
                // A panicking job must not leave the queue without a drainer.
                if AssertUnwindSafe(run_batch(&this.pool, batch))
                    .catch_unwind()
                    .await
                    .is_err()
                {
                    tracing::error!("a write panicked; its batch was rolled back");
                }
                this.checkpoint_if_due();
            }
        });
    }
}

/// Runs the jobs in one transaction, each that needs it in a savepoint, and tells each the
/// outcome. Savepoint statements between two jobs go to SQLite in one round trip.
async fn run_batch(pool: &AnyPool, jobs: Vec<Job>) {
    let mut delivers = Vec::with_capacity(jobs.len());
    let committed = async {
        let mut conn = pool.acquire().await?;
        // Dropping the transaction on an error or a panic rolls it back.
        let mut tx = conn.begin().await?;
        let mut control = String::new();
        for job in jobs {
            if job.savepoint {
                control.push_str("SAVEPOINT job;");
            }
            if !control.is_empty() {
                tx.execute(control.as_str()).await?;
                control.clear();
            }
            // On an error the jobs not yet run are dropped, and their requests hear so.
            let (keep, deliver) = (job.run)(&mut tx).await;
            delivers.push(deliver);
            match (job.savepoint, keep) {
                (true, true) => control.push_str("RELEASE job;"),
                (true, false) => control.push_str("ROLLBACK TO job; RELEASE job;"),
                (false, _) => {}
            }
        }
        if !control.is_empty() {
            tx.execute(control.as_str()).await?;
        }
        tx.commit().await
    }
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "a batch of writes could not be committed");
        e.to_string()
    });
    for deliver in delivers {
        deliver(committed.clone());
    }
}

impl Db {
    /// Runs `work` as one atomic write and returns its result once it is durable: batched
    /// with concurrent writes on SQLite, a transaction of its own on PostgreSQL. An `Err`
    /// from `work` undoes whatever it wrote.
    pub async fn write_job<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        self.batched(true, work).await
    }

    /// [`Self::write_job`] for `work` that is a single statement (atomic by itself).
    pub async fn write_statement<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        self.batched(false, work).await
    }

    async fn batched<T, E, F>(&self, savepoint: bool, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        let Some(batcher) = &self.batcher else {
            if !savepoint {
                // One statement commits by itself.
                let mut conn = self.write().acquire().await.map_err(StoreError::from)?;
                return work(&mut conn).await;
            }
            let mut tx = self.write().begin().await.map_err(StoreError::from)?;
            let out = work(&mut tx).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(out);
        };
        let (send, receive) = oneshot::channel();
        let run: JobFn = Box::new(move |conn: &mut AnyConnection| {
            Box::pin(async move {
                let result = work(conn).await;
                let keep = result.is_ok();
                let deliver: Deliver = Box::new(move |committed| {
                    let _ = send.send(match committed {
                        Ok(()) => result,
                        Err(e) => Err(StoreError::CommitFailed(e).into()),
                    });
                });
                (keep, deliver)
            })
        });
        batcher.submit(Job { run, savepoint });
        receive
            .await
            .unwrap_or_else(|_| Err(StoreError::CommitFailed("the writer stopped".into()).into()))
    }
}
