//! Row locks for check-then-act writes. On PostgreSQL a write transaction is READ COMMITTED,
//! so a service that reads a row, decides, then writes must first lock the row it decides on
//! (`SELECT … FOR UPDATE`): concurrent votes on one post, accept toggles on one thread and posts
//! by one member then run one after another. On SQLite `BEGIN IMMEDIATE` already holds the
//! database's single write lock for the whole transaction, so these are no-ops there.

use diesel::prelude::*;

use crate::connection::AnyConnection;
use crate::schema::{posts, threads, users};

/// Locks a member's row until the transaction ends (posting rate, reputation cache).
pub fn lock_user(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        users::table
            .find(id)
            .select(users::id)
            .for_update()
            .load::<i64>(pg)?;
    }
    Ok(())
}

/// Locks a post's row until the transaction ends (votes, deletion).
pub fn lock_post(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        posts::table
            .find(id)
            .select(posts::id)
            .for_update()
            .load::<i64>(pg)?;
    }
    Ok(())
}

/// Locks a thread's row until the transaction ends (acceptance, answer counts).
pub fn lock_thread(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        threads::table
            .find(id)
            .select(threads::id)
            .for_update()
            .load::<i64>(pg)?;
    }
    Ok(())
}
