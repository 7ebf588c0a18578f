//! One connection type over SQLite and PostgreSQL, chosen at run time by the URL scheme.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::ManageConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

use crate::error::DbError;

/// Every query in the project runs on this: diesel's MultiConnection lets one query
/// codebase serve both backends. Sqlite is last because it accepts any string as a path.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL points at; decided once from the scheme so a typo in a
/// `postgres://` URL never silently creates a SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` select PostgreSQL; `sqlite://PATH` or a bare path selects SQLite.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Stable lower-case name, for logs and `/healthz`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The file path SQLite should open for a `sqlite://` URL or bare path.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Opens one connection of the right kind, surfacing the driver's own error
/// (the derived `establish` hides it behind "invalid connection url").
pub fn establish(url: &str) -> Result<AnyConnection, ConnectionError> {
    match Backend::from_url(url) {
        Backend::Postgres => PgConnection::establish(url).map(AnyConnection::Postgresql),
        Backend::Sqlite => {
            let mut conn = SqliteConnection::establish(sqlite_path(url))?;
            apply_sqlite_pragmas(&mut conn).map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(AnyConnection::Sqlite(conn))
        }
    }
}

/// Durability and concurrency settings every SQLite connection needs (busy_timeout first,
/// as diesel's docs advise; one statement each).
pub fn apply_sqlite_pragmas(conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
    // A writer waits at most this long for SQLite's write lock, then the request answers 503
    // with Retry-After instead of hanging.
    conn.batch_execute("PRAGMA busy_timeout = 5000")?;
    conn.batch_execute("PRAGMA journal_mode = WAL")?;
    conn.batch_execute("PRAGMA synchronous = FULL")?;
    conn.batch_execute("PRAGMA foreign_keys = ON")?;
    Ok(())
}

/// r2d2 manager that establishes connections with [`establish`].
#[derive(Debug, Clone)]
pub struct AnyConnectionManager {
    url: String,
}

impl AnyConnectionManager {
    /// A manager for `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }
}

impl ManageConnection for AnyConnectionManager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        establish(&self.url).map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Counts statements for tests that check a page's query count does not grow with content.
#[derive(Debug, Default, Clone)]
pub struct QueryCounter(pub std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl QueryCounter {
    /// Number of statements started since the counter was installed.
    pub fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl diesel::connection::Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// Maps a connection failure into the crate's error.
pub(crate) fn connect_error(e: ConnectionError) -> DbError {
    DbError::Connect(e.to_string())
}

/// Runs `$body` with `$c` bound to the backend's own connection, so a diesel query written once
/// is compiled for SQLite and for PostgreSQL and its prepared statement is found by its type.
/// Through [`AnyConnection`] every execution rebuilds the statement's SQL text to find it and
/// decodes rows through an extra layer; for the reads every request makes (the session, the
/// viewer's votes) that was a tenth of a page's time.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::AnyConnection::Sqlite($c) => $body,
            $crate::AnyConnection::Postgresql($c) => $body,
        }
    };
}
