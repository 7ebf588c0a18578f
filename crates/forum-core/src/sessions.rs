//! Server-side sign-in sessions. The browser's cookie holds a random id; the database holds
//! only its SHA-256, the member and the member's generation (`users.token_version`) at sign-in.
//! A session is alive while its row exists, has not expired and its generation still matches:
//! signing out deletes the row (a copied cookie dies with it), and "sign out everywhere", a
//! password change or a suspension bump the generation, which ends every session and every
//! API token of the member at once.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::models::{Session, User};
use forum_db::schema::{champion_standing, notification_counts, sessions, users};
use forum_db::types::{Role, TrustLevel};
use forum_db::{time::now, write_tx, AnyConnection};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::error::CoreResult;

/// How long a session lives without signing in again.
pub const SESSION_DAYS: i64 = 14;

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Starts a session for a member; returns the secret the cookie carries. Expired rows of any
/// member are pruned on the way, so the table holds live sessions only.
pub fn start(conn: &mut AnyConnection, user: &User) -> CoreResult<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    let t = now();
    let row = Session {
        id: digest(&secret),
        user_id: user.id,
        generation: user.token_version,
        created_at: t,
        last_seen_at: t,
        expires_at: t + chrono::Duration::days(SESSION_DAYS),
    };
    write_tx(conn, |c| {
        diesel::delete(sessions::table.filter(sessions::expires_at.lt(t))).execute(c)?;
        diesel::insert_into(sessions::table)
            .values(&row)
            .execute(c)?;
        Ok::<_, crate::CoreError>(())
    })?;
    Ok(secret)
}

/// The member a live session belongs to and how many notifications they have not read (every
/// page's bell); `None` when the session ended (signed out, expired, or the member's generation
/// moved on). One query, on every signed-in request.
pub fn resolve(conn: &mut AnyConnection, secret: &str) -> CoreResult<Option<(Actor, i64)>> {
    // Only the columns an actor needs, their champion perks and unread counter (one row).
    let id = digest(secret);
    let at = now();
    type Row = (
        UserId,
        String,
        Role,
        i64,
        TrustLevel,
        Option<i32>,
        Option<i64>,
    );
    let rows: Vec<Row> = forum_db::on_backend!(conn, |c| {
        sessions::table
            .inner_join(
                users::table
                    .left_join(notification_counts::table)
                    .left_join(champion_standing::table),
            )
            .filter(sessions::id.eq(&id))
            .filter(sessions::expires_at.gt(at))
            .filter(sessions::generation.eq(users::token_version))
            .select((
                users::id,
                users::username,
                users::role,
                users::reputation,
                users::trust_level,
                champion_standing::perks.nullable(),
                notification_counts::unread.nullable(),
            ))
            .load(c)?
    });
    Ok(rows.into_iter().next().map(
        |(id, username, role, reputation, trust_level, perks, unread)| {
            let actor = Actor {
                id,
                username,
                role,
                reputation,
                trust_level,
                perks: perks.unwrap_or(0),
                system: false,
            };
            (actor, unread.unwrap_or(0))
        },
    ))
}

/// Ends one session (sign-out).
pub fn end(conn: &mut AnyConnection, secret: &str) -> CoreResult<()> {
    diesel::delete(sessions::table.filter(sessions::id.eq(digest(secret)))).execute(conn)?;
    Ok(())
}

/// Ends every session and API token of a member by moving their generation on ("sign out
/// everywhere"; also what a password change and a suspension call).
pub fn end_all(conn: &mut AnyConnection, user_id: UserId) -> CoreResult<()> {
    write_tx(conn, |c| {
        diesel::update(users::table.find(user_id))
            .set(users::token_version.eq(users::token_version + 1))
            .execute(c)?;
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(c)?;
        Ok(())
    })
}
