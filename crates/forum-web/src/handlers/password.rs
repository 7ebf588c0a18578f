//! Forgotten passwords: ask for a reset link (`/password/forgot`), then choose a new password
//! through it (`/password/reset?token=`). The request page answers every address the same
//! way, so it cannot be used to learn who has an account; the link works once, for an hour.

use actix_session::Session;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use forum_core::links::{check, Purpose};
use forum_core::recovery::{request_reset, reset_password};
use forum_db::time::now;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::{see_other, Page};
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, Serialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

fn forgot_page(
    state: &AppState,
    viewer: &Viewer,
    form: &ForgotForm,
    sent: bool,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    Page::new(state, viewer, "password_forgot.html", "Reset your password")
        .with("form", form)
        .with("sent", &sent)
        .form_error(error)
        .render(state)
}

#[get("/password/forgot")]
pub async fn forgot_form(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
) -> AppResult<HttpResponse> {
    let viewer = viewer.with_form_token(&session)?;
    forgot_page(&state, &viewer, &ForgotForm::default(), false, None)
}

#[post("/password/forgot")]
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: CsrfForm<ForgotForm>,
) -> AppResult<HttpResponse> {
    let viewer = viewer.with_form_token(&session)?;
    let form = form.0;
    state.limiters.check(&state.limiters.email_links, &req)?;
    let address = form.email.clone();
    match state
        .write(move |c| Ok(request_reset(c, &address, now())?))
        .await
    {
        Ok(()) => forgot_page(&state, &viewer, &form, true, None),
        Err(e) if e.kind == ErrorKind::Validation => {
            forgot_page(&state, &viewer, &form, false, Some(&e))
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default, skip_serializing)]
    password: String,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn reset_page(
    state: &AppState,
    viewer: &Viewer,
    form: &ResetForm,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    Page::new(
        state,
        viewer,
        "password_reset.html",
        "Choose a new password",
    )
    .with("form", form)
    .form_error(error)
    .render(state)
}

/// The new-password form, shown only for a link that still works (so a dead link says so at
/// once, not after the member typed a password).
#[get("/password/reset")]
pub async fn reset_form(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let viewer = viewer.with_form_token(&session)?;
    let token = q.into_inner().token.unwrap_or_default();
    let (t, key) = (token.clone(), state.links.clone());
    state
        .read(move |c| Ok(check(c, &key, &t, Purpose::ResetPassword, now())?))
        .await?;
    let form = ResetForm {
        token,
        password: String::new(),
    };
    reset_page(&state, &viewer, &form, None)
}

#[post("/password/reset")]
pub async fn reset(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    let viewer = viewer.with_form_token(&session)?;
    let form = form.0;
    let (t, p, key) = (
        form.token.clone(),
        form.password.clone(),
        state.links.clone(),
    );
    let policy = state.policy.clone();
    match state
        .write(move |c| Ok(reset_password(c, policy.as_ref(), &key, &t, &p, now())?))
        .await
    {
        Ok(_) => {
            // Every session of the member ended, this browser's included.
            session.purge();
            Ok(see_other("/login?reset=done"))
        }
        Err(e) if e.kind == ErrorKind::Validation => reset_page(&state, &viewer, &form, Some(&e)),
        Err(e) => Err(e),
    }
}
