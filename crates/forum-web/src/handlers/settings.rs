//! The settings page: profile (display name, bio, time zone), password, email address, what
//! the member hears of by email, and signing out everywhere. Each section is its own form and
//! route; a refused change shows the page again with that section's text kept.

use actix_session::Session;
use actix_web::{get, post, web, HttpResponse};
use forum_core::account_settings::{
    change_email, change_password, overview, update_profile, AddressChange, Profile,
};
use forum_core::email::prefs;
use forum_db::time::now;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::{see_other, Page};
use crate::session::{sign_in, CsrfForm, Viewer};
use crate::state::AppState;

/// One notification kind's row on the page.
#[derive(Debug, Serialize)]
struct PrefRow {
    kind: &'static str,
    label: &'static str,
    frequency: &'static str,
}

/// Labels for the kinds, in the page's words.
fn label(kind: forum_db::types::NotificationKind) -> &'static str {
    use forum_db::types::NotificationKind as K;
    match kind {
        K::Answer => "Answers to my questions",
        K::Comment => "Comments on my posts",
        K::Accepted => "My answer is accepted",
        K::Mention => "Someone mentions me",
        K::WatchedReply => "Replies in threads I watch",
        K::NewThread => "New threads where I watch",
        K::Kudos => "Someone thanks me with kudos",
        K::Badge => "I earn a badge",
        K::Notice => "Notices from the forum (badges, moderation)",
    }
}

/// The page's state besides the form being corrected.
#[derive(Debug, Serialize)]
struct Account {
    username: String,
    email: String,
    confirmed: bool,
    undeliverable: bool,
}

/// What the page shows; `section` names the form `error` belongs to.
#[derive(Debug, Default)]
struct Shown {
    profile: Option<Profile>,
    email_form: Option<String>,
    section: Option<&'static str>,
    saved: Option<String>,
}

async fn settings_page(
    state: &AppState,
    viewer: &Viewer,
    shown: Shown,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let o = state.read(move |c| Ok(overview(c, me)?)).await?;
    let account = Account {
        username: o.user.username.clone(),
        email: o.user.email.clone(),
        confirmed: o.user.email_verified_at.is_some(),
        undeliverable: o.user.email_undeliverable_at.is_some(),
    };
    let (saved_profile, prefs, held) = (o.profile, o.prefs, o.held);
    let rows: Vec<PrefRow> = prefs
        .into_iter()
        .map(|(kind, f)| PrefRow {
            kind: kind.as_str(),
            label: label(kind),
            frequency: f.as_str(),
        })
        .collect();
    let zones: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    Page::new(state, viewer, "settings.html", "Settings")
        .with("profile", &shown.profile.unwrap_or(saved_profile))
        .with("email_form", &shown.email_form.unwrap_or_default())
        .with("account", &account)
        .with("held", &held)
        .with("prefs", &rows)
        .with("zones", &zones)
        .with("section", &shown.section)
        .with("saved", &shown.saved)
        .form_error(error)
        .render(state)
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

#[get("/settings")]
pub async fn show(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    q: web::Query<SavedQuery>,
) -> AppResult<HttpResponse> {
    if viewer.user.is_none() {
        return Ok(see_other("/login?next=/settings"));
    }
    let viewer = viewer.with_form_token(&session)?;
    let saved = q.into_inner().saved.filter(|s| s.len() < 20);
    settings_page(
        &state,
        &viewer,
        Shown {
            saved,
            ..Shown::default()
        },
        None,
    )
    .await
}

/// Shows the page again for a refused change, or passes other errors on.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    shown: Shown,
    e: AppError,
) -> AppResult<HttpResponse> {
    if e.kind == ErrorKind::Validation {
        settings_page(state, viewer, shown, Some(&e)).await
    } else {
        Err(e)
    }
}

#[post("/settings/profile")]
pub async fn save_profile(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: CsrfForm<Profile>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let p = form.0;
    let kept = p.clone();
    match state.write(move |c| Ok(update_profile(c, me, &p)?)).await {
        Ok(()) => Ok(see_other("/settings?saved=profile")),
        Err(e) => {
            let shown = Shown {
                profile: Some(kept),
                section: Some("profile"),
                ..Shown::default()
            };
            refused(&state, &viewer, shown, e).await
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// Changes the password; every session and API token ends, and this browser is signed in
/// again with a fresh session.
#[post("/settings/password")]
pub async fn save_password(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let PasswordForm {
        current_password,
        new_password,
    } = form.0;
    match state
        .write(move |c| Ok(change_password(c, me, &current_password, &new_password)?))
        .await
    {
        Ok(user) => {
            sign_in(&state, &session, user).await?;
            Ok(see_other("/settings?saved=password"))
        }
        Err(e) => {
            let shown = Shown {
                section: Some("password"),
                ..Shown::default()
            };
            refused(&state, &viewer, shown, e).await
        }
    }
}

#[derive(Deserialize)]
struct EmailForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Changes the address. An address that belongs to another account is answered like a
/// change (that account's owner is told instead), so the form reveals nobody's address.
#[post("/settings/email")]
pub async fn save_email(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: CsrfForm<EmailForm>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let EmailForm { email, password } = form.0;
    let kept = email.clone();
    match state
        .write(move |c| Ok(change_email(c, me, &password, &email, now())?))
        .await
    {
        Ok(AddressChange::Changed | AddressChange::InUse) => Ok(see_other("/settings?saved=email")),
        Ok(AddressChange::Unchanged) => Ok(see_other("/settings")),
        Err(e) => {
            let shown = Shown {
                email_form: Some(kept),
                section: Some("email"),
                ..Shown::default()
            };
            refused(&state, &viewer, shown, e).await
        }
    }
}

/// Saves the email frequency of every kind the form names (`answer=daily&mention=never`).
#[post("/settings/notifications")]
pub async fn save_notifications(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let choices: Vec<(String, String)> = form
        .0
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    match state
        .write(move |c| Ok(prefs::save_named(c, me, &choices)?))
        .await
    {
        Ok(()) => Ok(see_other("/settings?saved=notifications")),
        Err(e) => {
            let shown = Shown {
                section: Some("notifications"),
                ..Shown::default()
            };
            refused(&state, &viewer, shown, e).await
        }
    }
}
