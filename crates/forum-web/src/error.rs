//! One error table for HTML and JSON: each kind has one stable code and one status. Handlers
//! return `AppError`; API routes get `{error, message}`, pages get the theme's `error.html`
//! (rendered by `pages::error_pages`). Internal causes are logged with an id, never shown.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use forum_core::CoreError;
use forum_db::DbError;

/// Every failure a user can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Unauthenticated,
    Forbidden,
    CsrfFailed,
    Conflict,
    Validation,
    PayloadTooLarge,
    RateLimited,
    Unavailable,
    Internal,
    MethodNotAllowed,
    LinkInvalid,
    Held,
}

impl ErrorKind {
    /// Every kind, for the table test.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::NotFound,
        ErrorKind::Unauthenticated,
        ErrorKind::Forbidden,
        ErrorKind::CsrfFailed,
        ErrorKind::Conflict,
        ErrorKind::Validation,
        ErrorKind::PayloadTooLarge,
        ErrorKind::RateLimited,
        ErrorKind::Unavailable,
        ErrorKind::Internal,
        ErrorKind::MethodNotAllowed,
        ErrorKind::LinkInvalid,
        ErrorKind::Held,
    ];

    /// The status table.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden | ErrorKind::CsrfFailed => StatusCode::FORBIDDEN,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::LinkInvalid => StatusCode::BAD_REQUEST,
            ErrorKind::Held => StatusCode::ACCEPTED,
        }
    }

    /// The stable code clients and themes match on.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::CsrfFailed => "csrf_failed",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation",
            ErrorKind::PayloadTooLarge => "payload_too_large",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
            ErrorKind::MethodNotAllowed => "method_not_allowed",
            ErrorKind::LinkInvalid => "link_invalid",
            ErrorKind::Held => "held_for_confirmation",
        }
    }

    /// A short page title.
    pub fn title(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "Page not found",
            ErrorKind::Unauthenticated => "Please sign in",
            ErrorKind::Forbidden => "Not allowed",
            ErrorKind::CsrfFailed => "This form has expired",
            ErrorKind::Conflict => "Already exists",
            ErrorKind::Validation => "Please check your input",
            ErrorKind::PayloadTooLarge => "Too large",
            ErrorKind::RateLimited => "Slow down",
            ErrorKind::Unavailable => "Temporarily unavailable",
            ErrorKind::Internal => "Something went wrong",
            ErrorKind::MethodNotAllowed => "Not available this way",
            ErrorKind::LinkInvalid => "This link no longer works",
            ErrorKind::Held => "Waiting for your confirmation",
        }
    }
}

/// A failure with its user-facing message. For `Internal`, `message` is generic and the cause
/// went to the log under `error_id`.
#[derive(Debug, Clone)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub error_id: Option<String>,
    /// Seconds to put in `Retry-After` (rate limits, a busy database).
    pub retry_after: Option<u64>,
    /// The form field the message is about, so the page shows it beside that field.
    pub field: Option<&'static str>,
}

/// What the HTML error renderer needs, carried on the response.
#[derive(Debug, Clone)]
pub struct ErrorInfo(pub AppError);

impl AppError {
    /// An error with a message for the user, which starts with a capital letter whatever its
    /// source wrote (domain messages are often written to follow a colon).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AppError {
            kind,
            message: sentence(message.into()),
            error_id: None,
            retry_after: None,
            field: None,
        }
    }

    /// True for failures a form page answers by showing the form again, with the member's
    /// text and the message (as opposed to an error page).
    pub fn is_form_error(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Validation | ErrorKind::RateLimited | ErrorKind::Forbidden
        )
    }

    /// True when the form failed because the member is no longer signed in (or the form's
    /// token expired with the session): the page keeps the text and asks to sign in again.
    pub fn is_session_ended(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Unauthenticated | ErrorKind::CsrfFailed
        )
    }

    /// The `form_errors` map a template shows beside each field (`form` when the message is
    /// about the form as a whole).
    pub fn form_errors(&self) -> std::collections::BTreeMap<&'static str, String> {
        std::collections::BTreeMap::from([(self.field.unwrap_or("form"), self.message.clone())])
    }

    /// Logs `cause` with a fresh id and returns a generic 500.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        let at = std::panic::Location::caller();
        tracing::error!(error_id = %id, location = %at, "internal error: {cause}");
        AppError {
            kind: ErrorKind::Internal,
            message: "An unexpected error occurred. If it persists, report the error id.".into(),
            error_id: Some(id),
            retry_after: None,
            field: None,
        }
    }

    /// The API body: `{error, message, error_id}`.
    pub fn json_body(&self) -> serde_json::Value {
        serde_json::json!({
            "error": self.kind.code(),
            "message": self.message,
            "error_id": self.error_id,
        })
    }

    /// 404 for a thing.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            ErrorKind::NotFound,
            format!("That {what} does not exist or was removed."),
        )
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if let Some(s) = self.retry_after {
            res.insert_header(("Retry-After", s.to_string()));
        }
        let mut out = res.json(self.json_body());
        out.extensions_mut().insert(ErrorInfo(self.clone()));
        out
    }
}

impl From<CoreError> for AppError {
    #[track_caller]
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound(what) => AppError::not_found(what),
            CoreError::Unauthenticated => AppError::new(ErrorKind::Unauthenticated, e.to_string()),
            CoreError::Forbidden(m) => AppError::new(ErrorKind::Forbidden, m),
            CoreError::Validation { field, message } => AppError {
                field: Some(field),
                ..AppError::new(ErrorKind::Validation, message)
            },
            CoreError::Conflict(m) => AppError::new(ErrorKind::Conflict, m),
            CoreError::RateLimited {
                message,
                retry_after_secs,
            } => AppError {
                retry_after: Some(retry_after_secs),
                ..AppError::new(ErrorKind::RateLimited, message)
            },
            CoreError::LinkInvalid => AppError::new(
                ErrorKind::LinkInvalid,
                "This link has expired, was already used, or belongs to an older state of the \
                 account. Ask for a new one.",
            ),
            CoreError::Held => AppError::new(ErrorKind::Held, e.to_string()),
            CoreError::Db(db) => db.into(),
        }
    }
}

impl From<DbError> for AppError {
    #[track_caller]
    fn from(e: DbError) -> Self {
        match e {
            // Overload, not a fault: the member may simply try again (their text is kept).
            DbError::Pool(_) | DbError::Busy(_) => AppError {
                retry_after: Some(BUSY_RETRY_AFTER_SECS),
                ..AppError::new(
                    ErrorKind::Unavailable,
                    "The server is busy; please retry in a few seconds.",
                )
            },
            other => AppError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        CoreError::from(e).into()
    }
}

/// `Retry-After` for a busy database or an exhausted pool.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// `s` with its first letter in upper case.
fn sentence(mut s: String) -> String {
    if let Some(first) = s.chars().next().filter(|c| c.is_lowercase()) {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(..first.len_utf8(), &upper);
    }
    s
}

/// Result alias for handlers.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_code_and_an_error_status() {
        let mut codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        for k in ErrorKind::ALL {
            // A held post is the one non-error: accepted, waiting for the author's address.
            if k == ErrorKind::Held {
                assert_eq!(k.status(), StatusCode::ACCEPTED);
                continue;
            }
            assert!(
                k.status().is_client_error() || k.status().is_server_error(),
                "{k:?}"
            );
        }
    }

    #[test]
    fn a_busy_database_is_503_with_retry_after() {
        let e = AppError::from(DbError::Busy("database is locked".into()));
        assert_eq!(e.kind.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            !e.message.contains("locked"),
            "the driver's words stay in the log"
        );
        let res = e.error_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(res.headers().contains_key("retry-after"));
    }

    #[test]
    fn messages_start_with_a_capital() {
        let e = AppError::from(CoreError::Unauthenticated);
        assert!(e.message.starts_with("You need"), "{}", e.message);
        let e = AppError::from(CoreError::invalid("title", "title is required"));
        assert_eq!(e.message, "Title is required");
        assert_eq!(AppError::new(ErrorKind::Conflict, "élan").message, "Élan");
        assert_eq!(
            AppError::new(ErrorKind::Conflict, "`x` taken").message,
            "`x` taken"
        );
        assert_eq!(AppError::new(ErrorKind::Conflict, "").message, "");
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = AppError::internal("secret database detail");
        assert!(!e.message.contains("secret"));
        assert!(e.error_id.is_some());
        let res = e.error_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
