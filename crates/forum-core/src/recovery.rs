//! Confirming an address and resetting a forgotten password: the services behind the emailed
//! links (see [`crate::links`] for how a link is sealed and why it works once). Nothing here
//! tells a visitor whether an address has an account: a reset asked for an unknown address
//! answers exactly like one for a known address.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::models::User;
use forum_db::schema::{sessions, users};
use forum_db::{write_tx, AnyConnection};

use crate::accounts::{hash_password, validate_email, validate_password};
use crate::email::Email;
use crate::error::{CoreError, CoreResult};
use crate::jobs::Job;
use crate::links::{check, LinkKey, Purpose};
use crate::policy::WritePolicy;

/// Confirms the address a confirmation link was sent to and publishes the member's posts that
/// waited for it; returns the member. A link for an address since changed, or already used,
/// is refused.
pub fn confirm_address(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    key: &LinkKey,
    token: &str,
    now: NaiveDateTime,
) -> CoreResult<User> {
    let user = write_tx(conn, |c| {
        let user = check(c, key, token, Purpose::ConfirmEmail, now)?.user;
        // Guarded by the state the link was sealed over, so two clicks confirm once.
        let n = diesel::update(
            users::table
                .find(user.id)
                .filter(users::email_lower.eq(&user.email_lower))
                .filter(users::email_verified_at.is_null()),
        )
        .set((
            users::email_verified_at.eq(now),
            users::email_undeliverable_at.eq(None::<NaiveDateTime>),
        ))
        .execute(c)?;
        if n != 1 {
            return Err(CoreError::LinkInvalid);
        }
        Ok(User {
            email_verified_at: Some(now),
            email_undeliverable_at: None,
            ..user
        })
    })?;
    crate::held::publish(conn, policy, &user)?;
    Ok(user)
}

/// Sends a member a new confirmation link (their first may be lost); does nothing when the
/// address is already confirmed.
pub fn resend_confirmation(
    conn: &mut AnyConnection,
    user: &User,
    now: NaiveDateTime,
) -> CoreResult<bool> {
    if user.email_verified_at.is_some() {
        return Ok(false);
    }
    Email::ConfirmAddress {
        user: user.id,
        issued_at: now,
    }
    .enqueue(conn)?;
    Ok(true)
}

/// Emails a reset link to the account with `address`, if there is one. Returns nothing either
/// way: the page says the same to everyone ("if an account uses this address, ...").
pub fn request_reset(
    conn: &mut AnyConnection,
    address: &str,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let address = address.trim();
    validate_email(address)?;
    let owner = users::table
        .filter(users::email_lower.eq(address.to_lowercase()))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(user) = owner {
        Email::ResetPassword {
            user,
            issued_at: now,
        }
        .enqueue(conn)?;
    }
    Ok(())
}

/// Sets a new password through a reset link and signs the member out everywhere (every
/// session, every API token). The link dies with the old password hash, so it works once,
/// also when two requests bring it at the same moment. The link came to the member's inbox,
/// so it confirms the address too, and posts waiting for that are published.
pub fn reset_password(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    key: &LinkKey,
    token: &str,
    new_password: &str,
    now: NaiveDateTime,
) -> CoreResult<User> {
    let user = check(conn, key, token, Purpose::ResetPassword, now)?.user;
    validate_password(new_password, &user.username)?;
    let hash = hash_password(new_password)?;
    let user = write_tx(conn, |c| {
        let n = diesel::update(
            users::table
                .find(user.id)
                .filter(users::password_hash.eq(&user.password_hash))
                .filter(users::email_lower.eq(&user.email_lower)),
        )
        .set((
            users::password_hash.eq(&hash),
            users::token_version.eq(users::token_version + 1),
            // The link reached the member's inbox, which confirms the address as well.
            users::email_verified_at.eq(user.email_verified_at.unwrap_or(now)),
        ))
        .execute(c)?;
        if n != 1 {
            return Err(CoreError::LinkInvalid);
        }
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user.id))).execute(c)?;
        Ok(users::table
            .find(user.id)
            .select(User::as_select())
            .first(c)?)
    })?;
    crate::held::publish(conn, policy, &user)?;
    Ok(user)
}
