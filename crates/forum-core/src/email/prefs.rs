//! What each member wants by email, per kind of notification: immediately, in the daily or
//! weekly digest, or never. A member who never chose gets the kind's default; a choice is one
//! row, so changing the defaults later changes them for everyone who did not choose.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::notification_prefs;
use forum_db::types::{EmailFrequency, NotificationKind};
use forum_db::AnyConnection;
use strum::IntoEnumIterator;

use crate::error::CoreResult;

/// The frequency of a kind for a member who never chose: what is addressed to them (an answer,
/// a comment, a mention, an accepted answer, a notice) at once; what they follow (replies in
/// watched threads, new threads where they watch), thank-yous and badges in the daily digest.
pub fn default_frequency(kind: NotificationKind) -> EmailFrequency {
    match kind {
        NotificationKind::Answer
        | NotificationKind::Comment
        | NotificationKind::Accepted
        | NotificationKind::Mention
        | NotificationKind::Notice => EmailFrequency::Immediately,
        NotificationKind::WatchedReply
        | NotificationKind::NewThread
        | NotificationKind::Kudos
        | NotificationKind::Badge => EmailFrequency::Daily,
    }
}

/// A member's frequency for one kind.
pub fn frequency(
    conn: &mut AnyConnection,
    user: UserId,
    kind: NotificationKind,
) -> CoreResult<EmailFrequency> {
    let chosen: Vec<EmailFrequency> = notification_prefs::table
        .filter(notification_prefs::user_id.eq(user))
        .filter(notification_prefs::kind.eq(kind))
        .select(notification_prefs::frequency)
        .load(conn)?;
    Ok(chosen
        .into_iter()
        .next()
        .unwrap_or_else(|| default_frequency(kind)))
}

/// A member's frequency for every kind, in the kinds' order (for the settings page).
pub fn all(
    conn: &mut AnyConnection,
    user: UserId,
) -> CoreResult<Vec<(NotificationKind, EmailFrequency)>> {
    let chosen: Vec<(NotificationKind, EmailFrequency)> = notification_prefs::table
        .filter(notification_prefs::user_id.eq(user))
        .select((notification_prefs::kind, notification_prefs::frequency))
        .load(conn)?;
    Ok(NotificationKind::iter()
        .map(|kind| {
            let f = chosen
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or_else(|| default_frequency(kind), |(_, f)| *f);
            (kind, f)
        })
        .collect())
}

/// Sets a member's frequency for `kind` (an upsert, so parallel saves leave one row).
pub fn set(
    conn: &mut AnyConnection,
    user: UserId,
    kind: NotificationKind,
    frequency: EmailFrequency,
) -> CoreResult<()> {
    forum_db::on_backend!(conn, |c| {
        diesel::insert_into(notification_prefs::table)
            .values((
                notification_prefs::user_id.eq(user),
                notification_prefs::kind.eq(kind),
                notification_prefs::frequency.eq(frequency),
            ))
            .on_conflict((notification_prefs::user_id, notification_prefs::kind))
            .do_update()
            .set(notification_prefs::frequency.eq(frequency))
            .execute(c)?
    });
    Ok(())
}

/// What an unsubscribe link stops, named by the link's scope: one kind (`answer`), one digest
/// (`daily`, `weekly`: every kind gathered in it) or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsubscribe {
    Kind(NotificationKind),
    Digest(EmailFrequency),
    All,
}

impl Unsubscribe {
    /// Reads a link's scope; `None` for a scope no link is made with.
    pub fn parse(scope: &str) -> Option<Unsubscribe> {
        match scope {
            "all" => Some(Unsubscribe::All),
            "daily" => Some(Unsubscribe::Digest(EmailFrequency::Daily)),
            "weekly" => Some(Unsubscribe::Digest(EmailFrequency::Weekly)),
            kind => kind.parse().ok().map(Unsubscribe::Kind),
        }
    }

    /// Says what stopped, for the page.
    pub fn describe(self) -> String {
        match self {
            Unsubscribe::Kind(k) => format!("emails about “{}”", k.as_str().replace('_', " ")),
            Unsubscribe::Digest(f) => format!("the {} digest", f.as_str()),
            Unsubscribe::All => "all notification emails".into(),
        }
    }
}

/// Stops what `what` names for a member (sets those kinds to never): an unsubscribe link.
pub fn unsubscribe(conn: &mut AnyConnection, user: UserId, what: Unsubscribe) -> CoreResult<()> {
    forum_db::write_tx(conn, |c| {
        for (kind, freq) in all(c, user)? {
            let stop = match what {
                Unsubscribe::Kind(k) => k == kind,
                Unsubscribe::Digest(f) => f == freq,
                Unsubscribe::All => true,
            };
            if stop {
                set(c, user, kind, EmailFrequency::Never)?;
            }
        }
        Ok(())
    })
}

/// Saves frequencies given by name (`answer` → `daily`), as the settings form and the API send
/// them. An unknown kind or frequency refuses the whole change; kinds not named keep theirs.
pub fn save_named(
    conn: &mut AnyConnection,
    user: UserId,
    choices: &[(String, String)],
) -> CoreResult<()> {
    let mut parsed = Vec::with_capacity(choices.len());
    for (kind, freq) in choices {
        let k: NotificationKind = kind.parse().ok().ok_or_else(|| {
            crate::error::CoreError::invalid(
                "notifications",
                format!("There is no kind of notification called '{kind}'"),
            )
        })?;
        let f: EmailFrequency = freq.parse().ok().ok_or_else(|| {
            crate::error::CoreError::invalid(
                "notifications",
                format!("'{freq}' is not one of immediately, daily, weekly or never"),
            )
        })?;
        parsed.push((k, f));
    }
    forum_db::write_tx(conn, |c| {
        for (k, f) in &parsed {
            set(c, user, *k, *f)?;
        }
        Ok(())
    })
}
