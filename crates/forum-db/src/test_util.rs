//! Test databases: every test gets its own SQLite file or its own PostgreSQL database, so tests
//! run in parallel and leave nothing behind.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::Connection;

use crate::connection::Backend;
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
        let (url, cleanup) = Self::empty_url(backend);
        let db = Db::connect(&url, 4).unwrap_or_else(|e| panic!("test database {url}: {e}"));
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
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("forum_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!(
                        "PostgreSQL tests need a server at {admin_url} (set FORUM_TEST_POSTGRES_URL, \
                         or run `make test`, which starts one): {e}"
                    )
                });
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap_or_else(|e| panic!("create test database: {e}"));
                let url = replace_database(&admin_url, &name);
                (url, Cleanup::Postgres { admin_url, name })
            }
        }
    }
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

/// Generates one `#[test]` per backend for each named function taking `&TestDb`:
/// `backend_tests!(my_test)` makes `sqlite::my_test` and `postgres::my_test`.
#[macro_export]
macro_rules! backend_tests {
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
