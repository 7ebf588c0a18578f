//! What a member changes about their own account on the settings page (and `/api/v1/me`):
//! profile (display name, bio, time zone), password and address. Each service takes the
//! member's id from the session or token, never from the form, so nobody changes another
//! member's account.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::models::User;
use forum_db::schema::{member_settings, sessions, users};
use forum_db::{write_tx, AnyConnection};
use serde::{Deserialize, Serialize};

use crate::accounts::{hash_password, validate_email, validate_password, verify_password};
use crate::content::storable_text;
use crate::email::Email;
use crate::error::{CoreError, CoreResult};
use crate::jobs::Job;

/// Longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 50;
/// Longest bio, in characters.
pub const MAX_BIO: usize = 2000;

/// A member's profile as the settings page edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub bio: String,
    /// IANA name, e.g. `Europe/Paris`.
    #[serde(default)]
    pub time_zone: String,
}

/// The member's profile settings (defaults when they never saved any).
pub fn profile(conn: &mut AnyConnection, user: UserId) -> CoreResult<Profile> {
    let bio: String = users::table.find(user).select(users::bio).first(conn)?;
    let saved: Option<(String, String)> = member_settings::table
        .find(user)
        .select((member_settings::display_name, member_settings::time_zone))
        .first(conn)
        .optional()?;
    let (display_name, time_zone) = saved.unwrap_or_else(|| (String::new(), "UTC".into()));
    Ok(Profile {
        display_name,
        bio,
        time_zone,
    })
}

/// Everything the settings page and `GET /api/v1/me/settings` show of a member's own account.
#[derive(Debug, Clone)]
pub struct Overview {
    pub user: User,
    pub profile: Profile,
    /// Email frequency per kind of notification, in the kinds' order.
    pub prefs: Vec<(
        forum_db::types::NotificationKind,
        forum_db::types::EmailFrequency,
    )>,
    /// Posts waiting for the address to be confirmed.
    pub held: Vec<crate::held::HeldPost>,
}

/// The member's account as their settings show it (the one read both page and API use).
pub fn overview(conn: &mut AnyConnection, user: UserId) -> CoreResult<Overview> {
    Ok(Overview {
        user: crate::lookup::user_by_id(conn, user)?,
        profile: profile(conn, user)?,
        prefs: crate::email::prefs::all(conn, user)?,
        held: crate::held::waiting(conn, user)?,
    })
}

/// Saves a member's profile after checking every field.
pub fn update_profile(conn: &mut AnyConnection, user: UserId, p: &Profile) -> CoreResult<()> {
    let display_name = p.display_name.trim();
    storable_text("display_name", display_name)?;
    if display_name.chars().count() > MAX_DISPLAY_NAME || display_name.chars().any(char::is_control)
    {
        return Err(CoreError::invalid(
            "display_name",
            format!("Display names are at most {MAX_DISPLAY_NAME} characters, on one line"),
        ));
    }
    storable_text("bio", &p.bio)?;
    if p.bio.chars().count() > MAX_BIO {
        return Err(CoreError::invalid(
            "bio",
            format!("The bio is at most {MAX_BIO} characters"),
        ));
    }
    let time_zone = p.time_zone.trim();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(CoreError::invalid(
            "time_zone",
            "Choose a time zone from the list (such as Europe/Paris or America/New_York)",
        ));
    }
    write_tx(conn, |c| {
        diesel::update(users::table.find(user))
            .set(users::bio.eq(p.bio.trim()))
            .execute(c)?;
        forum_db::on_backend!(c, |b| {
            diesel::insert_into(member_settings::table)
                .values((
                    member_settings::user_id.eq(user),
                    member_settings::display_name.eq(display_name),
                    member_settings::time_zone.eq(time_zone),
                ))
                .on_conflict(member_settings::user_id)
                .do_update()
                .set((
                    member_settings::display_name.eq(display_name),
                    member_settings::time_zone.eq(time_zone),
                ))
                .execute(b)?
        });
        Ok(())
    })
}

/// Checks the member's current password (the step before a password or address change).
fn current_account(conn: &mut AnyConnection, user: UserId, password: &str) -> CoreResult<User> {
    let account: User = users::table
        .find(user)
        .select(User::as_select())
        .first(conn)?;
    if !verify_password(password, &account.password_hash) {
        return Err(CoreError::invalid(
            "current_password",
            "That is not your current password",
        ));
    }
    Ok(account)
}

/// Changes the password (the current one is required) and ends every session and API token
/// of the member; the caller signs this device in again.
pub fn change_password(
    conn: &mut AnyConnection,
    user: UserId,
    current: &str,
    new_password: &str,
) -> CoreResult<User> {
    let account = current_account(conn, user, current)?;
    validate_password(new_password, &account.username)?;
    let hash = hash_password(new_password)?;
    write_tx(conn, |c| {
        // Guarded by the hash the current password was checked against: of two changes (or a
        // change and a reset) racing, the second finds it gone and is refused.
        let n = diesel::update(
            users::table
                .find(user)
                .filter(users::password_hash.eq(&account.password_hash)),
        )
        .set((
            users::password_hash.eq(&hash),
            users::token_version.eq(users::token_version + 1),
        ))
        .execute(c)?;
        if n != 1 {
            return Err(CoreError::Conflict(
                "Your password was changed meanwhile; sign in again and retry".into(),
            ));
        }
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(c)?;
        Ok(users::table.find(user).select(User::as_select()).first(c)?)
    })
}

/// What an address change did; the member sees both outcomes alike ("we sent a link to the
/// new address"), so the form cannot be used to learn whether an address has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressChange {
    /// Changed and waiting for confirmation; the old address was told.
    Changed,
    /// The address belongs to another account: nothing changed, its owner was told.
    InUse,
    /// The member gave their current address: nothing to do.
    Unchanged,
}

/// Changes the member's address (the current password is required): the new address must be
/// confirmed, the old one is told, reset links sent to the old address die.
pub fn change_email(
    conn: &mut AnyConnection,
    user: UserId,
    password: &str,
    new_address: &str,
    now: NaiveDateTime,
) -> CoreResult<AddressChange> {
    let new_address = new_address.trim();
    validate_email(new_address)?;
    let account = current_account(conn, user, password)?;
    let lower = new_address.to_lowercase();
    if lower == account.email_lower {
        return Ok(AddressChange::Unchanged);
    }
    write_tx(conn, |c| {
        let owner: Option<UserId> = users::table
            .filter(users::email_lower.eq(&lower))
            .select(users::id)
            .first(c)
            .optional()?;
        if let Some(owner) = owner {
            Email::AddressInUse { user: owner }.enqueue(c)?;
            return Ok(AddressChange::InUse);
        }
        let updated = c.transaction(|s| {
            diesel::update(users::table.find(user))
                .set((
                    users::email.eq(new_address),
                    users::email_lower.eq(&lower),
                    users::email_verified_at.eq(None::<NaiveDateTime>),
                    users::email_undeliverable_at.eq(None::<NaiveDateTime>),
                ))
                .execute(s)
        });
        match updated {
            Ok(_) => {}
            // Another account took the address a moment ago: answered as above.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => return Ok(AddressChange::InUse),
            Err(e) => return Err(e.into()),
        }
        Email::AddressChanged {
            user,
            old_address: account.email.clone(),
        }
        .enqueue(c)?;
        Email::ConfirmAddress {
            user,
            issued_at: now,
        }
        .enqueue(c)?;
        Ok(AddressChange::Changed)
    })
}
