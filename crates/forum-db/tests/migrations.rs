//! The two migration folders stay in step, and every migration runs up, down and up again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use forum_db::connection::establish;
use forum_db::migrations::{embedded_names, revert_all, run_pending};
use forum_db::test_util::TestDb;
use forum_db::{write_tx, Backend};

#[test]
fn migration_folders_list_the_same_names() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
    let list = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{root}/{d}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let sqlite = list("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, list("postgres"));
    assert_eq!(
        embedded_names(Backend::Sqlite),
        embedded_names(Backend::Postgres)
    );
    for d in &sqlite {
        for side in ["sqlite", "postgres"] {
            for f in ["up.sql", "down.sql"] {
                assert!(
                    std::path::Path::new(&format!("{root}/{side}/{d}/{f}")).exists(),
                    "{side}/{d}/{f}"
                );
            }
        }
    }
}

fn up_down_up(backend: Backend) {
    let (url, _guard) = TestDb::empty(backend);
    let applied = run_pending(&url).unwrap();
    assert_eq!(applied.len(), embedded_names(backend).len());
    assert!(
        run_pending(&url).unwrap().is_empty(),
        "second run applies nothing"
    );
    let reverted = revert_all(&url).unwrap();
    assert_eq!(reverted.len(), applied.len());
    let mut conn = establish(&url).unwrap();
    let users_left: QueryResult<i64> = forum_db::schema::users::table.count().get_result(&mut conn);
    assert!(users_left.is_err(), "tables are gone after revert");
    drop(conn);
    assert_eq!(run_pending(&url).unwrap().len(), applied.len());
}

#[test]
fn sqlite_migrations_up_down_up() {
    up_down_up(Backend::Sqlite);
}

#[test]
fn postgres_migrations_up_down_up() {
    up_down_up(Backend::Postgres);
}

#[test]
fn sqlite_connections_get_durable_pragmas() {
    let t = TestDb::sqlite();
    let mut conn = t.db.conn().unwrap();
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    #[derive(QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    #[derive(QueryableByName)]
    struct Fk {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        foreign_keys: i32,
    }
    let m: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(&mut *conn)
        .unwrap();
    let s: Sync = diesel::sql_query("PRAGMA synchronous")
        .get_result(&mut *conn)
        .unwrap();
    let f: Fk = diesel::sql_query("PRAGMA foreign_keys")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(m.journal_mode, "wal");
    assert_eq!(s.synchronous, 2, "FULL");
    assert_eq!(f.foreign_keys, 1);
}

fn rollback_keeps_nothing(t: &TestDb) {
    use forum_db::schema::tags;
    let mut conn = t.db.conn().unwrap();
    let r: Result<(), diesel::result::Error> = write_tx(&mut conn, |c| {
        diesel::insert_into(tags::table)
            .values((
                tags::name.eq("x"),
                tags::created_at.eq(forum_db::time::now()),
            ))
            .execute(c)?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(r.is_err());
    let n: i64 = tags::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(n, 0);
    write_tx(&mut conn, |c| {
        diesel::insert_into(tags::table)
            .values((
                tags::name.eq("y"),
                tags::created_at.eq(forum_db::time::now()),
            ))
            .execute(c)
    })
    .unwrap();
    let n: i64 = tags::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(n, 1);
}

forum_db::backend_tests!(rollback_keeps_nothing);
