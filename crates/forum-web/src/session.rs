//! Who is signed in and the CSRF token that every form carries. The encrypted session cookie
//! holds a session secret (the row it names lives in the database, so signing out really ends
//! it: see `forum_core::sessions`) and the CSRF token, which a form POST must send back.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use forum_core::Actor;
use futures_util::future::LocalBoxFuture;
use rand::RngCore;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

const SESSION_KEY: &str = "sid";
const CSRF_KEY: &str = "csrf";
/// Largest form body accepted: big enough that an over-long post is parsed and answered with
/// its text kept, small enough to bound memory.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The viewer of a page: maybe a member, and the session's CSRF token for the page's forms.
/// Anonymous readers get no session (no cookie to sign, nothing to store) until they open a
/// page with a form: those handlers call [`Viewer::with_form_token`].
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub user: Option<Actor>,
    pub csrf_token: String,
    /// Notifications the member has not read (the header's bell shows "99+" from 100 on);
    /// 0 for anonymous readers.
    pub unread_notifications: i64,
}

impl Viewer {
    /// Makes sure the session has a CSRF token for a form this page shows.
    pub fn with_form_token(mut self, session: &Session) -> AppResult<Viewer> {
        if self.csrf_token.is_empty() {
            self.csrf_token = csrf_token(session)?;
        }
        Ok(self)
    }

    /// The signed-in member, or `Unauthenticated`.
    pub fn require(&self) -> AppResult<&Actor> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::new(ErrorKind::Unauthenticated, "Please sign in first."))
    }

    /// What this viewer may see (the core's one visibility rule).
    pub fn visibility(&self) -> forum_core::visibility::Visibility {
        forum_core::visibility::Visibility::for_viewer(self.user.as_ref())
    }
}

impl FromRequest for Viewer {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState missing"))?;
            let sid = session.get::<String>(SESSION_KEY).unwrap_or(None);
            let csrf_token = match sid {
                Some(_) => csrf_token(&session)?,
                None => session
                    .get::<String>(CSRF_KEY)
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            };
            // A failed query is an error page, never "signed out": only a session that ended
            // (signed out, expired, or ended everywhere) signs the browser out.
            let member = match sid {
                Some(sid) => match state
                    .read_quick(move |c| Ok(forum_core::sessions::resolve(c, &sid)?))
                    .await?
                {
                    Some(member) => Some(member),
                    None => {
                        session.remove(SESSION_KEY);
                        None
                    }
                },
                None => None,
            };
            if let Some((actor, _)) = &member {
                // Days visited count towards trust levels; noted in memory, written in batches.
                state.activity.visit(actor.id, forum_db::time::now());
            }
            let unread_notifications = member.as_ref().map_or(0, |(_, n)| *n);
            let viewer = Viewer {
                user: member.map(|(actor, _)| actor),
                csrf_token,
                unread_notifications,
            };
            // Error pages rendered later for this request still know who is signed in.
            req.extensions_mut().insert(viewer.clone());
            Ok(viewer)
        })
    }
}

/// The session's CSRF token, created on first use.
pub fn csrf_token(session: &Session) -> AppResult<String> {
    if let Ok(Some(t)) = session.get::<String>(CSRF_KEY) {
        return Ok(t);
    }
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    session
        .insert(CSRF_KEY, &token)
        .map_err(AppError::internal)?;
    Ok(token)
}

/// Signs a member in: a new server-side session, a fresh cookie (no fixation) and a fresh
/// CSRF token.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    user: forum_db::models::User,
) -> AppResult<()> {
    let sid = state
        .read(move |c| Ok(forum_core::sessions::start(c, &user)?))
        .await?;
    session.renew();
    session.clear();
    session
        .insert(SESSION_KEY, sid)
        .map_err(AppError::internal)?;
    csrf_token(session)?;
    Ok(())
}

/// Signs out: ends the server-side session (a copy of the cookie no longer works) and forgets
/// the cookie.
pub async fn sign_out(state: &AppState, session: &Session) -> AppResult<()> {
    if let Ok(Some(sid)) = session.get::<String>(SESSION_KEY) {
        state
            .read(move |c| Ok(forum_core::sessions::end(c, &sid)?))
            .await?;
    }
    session.purge();
    Ok(())
}

/// The member a [`KeptForm`] acts for: refused (for the form to be shown again with its text)
/// when the form's token expired or nobody is signed in any more.
pub fn acting_member(expired: Option<AppError>, viewer: &Viewer) -> AppResult<Actor> {
    match expired {
        Some(e) => Err(e),
        None => viewer.user.clone().ok_or_else(session_ended),
    }
}

/// The error a form re-shown after its session ended carries: the text is kept on the page,
/// with a fresh token, and the member is asked to sign in again.
pub fn session_ended() -> AppError {
    AppError::new(
        ErrorKind::Unauthenticated,
        "Your session has ended. Sign in again (in a new tab), then send this form: your text is kept below.",
    )
}

/// The fields of a form that carries nothing but its CSRF token (accept, delete, sign out).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// A url-encoded form whose `csrf_token` field was checked against the session: every
/// state-changing HTML handler takes its input through this (or [`KeptForm`]), so none can
/// forget the check.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

/// The refusal of a form whose token does not match the session's.
fn csrf_failed() -> AppError {
    AppError::new(
        ErrorKind::CsrfFailed,
        "This form has expired or did not come from this site. Go back, reload the page and try again.",
    )
}

/// A malformed form: the parser's words go to the debug log, the member gets a plain message.
fn malformed(message: &'static str) -> impl Fn(serde_urlencoded::de::Error) -> AppError {
    move |e| {
        tracing::debug!(error = %e, "malformed form body");
        AppError::new(ErrorKind::Validation, message)
    }
}

/// Reads a url-encoded body into `T` and says whether its CSRF token matched the session's.
async fn read_form<T: DeserializeOwned>(
    session: Session,
    body: impl std::future::Future<Output = Result<web::Bytes, actix_web::Error>>,
) -> Result<(T, bool), AppError> {
    let bytes = body.await.map_err(|e| {
        if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(ErrorKind::PayloadTooLarge, "That submission is too large.")
        } else {
            AppError::new(ErrorKind::Validation, "The form could not be read.")
        }
    })?;
    let field: CsrfField =
        serde_urlencoded::from_bytes(&bytes).map_err(malformed("The form could not be read."))?;
    let expected = session.get::<String>(CSRF_KEY).ok().flatten();
    let ok = expected.is_some_and(|e| constant_time_eq(e.as_bytes(), field.csrf_token.as_bytes()));
    // Field names are ours; a parse failure is a malformed request, and its parser text is not
    // for users.
    let value: T =
        serde_urlencoded::from_bytes(&bytes).map_err(malformed("The form is incomplete."))?;
    Ok((value, ok))
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            match read_form::<T>(session, body).await? {
                (value, true) => Ok(CsrfForm(value)),
                (_, false) => Err(csrf_failed()),
            }
        })
    }
}

/// A form whose text must survive an expired session: the CSRF token is still checked, but a
/// failed check hands the text back with the refusal instead of an error page, so the handler
/// shows the form again with the text (and acts on nothing).
#[derive(Debug)]
pub struct KeptForm<T> {
    value: T,
    expired: Option<AppError>,
}

impl<T> KeptForm<T> {
    /// The submitted fields, and the refusal when the CSRF check failed: then the handler may
    /// only show the fields again.
    pub fn into_parts(self) -> (T, Option<AppError>) {
        (self.value, self.expired)
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for KeptForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let (value, ok) = read_form::<T>(session, body).await?;
            Ok(KeptForm {
                value,
                expired: (!ok).then(session_ended),
            })
        })
    }
}

/// Compares secrets without leaking where they differ (the `subtle` crate's constant-time
/// equality; different lengths are simply unequal).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// Only same-origin absolute paths may be redirect targets. Browsers drop tabs and newlines
/// from URLs and treat `\\` like `/`, so `/\t/evil.example` or `/\\evil` would leave the site
/// after sign-in; and a control character would make an invalid `Location` header. So any
/// control character, whitespace or backslash refuses the whole value, as does anything that
/// does not start with exactly one `/`. Percent-encoded control characters and backslashes
/// are refused too, in case something between here and the browser decodes them.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && !encoded_bytes(next).any(|b| b < 0x20 || b == 0x7f || b == b'\\');
    if ok {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// The byte value of every `%XX` escape in `s`.
fn encoded_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.match_indices('%')
        .filter_map(|(i, _)| s.get(i + 1..i + 3))
        .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .filter_map(|hex| u8::from_str_radix(hex, 16).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_site() {
        assert_eq!(safe_next("/t/x/1"), "/t/x/1");
        assert_eq!(safe_next("/search?q=a%20b#top"), "/search?q=a%20b#top");
        for bad in [
            "//evil.example",
            "/\\evil",
            "https://evil",
            "javascript:alert(1)",
            "",
            // What `/login?next=/%09/evil.example/` and friends decode to.
            "/\t/evil.example/",
            "/\n/evil.example/",
            "/\r\n/evil.example/",
            "\t//evil.example",
            " //evil.example",
            "/\t\\evil",
            "/ /evil.example",
            "/x\u{0}y",
            "/x\u{7f}y",
            "/x\u{85}y",
            "/x\u{a0}y",
            "/x\u{2028}y",
            "/x\u{3000}y",
            "/ok/\\evil",
            // The same, still percent-encoded.
            "/%09/evil.example/",
            "/%0a/evil.example/",
            "/%0D%0A/evil.example/",
            "/%5Cevil",
            "/%5c%5cevil",
            "/x%00y",
            "/x%7Fy",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
