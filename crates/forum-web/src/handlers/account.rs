//! Confirming an address: the emailed link (`/account/confirm?token=`) and asking for a new
//! one from the settings page.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use forum_core::recovery::{confirm_address, resend_confirmation};
use forum_db::time::now;
use serde::Deserialize;

use crate::error::AppResult;
use crate::pages::{see_other, Page};
use crate::session::{CsrfForm, NoFields, Viewer};
use crate::state::AppState;

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// Confirms on GET: the link is the whole credential, and confirming twice is refused, not
/// harmful (a mail scanner that opens the link confirms an address its owner receives).
#[get("/account/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = q.into_inner().token.unwrap_or_default();
    let (key, policy) = (state.links.clone(), state.policy.clone());
    let user = state
        .write(move |c| Ok(confirm_address(c, policy.as_ref(), &key, &token, now())?))
        .await?;
    Page::new(&state, &viewer, "notice.html", "Address confirmed")
        .with(
            "message",
            &format!(
                "Thank you, {}: your address {} is confirmed.",
                user.username, user.email
            ),
        )
        .with("link_url", &"/")
        .with("link_text", &"Go to the forum")
        .render(&state)
}

/// Sends the signed-in member a new confirmation link.
#[post("/account/confirm/resend")]
pub async fn resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = viewer.require()?.id;
    state.limiters.check(&state.limiters.email_links, &req)?;
    state
        .write(move |c| {
            let user = forum_core::lookup::user_by_id(c, id)?;
            Ok(resend_confirmation(c, &user, now())?)
        })
        .await?;
    Ok(see_other("/settings?saved=confirmation"))
}
