//! Row locks for check-then-act writes. On PostgreSQL a write transaction is READ COMMITTED,
//! so a service that reads a row, decides, then writes must first lock the row it decides on
//! (`SELECT … FOR UPDATE`): concurrent votes on one post, accept toggles on one thread and posts
//! by one member then run one after another. On SQLite `BEGIN IMMEDIATE` already holds the
//! database's single write lock for the whole transaction, so these are no-ops there.

use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::ids::{PostId, ThreadId, UserId};
use crate::schema::{posts, threads, users};

/// Defines `fn $name(conn, id)`: `SELECT id FROM $table WHERE id = $1 FOR UPDATE` on
/// PostgreSQL, nothing on SQLite.
macro_rules! row_lock {
    ($(#[$doc:meta])* $name:ident, $table:ident, $id:ty) => {
        $(#[$doc])*
        pub fn $name(conn: &mut AnyConnection, id: $id) -> QueryResult<()> {
            if let AnyConnection::Postgresql(pg) = conn {
                $table::table
                    .find(id)
                    .select($table::id)
                    .for_update()
                    .load::<$id>(pg)?;
            }
            Ok(())
        }
    };
}

/// Locks members' rows in ascending id order, the one order every service uses, so two writers
/// touching the same members wait for each other instead of deadlocking.
pub fn lock_users(conn: &mut AnyConnection, ids: &[UserId]) -> QueryResult<()> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        lock_user(conn, id)?;
    }
    Ok(())
}

row_lock!(
    /// Locks a member's row until the transaction ends (posting rate, reputation cache).
    lock_user,
    users,
    UserId
);
row_lock!(
    /// Locks a post's row until the transaction ends (votes, edits, deletion).
    lock_post,
    posts,
    PostId
);
row_lock!(
    /// Locks a thread's row until the transaction ends (acceptance, answers, deletion).
    lock_thread,
    threads,
    ThreadId
);
