//! The outbox: derived work (search indexing now; email and webhooks later) recorded in the
//! same transaction as the change. A crash between commit and processing loses nothing: the row
//! is still there. Derived caches (the search index) follow the sequence by id with a cursor of
//! their own; `attempts`, `available_at` and `processed_at` are for work that must happen once
//! (email, webhooks), claimed by one worker.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::schema::outbox;
use crate::time::now;

/// Topic for "reindex this thread" rows; payload is the thread id.
pub const TOPIC_SEARCH: &str = "search";

/// One pending or finished unit of derived work.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub topic: String,
    pub payload: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub available_at: NaiveDateTime,
    pub processed_at: Option<NaiveDateTime>,
}

/// Records work to do; call inside the transaction that makes the change.
pub fn enqueue(conn: &mut AnyConnection, topic: &str, payload: &str) -> QueryResult<()> {
    let t = now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::topic.eq(topic),
            outbox::payload.eq(payload),
            outbox::created_at.eq(t),
            outbox::available_at.eq(t),
        ))
        .execute(conn)?;
    Ok(())
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

/// The newest row id of a topic (0 when empty): where a freshly rebuilt cache starts following.
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
