//! HTML handlers, one concept per file, and the route table.

pub mod account;
pub mod actions;
pub mod ask;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod champions;
pub mod champions_manage;
pub mod edit;
pub mod health;
pub mod kudos;
pub mod leaderboard;
pub mod lists;
pub mod notifications;
pub mod password;
pub mod profile;
pub mod search;
pub mod settings;
pub mod suggested_edit;
pub mod thread;
pub mod unsubscribe;
pub mod watch;

use actix_web::{web, HttpResponse};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::session::Viewer;

/// Unmatched routes: a 404 that still knows who is signed in (the viewer is extracted first,
/// so the error page's header is right).
pub async fn not_found(_viewer: Viewer) -> AppResult<HttpResponse> {
    Err(AppError::new(
        ErrorKind::NotFound,
        "There is nothing at this address.",
    ))
}

/// Registers every HTML route; the method fallback comes last (it matches every path).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lists::home)
        .service(lists::category)
        .service(lists::tag)
        .service(thread::show)
        .service(thread::show_by_id)
        .service(thread::answer)
        .service(ask::ask_form)
        .service(ask::ask)
        .service(edit::edit_form)
        .service(edit::edit)
        .service(suggested_edit::show)
        .service(badges::list)
        .service(badges::show)
        .service(leaderboard::show)
        .service(audit::show)
        .service(profile::leader)
        .service(champions_manage::manage)
        .service(champions::show)
        .service(champions::nominate)
        .service(champions::impact)
        .service(champions_manage::grant)
        .service(champions_manage::renew)
        .service(champions_manage::revoke)
        .service(champions_manage::decline)
        .service(suggested_edit::review)
        .service(edit::revisions)
        .service(actions::vote)
        .service(actions::accept)
        .service(actions::comment)
        .service(actions::delete)
        .service(kudos::kudos)
        .service(auth::register_form)
        .service(auth::register)
        .service(auth::login_form)
        .service(auth::login)
        .service(auth::logout)
        .service(auth::logout_everywhere)
        .service(password::forgot_form)
        .service(password::forgot)
        .service(password::reset_form)
        .service(password::reset)
        .service(account::confirm)
        .service(account::resend)
        .service(unsubscribe::confirm_page)
        .service(unsubscribe::unsubscribe_now)
        .service(settings::show)
        .service(settings::save_profile)
        .service(settings::save_password)
        .service(settings::save_email)
        .service(settings::save_notifications)
        .service(profile::show)
        .service(notifications::show)
        .service(notifications::read)
        .service(watch::thread)
        .service(watch::category)
        .service(watch::tag)
        .service(search::search_page)
        .service(health::healthz)
        .service(assets::static_file)
        .service(assets::favicon)
        .service(crate::methods::fallback());
}
