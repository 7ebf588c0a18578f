//! The connection pool every service borrows from.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};
use diesel::Connection;

use crate::connection::{AnyConnection, AnyConnectionManager, Backend};
use crate::error::DbError;
use crate::migrations;

/// A pooled connection; derefs to [`AnyConnection`].
pub type DbConn = PooledConnection<AnyConnectionManager>;

/// The pool plus the backend it talks to. Cheap to clone (the pool is an `Arc`).
#[derive(Clone)]
pub struct Db {
    pool: Pool<AnyConnectionManager>,
    backend: Backend,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Runs pending migrations, then opens a pool of `size` connections.
    pub fn connect(url: &str, size: u32) -> Result<Db, DbError> {
        migrations::run_pending(url)?;
        Self::connect_without_migrating(url, size)
    }

    /// Opens a pool without touching the schema (for tools that migrate separately).
    pub fn connect_without_migrating(url: &str, size: u32) -> Result<Db, DbError> {
        let backend = Backend::from_url(url);
        let pool = Pool::builder()
            .max_size(size.max(1))
            // A SQLite file connection does not drop; checking it costs a statement per request.
            .test_on_check_out(backend == Backend::Postgres)
            .connection_timeout(Duration::from_secs(10))
            .build(AnyConnectionManager::new(url))
            .map_err(|e| DbError::Connect(e.to_string()))?;
        Ok(Db {
            pool,
            backend: Backend::from_url(url),
        })
    }

    /// Borrows a connection, waiting up to the pool timeout.
    pub fn conn(&self) -> Result<DbConn, DbError> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Which database this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// Runs `f` in a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so a transaction that
/// reads then writes never fails on a lock upgrade; on PostgreSQL an ordinary transaction.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Postgresql(_) => conn.transaction(f),
        AnyConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <AnyConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    <AnyConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(e)
                }
            }
        }
    }
}
