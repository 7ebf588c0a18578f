//! Following a topic: this node applies every row to a cache of its own (the search index),
//! keeping its position in a cursor file beside the cache, written only after the cache
//! committed. A crash at any point leaves work to redo, never work lost.
//!
//! Rows are read by id. On PostgreSQL an id is taken at insert but visible at commit, so a row
//! can appear below a cursor that already moved past it; each step re-reads a recent window
//! below the cursor for such rows. A follower whose cursor lies below what pruning deleted
//! cannot catch up row by row and rebuilds its cache from the database instead.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use forum_db::outbox::{after, follow_start, pruned_through, recent_below, OutboxRow};
use forum_db::AnyConnection;

use super::{Job, JobError};

/// How far back a follower re-reads for rows that committed late (out of id order).
const LOOKBACK: Duration = Duration::from_secs(30);
/// Rows applied per step.
const BATCH: i64 = 500;

/// Applies a followed topic's jobs to this node's cache.
pub trait Follow: Send + 'static {
    /// The job type, whose topic this follows.
    type Job: Job;

    /// Applies a batch; the cursor moves past it only when this returns `Ok`, so a failed batch
    /// is applied again (appliers must be idempotent).
    fn apply(&mut self, conn: &mut AnyConnection, jobs: &[Self::Job]) -> Result<(), JobError>;

    /// Rebuilds the whole cache from the database (the truth), calling `progress(done)` now and
    /// then; returns how many items it holds.
    fn rebuild(
        &mut self,
        conn: &mut AnyConnection,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize, JobError>;
}

/// This node's position in a followed topic.
#[derive(Debug)]
pub struct Follower<J> {
    file: Option<PathBuf>,
    cursor: i64,
    /// Rows at or below the cursor applied recently, so late-committed rows are told apart.
    recent: HashMap<i64, Instant>,
    job: PhantomData<fn() -> J>,
}

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepped {
    /// Rows applied (unreadable rows count: they were looked at and skipped).
    Applied(usize),
    /// The follower was behind the pruned outbox; the cache was rebuilt with this many items.
    Rebuilt(usize),
}

impl<J: Job> Follower<J> {
    /// A follower whose cursor lives in `file` (none: kept in memory only, starting at 0).
    pub fn open(file: Option<PathBuf>) -> Follower<J> {
        let cursor = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        Follower {
            file,
            cursor,
            recent: HashMap::new(),
            job: PhantomData,
        }
    }

    /// The last applied row id.
    pub fn cursor(&self) -> i64 {
        self.cursor
    }

    /// Moves the cursor, saving it first (written to a temporary file, then renamed).
    pub fn set_cursor(&mut self, cursor: i64) -> Result<(), JobError> {
        if let Some(f) = &self.file {
            let tmp = f.with_extension("tmp");
            std::fs::write(&tmp, cursor.to_string()).map_err(JobError::Cursor)?;
            std::fs::rename(&tmp, f).map_err(JobError::Cursor)?;
        }
        self.cursor = cursor;
        Ok(())
    }

    /// True when pruning deleted rows above the cursor: this follower missed them.
    pub fn is_behind(&self, conn: &mut AnyConnection) -> Result<bool, JobError> {
        Ok(self.cursor < pruned_through(conn, J::TOPIC)?)
    }

    /// The rows not applied yet: late rows in the recent window below the cursor, then the
    /// next batch above it.
    fn unseen(&mut self, conn: &mut AnyConnection) -> Result<Vec<OutboxRow>, JobError> {
        let since = forum_db::time::minus(forum_db::time::now(), LOOKBACK);
        let mut rows: Vec<OutboxRow> = recent_below(conn, J::TOPIC, self.cursor, since)?
            .into_iter()
            .filter(|r| !self.recent.contains_key(&r.id))
            .collect();
        rows.extend(after(conn, J::TOPIC, self.cursor, BATCH)?);
        self.recent.retain(|_, at| at.elapsed() < LOOKBACK * 2);
        Ok(rows)
    }
}

/// Applies the next batch of `F::Job`'s topic with `handler`, or rebuilds when the follower
/// fell behind the pruned outbox. A row whose payload cannot be read is logged as an error and
/// skipped (a follower cannot stop for it; a rebuild from the database repairs what it missed).
pub fn follow_step<F: Follow>(
    conn: &mut AnyConnection,
    follower: &mut Follower<F::Job>,
    handler: &mut F,
) -> Result<Stepped, JobError> {
    let rows = follower.unseen(conn)?;
    // Checked after reading: a prune that committed before the read shows here; one that
    // commits later deleted nothing this read missed.
    if follower.is_behind(conn)? {
        tracing::warn!(
            topic = F::Job::TOPIC,
            cursor = follower.cursor(),
            "follower is behind the pruned outbox; rebuilding from the database"
        );
        return rebuild(conn, follower, handler, &mut |_| {}).map(Stepped::Rebuilt);
    }
    if rows.is_empty() {
        return Ok(Stepped::Applied(0));
    }
    let mut jobs = Vec::with_capacity(rows.len());
    for r in &rows {
        match F::Job::decode(&r.payload) {
            Ok(job) => jobs.push(job),
            Err(e) => tracing::error!(
                topic = F::Job::TOPIC, row_id = r.id, error = %e,
                "skipping an outbox row this build cannot read"
            ),
        }
    }
    handler.apply(conn, &jobs)?;
    let now = Instant::now();
    let mut top = follower.cursor;
    for r in &rows {
        follower.recent.insert(r.id, now);
        top = top.max(r.id);
    }
    follower.set_cursor(top)?;
    Ok(Stepped::Applied(rows.len()))
}

/// Rebuilds the cache from the database and moves the follower to where the outbox ended when
/// the rebuild began (past pruned rows too); rows written during it are applied again, which is
/// harmless.
pub fn rebuild<F: Follow>(
    conn: &mut AnyConnection,
    follower: &mut Follower<F::Job>,
    handler: &mut F,
    progress: &mut dyn FnMut(usize),
) -> Result<usize, JobError> {
    let start = follow_start(conn, F::Job::TOPIC)?;
    let n = handler.rebuild(conn, progress)?;
    follower.recent.clear();
    follower.set_cursor(start)?;
    Ok(n)
}
