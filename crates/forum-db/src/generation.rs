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
use diesel::sql_types::BigInt;

use crate::connection::AnyConnection;

#[derive(QueryableByName)]
struct Generation {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The current data generation, or `None` where there is none (PostgreSQL).
pub fn current(conn: &mut AnyConnection) -> QueryResult<Option<i64>> {
    match conn {
        AnyConnection::Sqlite(c) => {
            let g: Generation =
                diesel::sql_query("SELECT n FROM data_generation WHERE id = 1").get_result(c)?;
            Ok(Some(g.n))
        }
        AnyConnection::Postgresql(_) => Ok(None),
    }
}
