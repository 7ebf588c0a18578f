//! A writer that cannot get SQLite's write lock waits a bounded time, then fails as "busy" (the
//! web layer answers 503 with Retry-After), never with the driver's "database is locked".

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::connection::SimpleConnection;
use forum_core::CoreError;
use forum_db::test_util::TestDb;
use forum_db::DbError;

#[test]
fn a_held_write_lock_is_busy_not_an_internal_error() {
    let t = TestDb::sqlite();
    let c = &mut conn(&t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let thread = ask_in(c, &asker, &cat);
    let mut holder = conn(&t);
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let a = actor(c, &asker);
    let started = std::time::Instant::now();
    let result = answer(c, &a, thread.id, "An answer that has to wait for the lock.");
    holder.batch_execute("ROLLBACK").unwrap();
    match result {
        Err(CoreError::Db(DbError::Busy(_))) => {}
        other => panic!("expected Busy, got {other:?}"),
    }
    assert!(started.elapsed().as_secs() < 30, "the wait is bounded");
    answer(
        c,
        &a,
        thread.id,
        "Once the lock is free the answer goes through.",
    )
    .unwrap();
}
