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
    /// Any query error.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl DbError {
    /// True when the error is a uniqueness conflict (duplicate username, vote, ...).
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
