//! The outbox: derived work (search indexing, email; webhooks later) recorded in the
//! same transaction as the change. A crash between commit and processing loses nothing: the row
//! is still there. A topic is used one of two ways:
//!
//! - followed: every node applies every row to a cache of its own (the search index), with a
//!   cursor of its own, reading by id ([`after`], [`recent_below`]); nothing is marked;
//! - claimed once ([`claim`]): one worker leases a row, delivers it and marks it done, or the
//!   row is retried with backoff and finally buried as dead.
//!
//! Old rows are deleted by [`prune`]; a follower whose cursor lies below what pruning removed
//! must rebuild its cache from the database ([`follow_start`] says where to resume).

mod claim;
mod prune;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::schema::outbox;
use crate::time::now;

pub use claim::{bury, claim, defer, mark_done, retry_later, ClaimSpec};
pub use prune::{follow_start, prune, pruned_through, Pruned, Retention};

/// Topic for "reindex this thread" rows (the job is `forum_core::jobs::ReindexThread`); kept
/// here because `/healthz` counts this topic's backlog.
pub const TOPIC_SEARCH: &str = "search";

/// One pending or finished unit of derived work.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub topic: String,
    pub payload: String,
    /// Claims so far (a claim counts as an attempt, so a job that kills its worker still runs out).
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    /// Not claimable before this (backoff after a failure).
    pub available_at: NaiveDateTime,
    pub processed_at: Option<NaiveDateTime>,
    /// Set once at enqueue and never changed: the id a receiver uses to drop a repeated delivery.
    pub delivery_id: String,
    pub claimed_by: Option<String>,
    /// The lease: after this another worker may claim the row again.
    pub claimed_until: Option<NaiveDateTime>,
    /// Set when the last attempt failed; a dead row is kept for inspection, never retried.
    pub dead_at: Option<NaiveDateTime>,
}

/// Records work to do and returns its delivery id; call inside the transaction that makes the
/// change, so the row commits (or rolls back) with it.
pub fn enqueue(conn: &mut AnyConnection, topic: &str, payload: &str) -> QueryResult<String> {
    let t = now();
    let delivery_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(outbox::table)
        .values((
            outbox::topic.eq(topic),
            outbox::payload.eq(payload),
            outbox::created_at.eq(t),
            outbox::available_at.eq(t),
            outbox::delivery_id.eq(&delivery_id),
        ))
        .execute(conn)?;
    Ok(delivery_id)
}

/// Rows of a topic with an id above `cursor`, oldest first: what a follower has not seen yet.
/// Each node follows the sequence with its own cursor, so every node's derived cache (its search
/// index) sees every change.
pub fn after(
    conn: &mut AnyConnection,
    topic: &str,
    cursor: i64,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .filter(outbox::id.gt(cursor))
        .order(outbox::id.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Rows at or below `cursor` written since `since`. On PostgreSQL ids are taken at insert but
/// become visible at commit, so a slow transaction can commit a row below a cursor that already
/// moved past it; followers re-read this recent window to catch such rows.
pub fn recent_below(
    conn: &mut AnyConnection,
    topic: &str,
    cursor: i64,
    since: NaiveDateTime,
) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .filter(outbox::id.le(cursor))
        .filter(outbox::created_at.ge(since))
        .order(outbox::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}

/// The newest row id of a topic (0 when empty).
pub fn last_id(conn: &mut AnyConnection, topic: &str) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .select(diesel::dsl::max(outbox::id))
        .first::<Option<i64>>(conn)
        .map(|m| m.unwrap_or(0))
}

/// How many rows of a topic lie beyond `cursor`, for `/healthz` and tests.
pub fn count_after(conn: &mut AnyConnection, topic: &str, cursor: i64) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .filter(outbox::id.gt(cursor))
        .count()
        .get_result(conn)
}

/// One row by id, for tests and operators looking at a dead job.
pub fn row(conn: &mut AnyConnection, id: i64) -> QueryResult<OutboxRow> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
}
