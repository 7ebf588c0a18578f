//! Deleting old outbox rows, and the watermark that tells a follower it fell behind them.
//!
//! Done and dead rows of once-only topics go after a retention. Rows of a followed topic are
//! never marked, so they go by age; before any of them is deleted the topic's watermark (the
//! highest id pruning removed, in `outbox_pruned`) is raised and committed. A follower whose
//! cursor is below the watermark may have missed rows and must rebuild its cache from the
//! database; one at or above it has applied everything that was deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::connection::AnyConnection;
use crate::outbox::last_id;
use crate::schema::{outbox, outbox_pruned};
use crate::time::now;

/// Rows deleted per statement, so SQLite's write lock is never held for long.
const BATCH: i64 = 5000;

/// Deletes the rows matching `$pred` in batches of [`BATCH`]; evaluates to the count deleted.
macro_rules! delete_batched {
    ($conn:expr, $pred:expr) => {{
        let mut deleted = 0usize;
        loop {
            let ids: Vec<i64> = outbox::table
                .filter($pred)
                .select(outbox::id)
                .limit(BATCH)
                .load($conn)?;
            let n = diesel::delete(outbox::table.filter(outbox::id.eq_any(&ids))).execute($conn)?;
            deleted += n;
            if ids.len() < BATCH as usize {
                break deleted;
            }
        }
    }};
}

/// The cut-off times for each kind of old row.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Done rows processed before this are deleted.
    pub done_before: NaiveDateTime,
    /// Dead rows buried before this are deleted (kept longer, for an operator to look at).
    pub dead_before: NaiveDateTime,
    /// Rows of followed topics written before this are deleted.
    pub followed_before: NaiveDateTime,
}

/// How many rows one prune deleted, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub done: usize,
    pub dead: usize,
    pub followed: usize,
}

/// Deletes rows `retention` no longer keeps. `followed` lists the followed topics (the storage
/// does not know which topics are followed). Safe to run on several nodes at once.
pub fn prune(
    conn: &mut AnyConnection,
    followed: &[&str],
    retention: &Retention,
) -> QueryResult<Pruned> {
    let mut out = Pruned::default();
    for topic in followed {
        let through: Option<i64> = outbox::table
            .filter(outbox::topic.eq(*topic))
            .filter(outbox::created_at.lt(retention.followed_before))
            .select(diesel::dsl::max(outbox::id))
            .first(conn)?;
        if let Some(through) = through {
            raise_watermark(conn, topic, through)?;
            out.followed +=
                delete_batched!(conn, outbox::topic.eq(*topic).and(outbox::id.le(through)));
        }
    }
    out.done += delete_batched!(conn, outbox::processed_at.lt(retention.done_before));
    out.dead += delete_batched!(conn, outbox::dead_at.lt(retention.dead_before));
    Ok(out)
}

/// The highest id pruning deleted from `topic` (0 when none): a follower below it rebuilds.
pub fn pruned_through(conn: &mut AnyConnection, topic: &str) -> QueryResult<i64> {
    outbox_pruned::table
        .find(topic)
        .select(outbox_pruned::through_id)
        .first::<i64>(conn)
        .optional()
        .map(|v| v.unwrap_or(0))
}

/// Where a follower starts after rebuilding its cache from the database: past every row that
/// exists and every row pruning removed. Read it before the rebuild starts, so rows written
/// during the rebuild are applied again (harmless) rather than skipped.
pub fn follow_start(conn: &mut AnyConnection, topic: &str) -> QueryResult<i64> {
    Ok(last_id(conn, topic)?.max(pruned_through(conn, topic)?))
}

/// Sets the watermark of `topic` to at least `through` (never lowers it: two nodes pruning with
/// different clocks must not undo each other). Commits on its own, before any row is deleted.
fn raise_watermark(conn: &mut AnyConnection, topic: &str, through: i64) -> QueryResult<()> {
    // The upsert's WHERE clause comes from `FilterDsl`, which `QueryDsl` does not forward.
    use diesel::query_dsl::methods::FilterDsl;
    macro_rules! upsert {
        ($c:expr) => {
            diesel::insert_into(outbox_pruned::table)
                .values((
                    outbox_pruned::topic.eq(topic),
                    outbox_pruned::through_id.eq(through),
                    outbox_pruned::pruned_at.eq(now()),
                ))
                .on_conflict(outbox_pruned::topic)
                .do_update()
                .set((
                    outbox_pruned::through_id.eq(excluded(outbox_pruned::through_id)),
                    outbox_pruned::pruned_at.eq(excluded(outbox_pruned::pruned_at)),
                ))
                .filter(outbox_pruned::through_id.lt(excluded(outbox_pruned::through_id)))
                .execute($c)
        };
    }
    // diesel's MultiConnection has no upsert; each backend runs the same statement.
    match conn {
        AnyConnection::Postgresql(pg) => upsert!(pg)?,
        AnyConnection::Sqlite(sqlite) => upsert!(sqlite)?,
    };
    Ok(())
}
