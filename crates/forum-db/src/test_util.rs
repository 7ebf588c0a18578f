//! Test databases: every test gets its own SQLite file or its own PostgreSQL database, so tests
//! run in parallel and leave nothing behind. A PostgreSQL test database is a copy of a template
//! migrated once (per migration set, across test processes), because running every migration for
//! every test is most of a short test's time; the migration tests still run the real migrations
//! on empty databases ([`TestDb::empty`]).

use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::connection::Backend;
use crate::migrations;
use crate::pool::Db;

/// Where the PostgreSQL tests connect to create their databases. `make test` sets it (starting a
/// throwaway cluster when no server is running); the default is the local trust-auth server.
pub fn postgres_admin_url() -> String {
    std::env::var("FORUM_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A migrated database that is deleted when dropped. Fields drop in order: the pool closes its
/// connections first, then `_cleanup` removes the database.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    /// Held only for its `Drop`.
    _cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb").field("url", &self.url).finish()
    }
}

impl TestDb {
    /// A fresh, migrated database on `backend`.
    pub fn new(backend: Backend) -> TestDb {
        let (url, cleanup, db) = match backend {
            Backend::Sqlite => {
                let (url, cleanup) = Self::empty_url(backend);
                let db = Db::connect(&url, 4);
                (url, cleanup, db)
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let template = template_database(&admin_url);
                let (url, cleanup) = create_postgres(admin_url, &format!(" TEMPLATE {template}"));
                let db = Db::connect_without_migrating(&url, 4);
                (url, cleanup, db)
            }
        };
        let db = db.unwrap_or_else(|e| panic!("test database {url}: {e}"));
        TestDb {
            db,
            url,
            _cleanup: cleanup,
        }
    }

    /// A fresh SQLite database.
    pub fn sqlite() -> TestDb {
        Self::new(Backend::Sqlite)
    }

    /// A fresh PostgreSQL database; fails loudly when no server is reachable.
    pub fn postgres() -> TestDb {
        Self::new(Backend::Postgres)
    }

    /// An empty, unmigrated database URL plus a guard that deletes it (for migration tests).
    pub fn empty(backend: Backend) -> (String, impl Drop) {
        let (url, cleanup) = Self::empty_url(backend);
        (url, cleanup)
    }

    fn empty_url(backend: Backend) -> (String, Cleanup) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
                let url = format!("sqlite://{}", dir.path().join("forum.sqlite3").display());
                (url, Cleanup::Sqlite(dir))
            }
            Backend::Postgres => create_postgres(postgres_admin_url(), ""),
        }
    }
}

/// Creates a uniquely named PostgreSQL database (`options` is appended to `CREATE DATABASE`).
fn create_postgres(admin_url: String, options: &str) -> (String, Cleanup) {
    let name = format!("forum_test_{}", uuid::Uuid::new_v4().simple());
    admin_connection(&admin_url)
        .batch_execute(&format!("CREATE DATABASE {name}{options}"))
        .unwrap_or_else(|e| panic!("create test database {name}{options}: {e}"));
    let url = replace_database(&admin_url, &name);
    (url, Cleanup::Postgres { admin_url, name })
}

fn admin_connection(admin_url: &str) -> PgConnection {
    PgConnection::establish(admin_url).unwrap_or_else(|e| {
        panic!(
            "PostgreSQL tests need a server at {admin_url} (set FORUM_TEST_POSTGRES_URL, \
             or run `make test`, which starts one): {e}"
        )
    })
}

/// Any fixed number shared by every test process: the advisory lock that serialises building a
/// template, so two processes starting at once (nextest runs each test in its own) do not both
/// build it.
const TEMPLATE_LOCK: i64 = 0x666f_7275_6d54;

/// The name of the migrated template for this migration set, building it on first use. A
/// changed migration (name or `up.sql`) or crate version gives a new name, so a stale template
/// is never copied; old templates are left for whoever still runs the old migrations.
fn template_database(admin_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("forum_test_template_{:016x}", migration_set_hash());
        let mut admin = admin_connection(admin_url);
        lock_query(&mut admin, "SELECT pg_advisory_lock($1) IS NOT NULL AS ok");
        let ready = template_ready(&mut admin, &name);
        if !ready {
            build_template(&mut admin, admin_url, &name);
        }
        lock_query(&mut admin, "SELECT pg_advisory_unlock($1) AS ok");
        name
    })
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    ok: bool,
}

fn lock_query(admin: &mut PgConnection, sql: &str) {
    diesel::sql_query(sql)
        .bind::<BigInt, _>(TEMPLATE_LOCK)
        .get_result::<Flag>(admin)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// True when the template exists and was finished (marked a template only after migrating).
fn template_ready(admin: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query("SELECT datistemplate AS ok FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_results::<Flag>(admin)
        .unwrap_or_else(|e| panic!("look up template {name}: {e}"))
        .first()
        .is_some_and(|f| f.ok)
}

/// Creates and migrates the template, replacing a half-built one (a process that died
/// mid-migration), then marks it a template that accepts no connections (copying needs none).
fn build_template(admin: &mut PgConnection, admin_url: &str, name: &str) {
    let url = replace_database(admin_url, name);
    // Two calls: several statements in one would run as one transaction, which these refuse.
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    migrations::run_pending(&url).unwrap_or_else(|e| panic!("migrate template {name}: {e}"));
    admin
        .batch_execute(&format!(
            "ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
        ))
        .unwrap_or_else(|e| panic!("mark template {name}: {e}"));
}

/// FNV-1a over the crate version, the embedded migration names and, when the source tree is
/// there (it is for tests), each PostgreSQL `up.sql`: stable across builds and toolchains.
fn migration_set_hash() -> u64 {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/postgres");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain([0u8].iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    for name in migrations::embedded_names(Backend::Postgres) {
        feed(name.as_bytes());
        feed(&std::fs::read(format!("{dir}/{name}/up.sql")).unwrap_or_default());
    }
    h
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = self {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// `postgres://u@h:p/old?x` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Generates one `#[test]` per backend for each named function, the one way every crate runs a
/// test on SQLite and on PostgreSQL (`cargo test sqlite::` or `postgres::` selects one):
/// - `backend_tests!(a, b)`: `fn a(t: &TestDb)` gets a fresh migrated database;
/// - `backend_tests!(backend: a, b)`: `fn a(backend: Backend)` sets up what it needs itself (the
///   end-to-end tests start a server on that backend).
#[macro_export]
macro_rules! backend_tests {
    (backend: $($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name($crate::Backend::Postgres) } )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(&$crate::test_util::TestDb::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(&$crate::test_util::TestDb::postgres()) } )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_hash_reads_every_up_sql() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/postgres");
        let names = migrations::embedded_names(Backend::Postgres);
        assert!(!names.is_empty());
        for name in names {
            assert!(
                std::path::Path::new(&format!("{dir}/{name}/up.sql")).is_file(),
                "{name}/up.sql is hashed into the template name, so it must be found"
            );
        }
    }

    #[test]
    fn a_copied_postgres_database_has_every_migration() {
        let t = TestDb::postgres();
        drop(t.db.conn());
        let pending = migrations::run_pending(&t.url).map_err(|e| e.to_string());
        assert_eq!(pending, Ok(Vec::new()), "the template was fully migrated");
    }

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres:///postgres?host=/tmp/d&port=5439", "x"),
            "postgres:///x?host=/tmp/d&port=5439"
        );
    }
}
