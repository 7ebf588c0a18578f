//! The data generation: a number that moves whenever anything a page shows is committed, so a
//! reader can keep what it read and reuse it until the number moves.
//!
//! On SQLite, triggers on every content table bump one counter row inside the writing
//! transaction (migration `data_generation`), so every writer (the server, the CLI, an import)
//! moves it, and it commits with the data it stands for. Read it *before* the data it guards:
//! data read afterwards is at least as new, so at worst a newer read is filed under an older
//! number and simply replaced at the next read.
//!
//! On PostgreSQL several nodes write concurrently and one counter row would serialise every
//! write transaction, so there is no generation: callers read from the database every time.

use diesel::prelude::*;

use crate::connection::AnyConnection;

// Declared here rather than in the shared schema: the table exists on SQLite only.
diesel::table! {
    data_generation (id) {
        id -> BigInt,
        n -> BigInt,
    }
}

/// The current data generation, or `None` where there is none (PostgreSQL).
pub fn current(conn: &mut AnyConnection) -> QueryResult<Option<i64>> {
    match conn {
        // No `.first()`: its bound `LIMIT` makes SQLite prepare the statement again each time.
        AnyConnection::Sqlite(c) => Ok(data_generation::table
            .find(1)
            .select(data_generation::n)
            .load(c)?
            .into_iter()
            .next()),
        AnyConnection::Postgresql(_) => Ok(None),
    }
}
