//! Registration, sign-in and sign-out.

use actix_session::Session;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use forum_core::accounts::{authenticate, register as register_user, Registered, Registration};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::{see_other, Page};
use crate::session::{safe_next, sign_in, sign_out, CsrfForm, NoFields, Viewer};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, Serialize)]
struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    /// Where to go once registered (carried over from the sign-in form).
    #[serde(default)]
    next: String,
}

/// `path` with `?next=` when `next` leads anywhere but home, so the visitor still ends up
/// where they were going after switching between sign-in and registration.
fn with_next(path: &str, next: &str) -> String {
    let next = safe_next(next);
    if next == "/" {
        return path.to_string();
    }
    let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{path}?next={encoded}")
}

fn register_page(
    state: &AppState,
    viewer: &Viewer,
    form: &RegisterForm,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    Page::new(state, viewer, "register.html", "Create an account")
        .with("form", form)
        .with("login_url", &with_next("/login", &form.next))
        .form_error(error)
        .render(state)
}

#[get("/register")]
pub async fn register_form(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    q: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let viewer = viewer.with_form_token(&session)?;
    let form = RegisterForm {
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        ..Default::default()
    };
    register_page(&state, &viewer, &form, None)
}

#[post("/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: CsrfForm<RegisterForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    state.limiters.check(&state.limiters.register, &req)?;
    let (u, e, p) = (
        form.username.clone(),
        form.email.clone(),
        form.password.clone(),
    );
    let result = state
        .write(move |c| {
            Ok(register_user(
                c,
                &Registration {
                    username: &u,
                    email: &e,
                    password: &p,
                },
            )?)
        })
        .await;
    match result {
        Ok(Registered::Created(user)) => {
            sign_in(&state, &session, *user).await?;
            Ok(see_other(&safe_next(&form.next)))
        }
        // Answered like a success (a redirect with a fresh cookie), so the page does not tell
        // whether the address has an account.
        Ok(Registered::EmailInUse) => {
            session.renew();
            Ok(see_other(&safe_next(&form.next)))
        }
        Err(e) if matches!(e.kind, ErrorKind::Validation | ErrorKind::Conflict) => {
            register_page(&state, &viewer, &form, Some(&e))
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    next: String,
}

fn login_page(
    state: &AppState,
    viewer: &Viewer,
    form: &LoginForm,
    reset_done: bool,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    Page::new(state, viewer, "login.html", "Sign in")
        .with("form", form)
        .with("reset_done", &reset_done)
        .with("register_url", &with_next("/register", &form.next))
        .form_error(error)
        .render(state)
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    /// `done` after a password reset: the page says the new password is in force.
    reset: Option<String>,
}

#[get("/login")]
pub async fn login_form(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    q: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let form = LoginForm {
        next: safe_next(q.next.as_deref().unwrap_or("/")),
        ..Default::default()
    };
    let viewer = viewer.with_form_token(&session)?;
    let reset_done = q.reset.as_deref() == Some("done");
    login_page(&state, &viewer, &form, reset_done, None)
}

#[post("/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    state.limiters.check(&state.limiters.login, &req)?;
    let (l, p) = (form.login.clone(), form.password.clone());
    let result = state.read(move |c| Ok(authenticate(c, &l, &p)?)).await;
    match result {
        Ok(user) => {
            sign_in(&state, &session, user).await?;
            Ok(see_other(&safe_next(&form.next)))
        }
        Err(e) if e.kind == ErrorKind::Validation => {
            login_page(&state, &viewer, &form, false, Some(&e))
        }
        Err(e) => Err(e),
    }
}

#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    sign_out(&state, &session).await?;
    Ok(see_other("/"))
}

/// Ends every session and API token of the signed-in member (a lost laptop, a shared
/// computer), then this one.
#[post("/logout/everywhere")]
pub async fn logout_everywhere(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = viewer.require()?.id;
    state
        .write(move |c| Ok(forum_core::sessions::end_all(c, id)?))
        .await?;
    // This session's row went with the others; only the cookie is left to forget.
    session.purge();
    Ok(see_other("/login"))
}
