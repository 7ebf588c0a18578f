//! Claiming rows of a once-only topic: one worker at a time holds a row under a lease, delivers
//! it, and marks it done, retried later or dead. On PostgreSQL claimers lock candidate rows with
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows without waiting on each
//! other; on SQLite the claim runs in `BEGIN IMMEDIATE`, which already lets one writer at a time
//! select and update. A lease that runs out (the worker died) makes the row claimable again:
//! delivery is at least once, never lost.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::outbox::OutboxRow;
use crate::pool::write_tx;
use crate::schema::outbox;
use crate::time::{now, plus};

/// The longest `last_error` kept, so a huge error body cannot bloat the table.
const MAX_ERROR_LEN: usize = 2000;

/// Who claims, for how long, and how many attempts a row gets.
#[derive(Debug, Clone, Copy)]
pub struct ClaimSpec<'a> {
    /// This worker's id (recorded in `claimed_by`).
    pub worker: &'a str,
    /// How long the claim holds; the job must finish (or fail) within it.
    pub lease: std::time::Duration,
    /// Rows claimed this many times are not claimed again; when the last holder's lease ran out
    /// without a verdict the row is buried.
    pub max_attempts: i32,
    /// The most rows taken at once.
    pub limit: i64,
}

/// Rows of `topic` that are due, not finished, not dead, not under a live lease and with
/// attempts left. A macro because the PostgreSQL arm adds a locking clause, which changes the
/// query's type.
macro_rules! claimable {
    ($topic:expr, $now:expr, $spec:expr) => {
        outbox::table
            .filter(outbox::topic.eq($topic))
            .filter(outbox::processed_at.is_null())
            .filter(outbox::dead_at.is_null())
            .filter(outbox::available_at.le($now))
            .filter(outbox::attempts.lt($spec.max_attempts))
            .filter(
                outbox::claimed_until
                    .is_null()
                    .or(outbox::claimed_until.lt($now)),
            )
            .order(outbox::id.asc())
            .limit($spec.limit)
            .select(outbox::id)
    };
}

/// The row `id` while `worker` still holds it and it has no verdict.
macro_rules! held_by {
    ($id:expr, $worker:expr) => {
        outbox::table
            .filter(outbox::id.eq($id))
            .filter(outbox::claimed_by.eq($worker))
            .filter(outbox::processed_at.is_null())
            .filter(outbox::dead_at.is_null())
    };
}

/// Leases up to `spec.limit` due rows of `topic` to `spec.worker`, oldest first, counting an
/// attempt on each; returns them as claimed. Runs its own short transaction (call it outside
/// one, or the lease is not visible to other workers until the caller commits). Rows whose last
/// attempt's lease ran out are buried first.
pub fn claim(
    conn: &mut AnyConnection,
    topic: &str,
    spec: &ClaimSpec<'_>,
) -> QueryResult<Vec<OutboxRow>> {
    write_tx(conn, |conn| {
        let t = now();
        let until = plus(t, spec.lease);
        bury_abandoned(conn, topic, spec.max_attempts, t)?;
        let ids: Vec<i64> = match conn {
            AnyConnection::Postgresql(pg) => claimable!(topic, t, spec)
                .for_update()
                .skip_locked()
                .load(pg)?,
            AnyConnection::Sqlite(_) => claimable!(topic, t, spec).load(conn)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::claimed_by.eq(spec.worker),
                outbox::claimed_until.eq(until),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(conn)?;
        outbox::table
            .filter(outbox::id.eq_any(&ids))
            .order(outbox::id.asc())
            .select(OutboxRow::as_select())
            .load(conn)
    })
}

/// Buries rows that used their last attempt but never got a verdict (the worker died holding
/// them, or the attempt limit was lowered): retrying would exceed the limit, dropping them
/// silently would lose them.
fn bury_abandoned(
    conn: &mut AnyConnection,
    topic: &str,
    max_attempts: i32,
    t: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::topic.eq(topic))
            .filter(outbox::processed_at.is_null())
            .filter(outbox::dead_at.is_null())
            .filter(outbox::attempts.ge(max_attempts))
            .filter(
                outbox::claimed_until
                    .is_null()
                    .or(outbox::claimed_until.lt(t)),
            ),
    )
    .set((
        outbox::dead_at.eq(t),
        outbox::last_error.eq("no verdict on the last attempt (the worker stopped holding it)"),
        outbox::claimed_by.eq(None::<String>),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Records that a row was delivered. Any claimer may: a worker whose lease ran out but who did
/// deliver still saves the next holder a repeat (receivers drop repeats by delivery id anyway).
/// A row buried meanwhile is revived as done. Returns false when it was already done.
pub fn mark_done(conn: &mut AnyConnection, id: i64) -> QueryResult<bool> {
    let n = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::processed_at.is_null()),
    )
    .set((
        outbox::processed_at.eq(now()),
        outbox::dead_at.eq(None::<NaiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Releases a failed row for another attempt at `at`. Only the current holder may: when the
/// lease ran out and another worker claimed the row, the stale holder's verdict is ignored.
/// Returns false when this worker no longer held the row.
pub fn retry_later(
    conn: &mut AnyConnection,
    id: i64,
    worker: &str,
    error: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(held_by!(id, worker))
        .set((
            outbox::last_error.eq(truncate(error)),
            outbox::available_at.eq(at),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Puts a row back until `at` without counting the claim as an attempt: the job was claimed
/// before it should run (an email held back so that a notification read on the site meanwhile
/// is not sent). Only the current holder may; returns false when this worker no longer held it.
pub fn defer(
    conn: &mut AnyConnection,
    id: i64,
    worker: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(held_by!(id, worker))
        .set((
            outbox::attempts.eq(outbox::attempts - 1),
            outbox::available_at.eq(at),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Marks a row dead after its last failed attempt (kept, with its error, for an operator).
/// Only the current holder may; returns false when this worker no longer held the row.
pub fn bury(conn: &mut AnyConnection, id: i64, worker: &str, error: &str) -> QueryResult<bool> {
    let n = diesel::update(held_by!(id, worker))
        .set((
            outbox::last_error.eq(truncate(error)),
            outbox::dead_at.eq(now()),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

fn truncate(error: &str) -> &str {
    match error.char_indices().nth(MAX_ERROR_LEN) {
        Some((at, _)) => &error[..at],
        None => error,
    }
}
