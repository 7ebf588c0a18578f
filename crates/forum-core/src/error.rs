use forum_db::DbError;
use thiserror::Error;

/// What went wrong in a domain operation, with meaning but no HTTP: the web layer maps each
/// variant to a status in one table.
#[derive(Debug, Error)]
pub enum CoreError {
    /// The thing asked for does not exist (or is not visible to the actor).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The action needs a signed-in member.
    #[error("You need to sign in to do that")]
    Unauthenticated,
    /// The actor may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The input broke a rule; `field` names the form field so the page can point at it.
    #[error("{message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    /// The change collides with existing data (a taken username, ...).
    #[error("{0}")]
    Conflict(String),
    /// The social contract's rate limit refused the action for now.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// An emailed link (confirm an address, reset a password, unsubscribe) that is malformed,
    /// expired, already used, meant for something else or outdated by a change to the account.
    /// One message for all, so a link tells nothing about the account it names.
    #[error("This link has expired or was already used")]
    LinkInvalid,
    /// Not a failure: the post was kept and waits until its author confirms their address
    /// (`accounts.require_verified_email`); it is published then.
    #[error("Your post is saved and will be published as soon as you confirm your email address. We emailed you a link; your settings page can send a new one.")]
    Held,
    /// Storage failed; never shown to users.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for CoreError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => CoreError::NotFound("record"),
            // A concurrent duplicate (two identical votes racing): the unique index decided.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => CoreError::Conflict("That was already done; reload the page".into()),
            other => CoreError::Db(DbError::from(other)),
        }
    }
}

impl CoreError {
    /// Shorthand for a validation failure on one field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        CoreError::Validation {
            field,
            message: message.into(),
        }
    }

    /// Shorthand for a refusal.
    pub fn forbidden(message: impl Into<String>) -> Self {
        CoreError::Forbidden(message.into())
    }
}

impl forum_db::TransientError for CoreError {
    fn is_transient(&self) -> bool {
        matches!(self, CoreError::Db(DbError::Busy(_)))
    }
}

/// Result alias for domain operations.
pub type CoreResult<T> = Result<T, CoreError>;
