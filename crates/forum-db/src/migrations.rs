//! Embedded migrations for both backends; folder names are identical so both record the same versions.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::connection::{connect_error, sqlite_path, Backend};
use crate::error::DbError;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Applies every pending migration; returns the versions applied. Safe to run on every start.
pub fn run_pending(url: &str) -> Result<Vec<String>, DbError> {
    with_migration_connection(url, |h| h.run_pending_migrations(source_for(url)))
}

/// Reverts every applied migration, newest first (used by the up/down/up test and `forum migrate --revert-all`).
pub fn revert_all(url: &str) -> Result<Vec<String>, DbError> {
    with_migration_connection(url, |h| h.revert_all_migrations(source_for(url)))
}

/// Names of the embedded migrations for a backend, for the drift test.
pub fn embedded_names(backend: Backend) -> Vec<String> {
    let source = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let list: Result<Vec<_>, _> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&source)
        .map(|ms| ms.iter().map(|m| m.name().to_string()).collect::<Vec<_>>());
    list.unwrap_or_default()
}

fn source_for(url: &str) -> EmbeddedMigrations {
    match Backend::from_url(url) {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

type HarnessResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn with_migration_connection<T>(
    url: &str,
    f: impl FnOnce(&mut dyn AnyHarness) -> HarnessResult<T>,
) -> Result<T, DbError> {
    match Backend::from_url(url) {
        Backend::Postgres => {
            let mut conn = PgConnection::establish(url).map_err(connect_error)?;
            f(&mut PgHarness(&mut conn)).map_err(|e| DbError::Migration(e.to_string()))
        }
        Backend::Sqlite => {
            let path = sqlite_path(url);
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| DbError::Connect(e.to_string()))?;
                }
            }
            let mut conn = SqliteConnection::establish(path).map_err(connect_error)?;
            conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF;")?;
            let out =
                f(&mut SqliteHarness(&mut conn)).map_err(|e| DbError::Migration(e.to_string()));
            conn.batch_execute("PRAGMA foreign_keys = ON;")?;
            out
        }
    }
}

/// The two operations we need, over either concrete connection.
trait AnyHarness {
    fn run_pending_migrations(&mut self, s: EmbeddedMigrations) -> HarnessResult<Vec<String>>;
    fn revert_all_migrations(&mut self, s: EmbeddedMigrations) -> HarnessResult<Vec<String>>;
}

struct PgHarness<'a>(&'a mut PgConnection);
struct SqliteHarness<'a>(&'a mut SqliteConnection);

macro_rules! impl_harness {
    ($t:ident) => {
        impl AnyHarness for $t<'_> {
            fn run_pending_migrations(
                &mut self,
                s: EmbeddedMigrations,
            ) -> HarnessResult<Vec<String>> {
                MigrationHarness::run_pending_migrations(self.0, s)
                    .map(|v| v.iter().map(|m| m.to_string()).collect())
            }
            fn revert_all_migrations(
                &mut self,
                s: EmbeddedMigrations,
            ) -> HarnessResult<Vec<String>> {
                MigrationHarness::revert_all_migrations(self.0, s)
                    .map(|v| v.iter().map(|m| m.to_string()).collect())
            }
        }
    };
}
impl_harness!(PgHarness);
impl_harness!(SqliteHarness);
