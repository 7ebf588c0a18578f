//! The outbox: derived work (search indexing now; email and webhooks later) recorded in the
//! same transaction as the change, drained afterwards by a worker. A crash between commit and
//! processing loses nothing; the worker simply finds the row again.

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

/// The oldest unprocessed rows of a topic that are due, at most `limit`.
pub fn pending(conn: &mut AnyConnection, topic: &str, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .filter(outbox::processed_at.is_null())
        .filter(outbox::available_at.le(now()))
        .order(outbox::id.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Marks rows done.
pub fn mark_processed(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set(outbox::processed_at.eq(Some(now())))
        .execute(conn)
}

/// Records a failure and pushes the row back with a growing delay (capped at ten minutes).
pub fn mark_failed(conn: &mut AnyConnection, row: &OutboxRow, error: &str) -> QueryResult<usize> {
    let backoff = 2_i64
        .saturating_pow(row.attempts.clamp(0, 9) as u32)
        .min(600);
    diesel::update(outbox::table.find(row.id))
        .set((
            outbox::attempts.eq(row.attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::available_at.eq(now() + chrono::Duration::seconds(backoff)),
        ))
        .execute(conn)
}

/// How many rows are waiting, for `/healthz` and tests.
pub fn pending_count(conn: &mut AnyConnection, topic: &str) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::topic.eq(topic))
        .filter(outbox::processed_at.is_null())
        .count()
        .get_result(conn)
}
