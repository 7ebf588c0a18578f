//! Typed background jobs on the outbox. A job is a serde type with a topic and a kind
//! ([`Job`]); a service enqueues it in the transaction that makes the change, and a [`Runner`]
//! (started by the binary, outside any request) works it off:
//!
//! - [`TopicKind::Followed`]: every node applies every job to a cache of its own, with a cursor
//!   of its own ([`Follower`], [`Follow`]); the search index works this way;
//! - [`TopicKind::Once`]: one worker claims a job under a lease, delivers it and marks it done;
//!   failures are retried with backoff, then the row is dead ([`Deliver`]). Delivery is at
//!   least once, with a stable [`Delivery::delivery_id`] receivers use to drop a repeat.
//!
//! One file per job type (`reindex_thread.rs`); docs/JOBS.md explains how to add one.

mod error;
mod follow;
mod once;
mod reindex_thread;
mod retry;
mod runner;

use forum_db::AnyConnection;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{CoreError, CoreResult};

pub use error::JobError;
pub use follow::{follow_step, rebuild, Follow, Follower, Stepped};
pub use once::{work_batch, Deliver, Delivery, Worked};
pub use reindex_thread::ReindexThread;
pub use retry::{Retention, Retry};
pub use runner::{Runner, RunnerHandle};

/// How a topic's rows are consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicKind {
    /// Every node applies every row to its own derived cache, following by id with its own
    /// cursor; rows are never marked, and pruned by age.
    Followed,
    /// One worker claims each row, delivers it at least once and marks it done (or dead).
    Once,
}

/// A unit of background work. The payload is the job serialized as JSON, so a field added with
/// `#[serde(default)]` keeps rows written by an older build readable.
pub trait Job: Serialize + DeserializeOwned + Send + 'static {
    /// The outbox topic; one job type per topic.
    const TOPIC: &'static str;
    /// Whether every node follows the topic or one worker claims each row.
    const KIND: TopicKind;
    /// Attempts, backoff and lease of a once-only job (unused for followed topics).
    const RETRY: Retry = Retry::DEFAULT;

    /// Records the job; call in the transaction that makes the change, so the job commits (or
    /// rolls back) with it. Returns its delivery id.
    fn enqueue(&self, conn: &mut AnyConnection) -> CoreResult<String> {
        let payload = serde_json::to_string(self)
            .map_err(|e| CoreError::from(diesel::result::Error::SerializationError(Box::new(e))))?;
        Ok(forum_db::outbox::enqueue(conn, Self::TOPIC, &payload)?)
    }

    /// Reads a row's payload back; a payload this build cannot read is an error the runner
    /// logs (and, for once-only jobs, counts as a failed attempt), never a silent drop.
    fn decode(payload: &str) -> Result<Self, JobError> {
        serde_json::from_str(payload).map_err(|source| JobError::Payload {
            topic: Self::TOPIC,
            source,
        })
    }
}
