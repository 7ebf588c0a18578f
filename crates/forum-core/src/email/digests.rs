//! Digests: once a day (or a week) a member gets one email gathering what they chose to hear
//! of that way, plus new threads still unanswered where they watch. A digest goes out at the
//! first check after 08:00 in the member's time zone (weekly ones on Mondays); the scheduler
//! moves the member's `covered_until` and queues the digest in one transaction, guarded by the
//! value it read, so parallel schedulers (several nodes) queue it once. An empty digest is
//! skipped when it would be sent.

use chrono::{Datelike, Duration as Days, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use diesel::prelude::*;
use forum_db::ids::{ThreadId, UserId};
use forum_db::schema::{
    email_digests, member_settings, notifications, thread_tags, threads, users, watches,
};
use forum_db::types::{DigestPeriod, EmailFrequency, WatchLevel, WatchTarget};
use forum_db::{write_tx, AnyConnection};

use super::{prefs, Email};
use crate::error::CoreResult;
use crate::jobs::Job;
use crate::notifications::NotificationItem;

/// The local hour digests go out.
pub const SEND_HOUR: u32 = 8;
/// The most threads one digest lists.
pub const MAX_THREADS: i64 = 20;

/// The member's zone, or UTC when the stored name is unknown.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The latest send moment (UTC) of `period` at or before `now` in `tz`.
pub fn last_send_moment(tz: Tz, period: DigestPeriod, now: NaiveDateTime) -> NaiveDateTime {
    let local = tz.from_utc_datetime(&now);
    let mut day = local.date_naive();
    let send = NaiveTime::from_hms_opt(SEND_HOUR, 0, 0).unwrap_or_default();
    if local.time() < send {
        day -= Days::days(1);
    }
    if period == DigestPeriod::Weekly {
        let back = i64::from(day.weekday().num_days_from_monday());
        day -= Days::days(back);
    }
    let at = day.and_time(send);
    // A moment skipped by a daylight-saving jump falls back to the UTC reading.
    tz.from_local_datetime(&at)
        .earliest()
        .map_or(at, |t| t.naive_utc())
}

/// Queues every digest due at `now`; returns how many were queued. Members whose address is
/// unconfirmed or refused get none; a member seen for the first time starts covering from now.
pub fn queue_due(conn: &mut AnyConnection, now: NaiveDateTime) -> CoreResult<usize> {
    let week_ago = now - Days::days(7);
    let with_unread = notifications::table
        .filter(notifications::read_at.is_null())
        .filter(notifications::created_at.gt(week_ago))
        .select(notifications::user_id);
    let watching_places = watches::table
        .filter(watches::level.eq(WatchLevel::Watch))
        .filter(watches::target.ne(WatchTarget::Thread))
        .select(watches::user_id);
    let candidates: Vec<(UserId, Option<String>)> = users::table
        .left_join(member_settings::table)
        .filter(users::email_verified_at.is_not_null())
        .filter(users::email_undeliverable_at.is_null())
        .filter(
            users::id
                .eq_any(with_unread)
                .or(users::id.eq_any(watching_places)),
        )
        .select((users::id, member_settings::time_zone.nullable()))
        .load(conn)?;
    let mut queued = 0;
    for (user, tz_name) in candidates {
        let chosen = prefs::all(conn, user)?;
        for period in [DigestPeriod::Daily, DigestPeriod::Weekly] {
            let wanted = match period {
                DigestPeriod::Daily => EmailFrequency::Daily,
                DigestPeriod::Weekly => EmailFrequency::Weekly,
            };
            if !chosen.iter().any(|(_, f)| *f == wanted) {
                continue;
            }
            let tz = zone(tz_name.as_deref().unwrap_or("UTC"));
            let due_at = last_send_moment(tz, period, now);
            if queue_one(conn, user, period, due_at, now)? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// Moves `user`'s `covered_until` for `period` to `now` and queues the digest, when the last
/// one covered less than `due_at`; the update is guarded by the value read, so only one of
/// several schedulers wins.
fn queue_one(
    conn: &mut AnyConnection,
    user: UserId,
    period: DigestPeriod,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> CoreResult<bool> {
    write_tx(conn, |c| {
        let covered: Option<NaiveDateTime> = email_digests::table
            .find((user, period))
            .select(email_digests::covered_until)
            .first(c)
            .optional()?;
        let Some(from) = covered else {
            // First time: start covering from now; the first digest comes at the next moment.
            forum_db::on_backend!(c, |b| {
                diesel::insert_into(email_digests::table)
                    .values((
                        email_digests::user_id.eq(user),
                        email_digests::period.eq(period),
                        email_digests::covered_until.eq(now),
                    ))
                    .on_conflict_do_nothing()
                    .execute(b)?
            });
            return Ok(false);
        };
        if from >= due_at {
            return Ok(false);
        }
        let moved = diesel::update(
            email_digests::table
                .find((user, period))
                .filter(email_digests::covered_until.eq(from)),
        )
        .set(email_digests::covered_until.eq(now))
        .execute(c)?;
        if moved != 1 {
            return Ok(false);
        }
        Email::Digest {
            user,
            period: period.into(),
            from,
            until: now,
        }
        .enqueue(c)?;
        Ok(true)
    })
}

/// A thread a digest lists.
#[derive(Debug, Clone)]
pub struct DigestThread {
    pub id: ThreadId,
    pub title: String,
    pub slug: String,
    pub created_at: NaiveDateTime,
}

/// What one digest holds.
#[derive(Debug, Clone, Default)]
pub struct DigestContent {
    /// Unread notifications of the kinds the member gets in this digest, newest first.
    pub notifications: Vec<NotificationItem>,
    /// New threads still unanswered in the categories and tags the member watches.
    pub unanswered: Vec<DigestThread>,
}

impl DigestContent {
    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.notifications.is_empty() && self.unanswered.is_empty()
    }
}

/// The content of `user`'s `period` digest for `from..until`, read when it is sent.
pub fn content(
    conn: &mut AnyConnection,
    user: UserId,
    period: DigestPeriod,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> CoreResult<DigestContent> {
    let wanted = match period {
        DigestPeriod::Daily => EmailFrequency::Daily,
        DigestPeriod::Weekly => EmailFrequency::Weekly,
    };
    let kinds: Vec<_> = prefs::all(conn, user)?
        .into_iter()
        .filter(|(_, f)| *f == wanted)
        .map(|(k, _)| k)
        .collect();
    let notifications = crate::notifications::unread_between(conn, user, &kinds, from, until)?;
    let unanswered = if kinds.contains(&forum_db::types::NotificationKind::NewThread) {
        unanswered_in_watched_places(conn, user, from, until)?
    } else {
        Vec::new()
    };
    Ok(DigestContent {
        notifications,
        unanswered,
    })
}

fn unanswered_in_watched_places(
    conn: &mut AnyConnection,
    user: UserId,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> CoreResult<Vec<DigestThread>> {
    let places = |target: WatchTarget| {
        watches::table
            .filter(watches::user_id.eq(user))
            .filter(watches::target.eq(target))
            .filter(watches::level.eq(WatchLevel::Watch))
            .select(watches::target_id)
    };
    let tagged = thread_tags::table
        .filter(thread_tags::tag_id.eq_any(places(WatchTarget::Tag)))
        .select(thread_tags::thread_id);
    let rows: Vec<(ThreadId, String, String, NaiveDateTime)> = threads::table
        .filter(threads::deleted_at.is_null())
        .filter(threads::answer_count.eq(0))
        .filter(threads::author_id.ne(user))
        .filter(threads::created_at.ge(from))
        .filter(threads::created_at.lt(until))
        .filter(
            threads::category_id
                .eq_any(places(WatchTarget::Category))
                .or(threads::id.eq_any(tagged)),
        )
        .order(threads::created_at.desc())
        .limit(MAX_THREADS)
        .select((
            threads::id,
            threads::title,
            threads::slug,
            threads::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, slug, created_at)| DigestThread {
            id,
            title,
            slug,
            created_at,
        })
        .collect())
}
