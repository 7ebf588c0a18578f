//! From a queued [`Email`] to a [`Draft`]: reads the current state, decides whether the email
//! is still wanted, and renders it from the theme's `email/<name>.txt` and `.html`.
//!
//! Still wanted means: a notification not read on the site, whose kind the member still wants
//! immediately, to a confirmed address the mail server has not refused; a confirmation for an
//! address not yet confirmed; a digest with something in it. Confirmation, reset and account
//! notices are sent whatever the preferences (they are the account's own business).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_core::email::{digests, prefs, DigestPeriodName, Email};
use forum_core::links::{issue, LinkKey, Purpose};
use forum_core::lookup::user_by_id;
use forum_core::notifications::item;
use forum_db::ids::UserId;
use forum_db::models::User;
use forum_db::schema::member_settings;
use forum_db::types::{DigestPeriod, EmailFrequency};
use forum_db::AnyConnection;
use lettre::message::Mailbox;
use serde::Serialize;
use tera::Context;

use super::compose::Draft;
use crate::theme::Theme;
use crate::view::{notification_view, thread_url};

/// What drafting needs besides the database.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub links: LinkKey,
    /// How long a notification email waits.
    pub delay: chrono::Duration,
}

/// What to do with a queued email.
#[derive(Debug)]
pub enum Decision {
    Send(Box<Draft>),
    /// No longer wanted (read, preference changed, address refused, nothing in the digest).
    Skip(&'static str),
    /// Not due yet: come back then.
    Later(NaiveDateTime),
}

/// Decides and renders `email` as of `now`.
pub fn draft(
    conn: &mut AnyConnection,
    theme: &Theme,
    site: &Site,
    email: &Email,
    now: NaiveDateTime,
) -> anyhow::Result<Decision> {
    match email {
        Email::Notification { notification } => {
            let Some(n) = item(conn, *notification)? else {
                return Ok(Decision::Skip("the notification is gone"));
            };
            if n.notification.read_at.is_some() {
                return Ok(Decision::Skip("read on the site"));
            }
            let due = n.notification.created_at + site.delay;
            if due > now {
                return Ok(Decision::Later(due));
            }
            let user = user_by_id(conn, n.notification.user_id)?;
            if let Some(why) = unmailable(&user) {
                return Ok(Decision::Skip(why));
            }
            let kind = n.notification.kind;
            if prefs::frequency(conn, user.id, kind)? != EmailFrequency::Immediately {
                return Ok(Decision::Skip("the member no longer wants it immediately"));
            }
            let view = notification_view(&n);
            let url = view.url.as_ref().map(|u| format!("{}{u}", site.base_url));
            let mut ctx = base(site, &user);
            ctx.insert("text", &view.text);
            ctx.insert("url", &url);
            ctx.insert("kind", &view.kind);
            ctx.insert(
                "when",
                &local_time(conn, user.id, n.notification.created_at)?,
            );
            let unsubscribe = unsubscribe_url(site, &user, kind.as_str(), now);
            let subject = view.text.clone();
            render(
                theme,
                "notification",
                ctx,
                &user,
                subject,
                Some(unsubscribe),
            )
        }
        Email::ConfirmAddress { user, issued_at } => {
            let user = user_by_id(conn, *user)?;
            if user.email_verified_at.is_some() {
                return Ok(Decision::Skip("already confirmed"));
            }
            let token = issue(&site.links, &user, Purpose::ConfirmEmail, "", *issued_at);
            let mut ctx = base(site, &user);
            ctx.insert("url", &link(site, "/account/confirm", &token));
            let subject = format!("Confirm your email address for {}", site.name);
            render(theme, "confirm_address", ctx, &user, subject, None)
        }
        Email::ResetPassword { user, issued_at } => {
            let user = user_by_id(conn, *user)?;
            let token = issue(&site.links, &user, Purpose::ResetPassword, "", *issued_at);
            let mut ctx = base(site, &user);
            ctx.insert("url", &link(site, "/password/reset", &token));
            let subject = format!("Reset your password on {}", site.name);
            render(theme, "reset_password", ctx, &user, subject, None)
        }
        Email::AddressInUse { user } => {
            let user = user_by_id(conn, *user)?;
            let mut ctx = base(site, &user);
            ctx.insert("reset_url", &format!("{}/password/forgot", site.base_url));
            let subject = format!("Your email address was used on {}", site.name);
            render(theme, "address_in_use", ctx, &user, subject, None)
        }
        Email::AddressChanged { user, old_address } => {
            let user = user_by_id(conn, *user)?;
            let mut ctx = base(site, &user);
            ctx.insert("reset_url", &format!("{}/password/forgot", site.base_url));
            let subject = format!("The email address of your {} account changed", site.name);
            let Ok(address) = old_address.parse() else {
                return Ok(Decision::Skip("the old address cannot be mailed"));
            };
            let to = Mailbox::new(Some(user.username.clone()), address);
            render_to(theme, "address_changed", ctx, to, subject, None)
        }
        Email::Digest {
            user,
            period,
            from,
            until,
        } => {
            let user = user_by_id(conn, *user)?;
            if let Some(why) = unmailable(&user) {
                return Ok(Decision::Skip(why));
            }
            let period_db: DigestPeriod = (*period).into();
            let content = digests::content(conn, user.id, period_db, *from, *until)?;
            if content.is_empty() {
                return Ok(Decision::Skip("nothing new"));
            }
            let items: Vec<_> = content
                .notifications
                .iter()
                .map(notification_view)
                .map(|v| DigestLine {
                    url: v.url.map(|u| format!("{}{u}", site.base_url)),
                    text: v.text,
                })
                .collect();
            let threads: Vec<DigestLine> = content
                .unanswered
                .iter()
                .map(|t| DigestLine {
                    text: t.title.clone(),
                    url: Some(format!("{}{}", site.base_url, thread_url(&t.slug, t.id))),
                })
                .collect();
            let label = match period {
                DigestPeriodName::Daily => "daily",
                DigestPeriodName::Weekly => "weekly",
            };
            let mut ctx = base(site, &user);
            ctx.insert("period", label);
            ctx.insert("items", &items);
            ctx.insert("threads", &threads);
            let subject = format!("Your {label} summary from {}", site.name);
            let unsubscribe = unsubscribe_url(site, &user, label, now);
            render(theme, "digest", ctx, &user, subject, Some(unsubscribe))
        }
    }
}

/// A line of a digest.
#[derive(Debug, Serialize)]
struct DigestLine {
    text: String,
    url: Option<String>,
}

/// Why a member gets no notification email, if they get none.
fn unmailable(user: &User) -> Option<&'static str> {
    if user.email_undeliverable_at.is_some() {
        Some("the mail server refused the address")
    } else if user.email_verified_at.is_none() {
        Some("the address is not confirmed")
    } else {
        None
    }
}

fn base(site: &Site, user: &User) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site_name", &site.name);
    ctx.insert("base_url", &site.base_url);
    ctx.insert("username", &user.username);
    ctx.insert("settings_url", &format!("{}/settings", site.base_url));
    ctx
}

fn link(site: &Site, path: &str, token: &str) -> String {
    format!("{}{path}?token={token}", site.base_url)
}

fn unsubscribe_url(site: &Site, user: &User, scope: &str, now: NaiveDateTime) -> String {
    let token = issue(&site.links, user, Purpose::Unsubscribe, scope, now);
    link(site, "/unsubscribe", &token)
}

/// `t` in the member's time zone, e.g. "Mon 1 Dec 2026, 14:05 (Europe/Paris)".
fn local_time(conn: &mut AnyConnection, user: UserId, t: NaiveDateTime) -> anyhow::Result<String> {
    let zone: Option<String> = member_settings::table
        .find(user)
        .select(member_settings::time_zone)
        .first(conn)
        .optional()?;
    let name = zone.unwrap_or_else(|| "UTC".into());
    let tz = digests::zone(&name);
    let local = t.and_utc().with_timezone(&tz);
    Ok(format!("{} ({name})", local.format("%a %-d %b %Y, %H:%M")))
}

fn render(
    theme: &Theme,
    name: &str,
    ctx: Context,
    user: &User,
    subject: String,
    unsubscribe: Option<String>,
) -> anyhow::Result<Decision> {
    let Ok(address) = user.email.parse() else {
        return Ok(Decision::Skip("the address cannot be mailed"));
    };
    let to = Mailbox::new(Some(user.username.clone()), address);
    render_to(theme, name, ctx, to, subject, unsubscribe)
}

fn render_to(
    theme: &Theme,
    name: &str,
    mut ctx: Context,
    to: Mailbox,
    subject: String,
    unsubscribe: Option<String>,
) -> anyhow::Result<Decision> {
    ctx.insert("subject", &subject);
    ctx.insert("unsubscribe_url", &unsubscribe);
    let text = theme.tera.render(&format!("email/{name}.txt"), &ctx)?;
    let html = theme.tera.render(&format!("email/{name}.html"), &ctx)?;
    Ok(Decision::Send(Box::new(Draft {
        to,
        subject,
        text,
        html,
        unsubscribe,
    })))
}
