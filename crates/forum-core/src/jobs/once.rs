//! Working off a once-only topic: claim a batch, deliver each job, record the verdict.
//!
//! The claim commits before delivery starts and the verdict is written after it ends, so a
//! crash between the two leaves the row claimed until its lease runs out; then another worker
//! delivers it again. Delivery is therefore at least once, and [`Delivery::delivery_id`] (set
//! at enqueue, the same on every attempt) is what a receiver uses to drop the repeat: an
//! email's Message-ID, a webhook's event id.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::NaiveDateTime;
use forum_db::outbox::{bury, claim, defer, mark_done, retry_later, ClaimSpec, OutboxRow};
use forum_db::AnyConnection;

use super::{Job, JobError};

/// What a handler knows about the delivery it makes.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The outbox row.
    pub row_id: i64,
    /// Stable across attempts; send it along so the receiver can drop a repeat.
    pub delivery_id: String,
    /// 1 on the first try.
    pub attempt: i32,
    /// When the job was enqueued.
    pub created_at: NaiveDateTime,
}

/// Delivers the jobs of one once-only topic (sends the email, posts the webhook).
pub trait Deliver: Send + 'static {
    /// The job type, whose topic this handler works off.
    type Job: Job;

    /// Delivers one job. [`JobError::NotYet`] puts it back until then; any other error (or a
    /// panic) is a failed attempt: retried after a backoff,
    /// and the row is dead after the job's last attempt. Must not assume it runs only once.
    fn deliver(&mut self, job: Self::Job, delivery: &Delivery) -> Result<(), JobError>;
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Worked {
    pub claimed: usize,
    pub done: usize,
    /// Failed and released for another attempt.
    pub retried: usize,
    /// Failed on the last attempt.
    pub dead: usize,
    /// Claimed before they were due and put back (no attempt used).
    pub deferred: usize,
}

/// Claims up to `limit` due jobs of `H::Job`'s topic as `worker`, delivers them one by one and
/// records each verdict. Call outside a transaction.
pub fn work_batch<H: Deliver>(
    conn: &mut AnyConnection,
    worker: &str,
    handler: &mut H,
    limit: i64,
) -> Result<Worked, JobError> {
    let retry = H::Job::RETRY;
    let spec = ClaimSpec {
        worker,
        lease: retry.lease,
        max_attempts: retry.max_attempts,
        limit,
    };
    let rows = claim(conn, H::Job::TOPIC, &spec)?;
    let mut out = Worked {
        claimed: rows.len(),
        ..Worked::default()
    };
    for row in rows {
        match deliver_one(handler, &row) {
            Ok(()) => {
                mark_done(conn, row.id)?;
                out.done += 1;
            }
            Err(JobError::NotYet(at)) => {
                defer(conn, row.id, worker, at)?;
                out.deferred += 1;
            }
            Err(e) if row.attempts >= retry.max_attempts => {
                tracing::error!(
                    topic = H::Job::TOPIC, row_id = row.id, delivery_id = %row.delivery_id,
                    attempt = row.attempts, error = %e, "job failed on its last attempt; it is dead"
                );
                bury(conn, row.id, worker, &e.to_string())?;
                out.dead += 1;
            }
            Err(e) => {
                let wait = retry.backoff(row.attempts);
                tracing::warn!(
                    topic = H::Job::TOPIC, row_id = row.id, delivery_id = %row.delivery_id,
                    attempt = row.attempts, retry_in_secs = wait.as_secs(), error = %e,
                    "job failed; it will be retried"
                );
                let at = forum_db::time::plus(forum_db::time::now(), wait);
                retry_later(conn, row.id, worker, &e.to_string(), at)?;
                out.retried += 1;
            }
        }
    }
    Ok(out)
}

/// Decodes and delivers one row; an unreadable payload or a panicking handler is a failure.
fn deliver_one<H: Deliver>(handler: &mut H, row: &OutboxRow) -> Result<(), JobError> {
    let job = H::Job::decode(&row.payload).inspect_err(|e| {
        tracing::error!(topic = H::Job::TOPIC, row_id = row.id, error = %e, "unreadable job");
    })?;
    let delivery = Delivery {
        row_id: row.id,
        delivery_id: row.delivery_id.clone(),
        attempt: row.attempts,
        created_at: row.created_at,
    };
    catch_unwind(AssertUnwindSafe(|| handler.deliver(job, &delivery)))
        .unwrap_or_else(|panic| Err(JobError::handler(panic_message(&panic))))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("the handler panicked: {text}")
}
