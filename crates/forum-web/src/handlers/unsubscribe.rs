//! Unsubscribing from a notification email without signing in. The link in every such email
//! (and its `List-Unsubscribe` header) is `/unsubscribe?token=…`, sealed for the member and
//! what it stops. Opening it only shows what it would stop, because mail scanners open links;
//! the page's button, or a mail client's one-click POST (RFC 8058), does it. The sealed token
//! is the credential, so the POST needs no session or form token.

use actix_web::{get, post, web, HttpResponse};
use forum_core::email::prefs::{unsubscribe, Unsubscribe};
use forum_core::links::{check, Checked, Purpose};
use forum_core::CoreError;
use forum_db::time::now;
use serde::Deserialize;

use crate::error::AppResult;
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// `token=…`, percent-encoded for the form's action.
fn encoded_token(token: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .finish()
}

/// Checks the link and reads what it stops.
async fn scope(state: &AppState, token: String) -> AppResult<(Checked, Unsubscribe)> {
    let key = state.links.clone();
    state
        .read(move |c| {
            let checked = check(c, &key, &token, Purpose::Unsubscribe, now())?;
            let what = Unsubscribe::parse(&checked.scope).ok_or(CoreError::LinkInvalid)?;
            Ok((checked, what))
        })
        .await
}

#[get("/unsubscribe")]
pub async fn confirm_page(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = q.into_inner().token.unwrap_or_default();
    let (checked, what) = scope(&state, token.clone()).await?;
    Page::new(&state, &viewer, "unsubscribe.html", "Unsubscribe")
        .with("action", &format!("/unsubscribe?{}", encoded_token(&token)))
        .with("what", &what.describe())
        .with("address", &checked.user.email)
        .with("done", &false)
        .render(&state)
}

#[post("/unsubscribe")]
pub async fn unsubscribe_now(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    let token = q.into_inner().token.unwrap_or_default();
    let (checked, what) = scope(&state, token).await?;
    let user = checked.user.id;
    state
        .write(move |c| Ok(unsubscribe(c, user, what)?))
        .await?;
    Page::new(&state, &viewer, "unsubscribe.html", "Unsubscribed")
        .with("what", &what.describe())
        .with("address", &checked.user.email)
        .with("done", &true)
        .render(&state)
}
