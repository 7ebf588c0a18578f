//! The account through the API, with the same services as the settings and recovery pages:
//! `GET /me/settings`, `PUT /me/profile`, `PUT /me/password`, `PUT /me/email`,
//! `PUT /me/notification-preferences`, `POST /me/confirmation`, and, without a token, `POST /account/password-reset`,
//! `POST /account/password-reset/confirm` and `POST /account/confirm` (the emailed links'
//! tokens).

use std::collections::BTreeMap;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use forum_core::account_settings::{
    change_email, change_password, overview, update_profile, Profile,
};
use forum_core::email::prefs;
use forum_core::recovery::{confirm_address, request_reset, reset_password};
use forum_db::ids::UserId;
use forum_db::time::now;
use forum_db::AnyConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// The caller's account and settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountSettings {
    username: String,
    email: String,
    /// Whether the address is confirmed (notification email goes only to confirmed ones).
    email_confirmed: bool,
    /// Whether a mail server refused the address for good (no email until it changes).
    email_undeliverable: bool,
    display_name: String,
    bio: String,
    time_zone: String,
    /// Kind of notification → `immediately`, `daily`, `weekly` or `never`.
    notifications: BTreeMap<String, String>,
}

fn read_settings(c: &mut AnyConnection, me: UserId) -> AppResult<AccountSettings> {
    let o = overview(c, me)?;
    Ok(AccountSettings {
        username: o.user.username,
        email: o.user.email,
        email_confirmed: o.user.email_verified_at.is_some(),
        email_undeliverable: o.user.email_undeliverable_at.is_some(),
        display_name: o.profile.display_name,
        bio: o.profile.bio,
        time_zone: o.profile.time_zone,
        notifications: o
            .prefs
            .into_iter()
            .map(|(k, f)| (k.as_str().to_string(), f.as_str().to_string()))
            .collect(),
    })
}

/// The caller's account and settings.
#[utoipa::path(
    operation_id = "my_settings",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings", body = AccountSettings),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
#[get("/me/settings")]
pub async fn show(state: web::Data<AppState>, user: ApiUser) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let settings = state.read(move |c| read_settings(c, me)).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// The profile to save: display name, bio and IANA time zone.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProfileBody {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    bio: String,
    /// IANA name such as `Europe/Paris`.
    time_zone: String,
}

/// Saves the caller's profile.
#[utoipa::path(
    operation_id = "save_profile",
    tag = "account",
    request_body = ProfileBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings as saved", body = AccountSettings),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "A field broke a rule (`field` names it)", body = ErrorBody),
    )
)]
#[put("/me/profile")]
pub async fn save_profile(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<ProfileBody>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let b = body.into_inner();
    let p = Profile {
        display_name: b.display_name,
        bio: b.bio,
        time_zone: b.time_zone,
    };
    let settings = state
        .write(move |c| {
            update_profile(c, me, &p)?;
            read_settings(c, me)
        })
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password; every session and API token ends, this one included.
#[utoipa::path(
    operation_id = "change_password",
    tag = "account",
    request_body = PasswordBody,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; ask for a new token"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "Wrong current password or a weak new one", body = ErrorBody),
    )
)]
#[put("/me/password")]
pub async fn save_password(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<PasswordBody>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let b = body.into_inner();
    state
        .write(move |c| {
            Ok(change_password(
                c,
                me,
                &b.current_password,
                &b.new_password,
            )?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An address change, confirmed with the current password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailBody {
    email: String,
    password: String,
}

/// What happens next.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// Always `accepted`: the same answer whether or not an address has an account.
    status: &'static str,
    message: &'static str,
}

/// Changes the caller's address. Answered alike when the address belongs to another account
/// (its owner is told), so the API reveals nobody's address.
#[utoipa::path(
    operation_id = "change_email",
    tag = "account",
    request_body = EmailBody,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A confirmation link goes to the new address", body = Accepted),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "A malformed address or a wrong password", body = ErrorBody),
    )
)]
#[put("/me/email")]
pub async fn save_email(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<EmailBody>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let b = body.into_inner();
    state
        .write(move |c| Ok(change_email(c, me, &b.password, &b.email, now())?))
        .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        status: "accepted",
        message: "If the address can take it, a confirmation link is on its way to it.",
    }))
}

/// Kind of notification → `immediately`, `daily`, `weekly` or `never`; kinds left out keep
/// their setting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct PreferencesBody(BTreeMap<String, String>);

/// Saves how the caller hears of each kind of notification by email.
#[utoipa::path(
    operation_id = "save_notification_preferences",
    tag = "account",
    request_body = PreferencesBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings as saved", body = AccountSettings),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "An unknown kind or frequency; nothing saved", body = ErrorBody),
    )
)]
#[put("/me/notification-preferences")]
pub async fn save_preferences(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<PreferencesBody>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let choices: Vec<(String, String)> = body.into_inner().0.into_iter().collect();
    let settings = state
        .write(move |c| {
            prefs::save_named(c, me, &choices)?;
            read_settings(c, me)
        })
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Sends the caller a new address-confirmation link, as the settings page's button does
/// (nothing is sent when the address is already confirmed).
#[utoipa::path(
    operation_id = "resend_confirmation",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A link is on its way unless the address is confirmed", body = Accepted),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
#[post("/me/confirmation")]
pub async fn resend_confirmation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: ApiUser,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    state.limiters.check(&state.limiters.email_links, &req)?;
    state
        .write(move |c| {
            let user = forum_core::lookup::user_by_id(c, me)?;
            Ok(forum_core::recovery::resend_confirmation(c, &user, now())?)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        status: "accepted",
        message: "Unless your address is already confirmed, a new link is on its way to it.",
    }))
}

/// The address to send a reset link to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequestBody {
    email: String,
}

/// Emails a password-reset link if an account uses the address; answered alike either way.
#[utoipa::path(
    operation_id = "request_password_reset",
    tag = "account",
    request_body = ResetRequestBody,
    responses(
        (status = 202, description = "A link is on its way if an account uses the address", body = Accepted),
        (status = 422, description = "A malformed address", body = ErrorBody),
        (status = 429, description = "Too many requests from this address", body = ErrorBody),
    )
)]
#[post("/account/password-reset")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<ResetRequestBody>,
) -> AppResult<HttpResponse> {
    state.limiters.check(&state.limiters.email_links, &req)?;
    let address = body.into_inner().email;
    state
        .write(move |c| Ok(request_reset(c, &address, now())?))
        .await?;
    Ok(HttpResponse::Accepted().json(Accepted {
        status: "accepted",
        message: "If an account uses that address, a reset link is on its way to it.",
    }))
}

/// A reset link's token and the new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetBody {
    token: String,
    password: String,
}

/// Sets a new password with a reset link's token; every session and token of the member ends.
#[utoipa::path(
    operation_id = "reset_password",
    tag = "account",
    request_body = ResetBody,
    responses(
        (status = 204, description = "The new password is in force"),
        (status = 400, description = "The link is expired, used or outdated (`link_invalid`)", body = ErrorBody),
        (status = 422, description = "A weak password", body = ErrorBody),
    )
)]
#[post("/account/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    body: web::Json<ResetBody>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let (key, policy) = (state.links.clone(), state.policy.clone());
    state
        .write(move |c| {
            Ok(reset_password(
                c,
                policy.as_ref(),
                &key,
                &b.token,
                &b.password,
                now(),
            )?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A confirmation link's token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConfirmBody {
    token: String,
}

/// Confirms an address with a confirmation link's token.
#[utoipa::path(
    operation_id = "confirm_address",
    tag = "account",
    request_body = ConfirmBody,
    responses(
        (status = 204, description = "Confirmed"),
        (status = 400, description = "The link is expired, used or outdated (`link_invalid`)", body = ErrorBody),
    )
)]
#[post("/account/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    body: web::Json<ConfirmBody>,
) -> AppResult<HttpResponse> {
    let token = body.into_inner().token;
    let (key, policy) = (state.links.clone(), state.policy.clone());
    state
        .write(move |c| Ok(confirm_address(c, policy.as_ref(), &key, &token, now())?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
