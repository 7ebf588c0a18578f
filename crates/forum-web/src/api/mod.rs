//! JSON API under `/api/v1`. Conventions every endpoint follows (docs/API.md):
//! - each action calls the same `forum_core` service as its page, so page and API cannot
//!   drift in rules, permissions or the social contract;
//! - each endpoint carries its OpenAPI description (`#[utoipa::path]`) and is declared once
//!   in the `endpoints!` list below, which both registers and documents it;
//! - reads take an optional bearer token ([`auth::ApiViewer`]), send an `ETag` and answer 304
//!   ([`etag`]); lists page by cursor ([`cursor`]);
//! - errors use the same table as pages: `{error, message, error_id}`.

pub mod accept;
pub mod account;
pub mod answer;
pub mod ask;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod champions;
pub mod champions_staff;
pub mod comments;
pub mod cursor;
pub mod delete;
pub mod edit;
pub mod etag;
pub mod kudos;
pub mod notifications;
pub mod openapi;
pub mod revoke;
pub mod schema;
pub mod suggested_edits;
pub mod threads;
pub mod tokens;
pub mod users;
pub mod votes;
pub mod watch;

use actix_web::web;

/// The path every API route lives under.
pub const PREFIX: &str = "/api/v1";

/// Declares the API's endpoints once: [`configure`] registers exactly these handlers and
/// [`Endpoints`] documents exactly these, so no route can be served without its description.
macro_rules! endpoints {
    ($($module:ident :: $handler:ident),* $(,)?) => {
        /// Registers the API routes under [`PREFIX`].
        pub fn configure(cfg: &mut web::ServiceConfig) {
            // The fallback last: a path served under other methods answers 405 with `Allow`.
            cfg.service(
                web::scope(PREFIX)
                    $(.service($module::$handler))*
                    .service(crate::methods::fallback()),
            );
        }

        /// The endpoints' OpenAPI descriptions, with paths relative to [`PREFIX`]
        /// ([`openapi::document_model`] puts them under it).
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($module::$handler),*))]
        pub struct Endpoints;
    };
}

endpoints!(
    tokens::create,
    revoke::revoke_all,
    threads::list,
    threads::show,
    ask::create,
    answer::answer,
    votes::vote,
    kudos::give,
    kudos::withdraw,
    accept::accept,
    comments::comment,
    edit::edit,
    edit::revisions,
    badges::list,
    badges::show,
    champions::list,
    champions::nominate,
    champions_staff::nominations,
    champions_staff::decline,
    champions_staff::grant,
    champions::impact,
    champions_staff::renew,
    champions_staff::revoke,
    users::show,
    users::leaderboard,
    users::leader,
    audit::audit,
    suggested_edits::pending,
    suggested_edits::review,
    delete::delete,
    notifications::list_mine,
    notifications::read,
    watch::thread,
    watch::category,
    watch::tag,
    account::show,
    account::save_profile,
    account::save_password,
    account::save_email,
    account::save_preferences,
    account::resend_confirmation,
    account::request_password_reset,
    account::confirm_password_reset,
    account::confirm,
    openapi::document,
);
