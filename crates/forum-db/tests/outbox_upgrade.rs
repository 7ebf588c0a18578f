//! The jobs migration on a database that already has outbox rows: ids are kept (a follower's
//! cursor stays valid), every row gets a distinct delivery id, and old payloads stay as they were.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use forum_db::connection::{establish, sqlite_path};
use forum_db::outbox::{after, enqueue, OutboxRow};
use forum_db::test_util::TestDb;
use forum_db::Backend;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
/// Two rows as the previous build wrote them (a fresh database numbers them 1 and 2).
const OLD_ROWS: &str = "INSERT INTO outbox (topic, payload, attempts, created_at, available_at) \
     VALUES ('search', '42', 0, '2026-11-30 10:00:00', '2026-11-30 10:00:00'), \
            ('search', '43', 0, '2026-11-30 10:00:01', '2026-11-30 10:00:01')";

/// Applies every migration before the jobs one, writes old-shape rows, then applies the rest.
/// (A macro: the embedded source is a const that is not `Copy`, and each call consumes one.)
macro_rules! upgrade_with_rows {
    ($conn:expr, $source:ident, $db:ty) => {{
        let before_jobs = MigrationSource::<$db>::migrations(&$source)
            .unwrap()
            .iter()
            .take_while(|m| !m.name().to_string().contains("_jobs"))
            .count();
        for _ in 0..before_jobs {
            $conn.run_next_migration($source).unwrap();
        }
        $conn.batch_execute(OLD_ROWS).unwrap();
        $conn.run_pending_migrations($source).unwrap();
    }};
}

fn upgrade_keeps_rows(backend: Backend) {
    let (url, _guard) = TestDb::empty(backend);
    match backend {
        Backend::Sqlite => {
            let mut c = SqliteConnection::establish(sqlite_path(&url)).unwrap();
            upgrade_with_rows!(c, SQLITE, diesel::sqlite::Sqlite);
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(&url).unwrap();
            upgrade_with_rows!(c, POSTGRES, diesel::pg::Pg);
        }
    }
    let mut conn = establish(&url).unwrap();
    let rows: Vec<OutboxRow> = after(&mut conn, "search", 0, 10).unwrap();
    let seen: Vec<(i64, &str)> = rows.iter().map(|r| (r.id, r.payload.as_str())).collect();
    assert_eq!(seen, vec![(1, "42"), (2, "43")]);
    assert!(rows.iter().all(|r| r.delivery_id.len() >= 32));
    assert_ne!(rows[0].delivery_id, rows[1].delivery_id);
    assert!(rows
        .iter()
        .all(|r| r.claimed_by.is_none() && r.dead_at.is_none()));
    enqueue(&mut conn, "search", "44").unwrap();
    let next = after(&mut conn, "search", 2, 10).unwrap();
    assert_eq!(next.len(), 1, "new rows continue after the old ids");
    assert!(next[0].id > 2);
}

#[test]
fn sqlite_upgrade_keeps_outbox_rows() {
    upgrade_keeps_rows(Backend::Sqlite);
}

#[test]
fn postgres_upgrade_keeps_outbox_rows() {
    upgrade_keeps_rows(Backend::Postgres);
}
