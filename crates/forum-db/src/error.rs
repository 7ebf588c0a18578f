use thiserror::Error;

/// Storage failures, without HTTP meaning: the web layer maps them to statuses.
#[derive(Debug, Error)]
pub enum DbError {
    /// The database could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// No pooled connection became free in time (overload).
    #[error("database pool exhausted: {0}")]
    Pool(String),
    /// A migration failed to apply or revert.
    #[error("migration failed: {0}")]
    Migration(String),
    /// The database stayed busy (SQLite's write lock held too long, a PostgreSQL deadlock or
    /// serialization failure that retries did not clear): the caller may retry soon.
    #[error("database busy: {0}")]
    Busy(String),
    /// Any other query error.
    #[error(transparent)]
    Query(diesel::result::Error),
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        if is_transient(&e) {
            DbError::Busy(e.to_string())
        } else {
            DbError::Query(e)
        }
    }
}

/// True for failures that say "try again" rather than "this is wrong": SQLite's `database is
/// locked` after the busy timeout, PostgreSQL's serialization failures and deadlocks.
pub fn is_transient(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let m = info.message();
            m.contains("deadlock detected")
                || m.contains("database is locked")
                || m.contains("database table is locked")
        }
        _ => false,
    }
}

/// Errors a write transaction can end with, so `write_tx` knows when a retry may succeed.
pub trait TransientError {
    /// True when running the same transaction again may succeed.
    fn is_transient(&self) -> bool;
}

impl TransientError for diesel::result::Error {
    fn is_transient(&self) -> bool {
        is_transient(self)
    }
}

impl TransientError for DbError {
    fn is_transient(&self) -> bool {
        matches!(self, DbError::Busy(_))
    }
}

impl DbError {
    /// True when the error is a uniqueness conflict (duplicate username, vote, ...).
    /// A unique violation whose constraint (PostgreSQL) or message (SQLite) names `column`:
    /// which of a row's unique columns lost a race.
    pub fn is_unique_violation_on(&self, column: &str) -> bool {
        match self {
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                info,
            )) => {
                info.constraint_name().is_some_and(|n| n.contains(column))
                    || info.message().contains(column)
            }
            _ => false,
        }
    }

    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}
