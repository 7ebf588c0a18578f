//! The connection pool every service borrows from.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};
use diesel::Connection;

use crate::connection::{AnyConnection, AnyConnectionManager, Backend};
use crate::error::{DbError, TransientError};
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
    /// A connection only if one is idle now, without waiting.
    pub fn idle_conn(&self) -> Option<DbConn> {
        self.pool.try_get()
    }

    pub fn conn(&self) -> Result<DbConn, DbError> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Which database this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

/// How often a PostgreSQL transaction that hit a deadlock or serialization failure is run again.
const TRANSIENT_RETRIES: u32 = 3;

/// Runs `f` in a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so a transaction that
/// reads then writes never fails on a lock upgrade (a writer waits at most the busy timeout,
/// then gets [`DbError::Busy`]); on PostgreSQL an ordinary transaction,
/// run again (up to three times, after a short pause) when it ends in a deadlock or a
/// serialization failure, so `f` must be safe to repeat. Called inside a transaction it joins
/// it, so a caller can group several services (an import batch) into one commit.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    mut f: impl FnMut(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error> + TransientError,
{
    if in_transaction(conn)? {
        return f(conn);
    }
    let mut attempt = 0;
    loop {
        let out = run_once(conn, &mut f);
        match out {
            Err(e)
                if e.is_transient()
                    && attempt < TRANSIENT_RETRIES
                    && matches!(conn, AnyConnection::Postgresql(_)) =>
            {
                attempt += 1;
                tracing::debug!(
                    attempt,
                    "write transaction retried after a transient failure"
                );
                std::thread::sleep(backoff(attempt));
            }
            other => return other,
        }
    }
}

fn run_once<T, E>(
    conn: &mut AnyConnection,
    f: &mut impl FnMut(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Postgresql(_) => conn.transaction(|c| f(c)),
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

/// True when a transaction is open on this connection.
pub fn in_transaction(conn: &mut AnyConnection) -> diesel::QueryResult<bool> {
    let depth = match conn {
        AnyConnection::Postgresql(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?
        }
        AnyConnection::Sqlite(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()?
        }
    };
    Ok(depth.is_some())
}

/// A short pause that grows with the attempt and varies between callers, so two transactions
/// that deadlocked do not collide again in step.
fn backoff(attempt: u32) -> Duration {
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos() % 20))
        .unwrap_or(0);
    Duration::from_millis(u64::from(attempt) * 15 + jitter)
}
