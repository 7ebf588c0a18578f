//! What can go wrong while running a job.

use thiserror::Error;

use crate::error::CoreError;

/// A job's failure, kept with its cause: the runner logs it and, for a once-only job, stores it
/// as the row's `last_error`.
#[derive(Debug, Error)]
pub enum JobError {
    /// The row's payload is not a valid job of its topic (written by another build, or corrupt).
    #[error("cannot read the payload of a '{topic}' job: {source}")]
    Payload {
        topic: &'static str,
        source: serde_json::Error,
    },
    /// The database failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A follower could not save its cursor.
    #[error("cannot save the cursor: {0}")]
    Cursor(std::io::Error),
    /// The job's handler failed (the mail server refused, the index could not commit, ...).
    #[error("{0}")]
    Handler(Box<dyn std::error::Error + Send + Sync>),
    /// Not a failure: the job should not run before this time (claimed early); the row goes
    /// back without using an attempt.
    #[error("not due before {0}")]
    NotYet(chrono::NaiveDateTime),
    /// A job type was registered with a runner of the other kind.
    #[error("job topic '{0}' registered for the wrong kind of runner")]
    WrongKind(&'static str),
}

impl JobError {
    /// Wraps a handler's own error, keeping it as the cause.
    pub fn handler(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        JobError::Handler(e.into())
    }
}

impl From<forum_db::DbError> for JobError {
    fn from(e: forum_db::DbError) -> Self {
        JobError::Core(CoreError::Db(e))
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        JobError::Core(CoreError::from(e))
    }
}
