//! Signed links emailed to a member: confirm an address, reset a password, unsubscribe.
//!
//! A link carries its purpose, the member, when it was issued and a scope (what an unsubscribe
//! link stops), sealed with an HMAC over those and over the account state the link depends on.
//! Nothing is stored: a link dies when that state changes. A reset link is sealed over the
//! password hash and the address, so it works once (the reset changes the hash) and dies when
//! the password or the address changes; a confirmation link is sealed over the address and
//! whether it is confirmed, so it works once and dies with an address change; an unsubscribe
//! link lasts as long as the address. Every failure is the same [`CoreError::LinkInvalid`].

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::models::User;
use forum_db::schema::users;
use forum_db::AnyConnection;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, CoreResult};

/// How long a password-reset link works.
pub const RESET_TTL: Duration = Duration::from_secs(60 * 60);
/// How long an address-confirmation link works.
pub const CONFIRM_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// The key links are sealed with, derived from a server secret so one secret serves all.
#[derive(Clone)]
pub struct LinkKey([u8; 32]);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

impl LinkKey {
    /// Derives the link key from `secret` (the session secret): a link cannot be turned into a
    /// cookie or the other way round, because each is sealed under its own derived key.
    pub fn derive(secret: &[u8]) -> LinkKey {
        let mut h = Sha256::new();
        h.update(b"forum account links v1\0");
        h.update(secret);
        LinkKey(h.finalize().into())
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes keys of any length; 32 bytes cannot fail.
        match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        }
    }
}

/// What a link is for; a link made for one purpose is refused for any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
    Unsubscribe,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "c",
            Purpose::ResetPassword => "r",
            Purpose::Unsubscribe => "u",
        }
    }

    fn ttl(self) -> Option<Duration> {
        match self {
            Purpose::ConfirmEmail => Some(CONFIRM_TTL),
            Purpose::ResetPassword => Some(RESET_TTL),
            Purpose::Unsubscribe => None,
        }
    }

    /// The account state the link is sealed over; when it changes, the link dies.
    fn state(self, user: &User) -> String {
        match self {
            Purpose::ConfirmEmail => {
                format!("{}|{}", user.email_lower, user.email_verified_at.is_some())
            }
            Purpose::ResetPassword => format!("{}|{}", user.password_hash, user.email_lower),
            Purpose::Unsubscribe => user.email_lower.clone(),
        }
    }
}

/// Makes a link token for `user`, issued at `at`. `scope` narrows it (the notification kind
/// an unsubscribe link stops; empty for the others) and must be URL-safe.
pub fn issue(
    key: &LinkKey,
    user: &User,
    purpose: Purpose,
    scope: &str,
    at: NaiveDateTime,
) -> String {
    let head = format!(
        "{}.{}.{}.{}",
        purpose.code(),
        user.id.0,
        at.and_utc().timestamp(),
        scope
    );
    let mut mac = key.mac();
    mac.update(head.as_bytes());
    mac.update(b"\0");
    mac.update(purpose.state(user).as_bytes());
    format!("{head}.{}", hex::encode(mac.finalize().into_bytes()))
}

/// A link that checked out: whose it is and its scope.
#[derive(Debug, Clone)]
pub struct Checked {
    pub user: User,
    pub scope: String,
}

/// Checks `token` for `purpose` as of `now` against the member's current state.
pub fn check(
    conn: &mut AnyConnection,
    key: &LinkKey,
    token: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> CoreResult<Checked> {
    let parsed = parse(token, purpose).ok_or(CoreError::LinkInvalid)?;
    if let Some(ttl) = purpose.ttl() {
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
        let age = now.and_utc().timestamp() - parsed.issued;
        if !(0..=ttl).contains(&age) && !(-60..0).contains(&age) {
            return Err(CoreError::LinkInvalid);
        }
    }
    let user: User = users::table
        .find(UserId(parsed.user))
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::LinkInvalid)?;
    let mut mac = key.mac();
    mac.update(parsed.head.as_bytes());
    mac.update(b"\0");
    mac.update(purpose.state(&user).as_bytes());
    let sig = hex::decode(parsed.sig).ok().ok_or(CoreError::LinkInvalid)?;
    if mac.verify_slice(&sig).is_err() {
        return Err(CoreError::LinkInvalid);
    }
    Ok(Checked {
        user,
        scope: parsed.scope.to_string(),
    })
}

struct Parsed<'a> {
    head: &'a str,
    user: i64,
    issued: i64,
    scope: &'a str,
    sig: &'a str,
}

fn parse(token: &str, purpose: Purpose) -> Option<Parsed<'_>> {
    if token.len() > 300 {
        return None;
    }
    let (head, sig) = token.rsplit_once('.')?;
    let mut parts = head.splitn(4, '.');
    if parts.next()? != purpose.code() {
        return None;
    }
    let user = parts.next()?.parse().ok()?;
    let issued = parts.next()?.parse().ok()?;
    let scope = parts.next()?;
    Some(Parsed {
        head,
        user,
        issued,
        scope,
        sig,
    })
}
