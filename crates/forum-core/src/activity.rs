//! Visits and reads, recorded off the request path. A page view only notes in memory that a
//! member visited, and how far into a thread they read ([`ActivityRecorder`]); a background
//! job adds the notes to `member_activity` in batches ([`ActivityRecorder::flush`]) and
//! recomputes the trust level of each member it touched. A crash loses at most one batch of
//! visits, which no one was promised; nothing a member wrote goes this way.
//!
//! A day visited is a UTC calendar day with at least one signed-in request. A post read is a
//! post of a thread shown to the member, counted once per thread and position: reading a
//! thread again adds only the posts that are new to them.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{ThreadId, UserId};
use forum_db::schema::{member_activity as ma, thread_reads as tr, threads, users};
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::trust;

/// One member's part of a flush: their latest visit, and the posts of each thread shown.
type MemberBatch = (Option<NaiveDateTime>, Vec<(ThreadId, i64)>);

#[derive(Debug, Default)]
struct Pending {
    /// The latest visit of each member.
    visits: HashMap<UserId, NaiveDateTime>,
    /// The most posts of each thread shown to each member.
    reads: HashMap<(UserId, ThreadId), i64>,
}

/// Visits and reads gathered since the last flush; shared by every request of the node.
#[derive(Debug, Default)]
pub struct ActivityRecorder {
    pending: Mutex<Pending>,
}

impl ActivityRecorder {
    /// Notes a signed-in request by `user` at `at`.
    pub fn visit(&self, user: UserId, at: NaiveDateTime) {
        if let Ok(mut p) = self.pending.lock() {
            p.visits.insert(user, at);
        }
    }

    /// Notes that `user` was shown the first `posts` posts of `thread`.
    pub fn read(&self, user: UserId, thread: ThreadId, posts: i64) {
        if let Ok(mut p) = self.pending.lock() {
            let seen = p.reads.entry((user, thread)).or_default();
            *seen = (*seen).max(posts);
        }
    }

    /// Adds what was gathered to the database, one member per transaction (under their row
    /// lock, so nodes flushing at once add up), and recomputes their trust levels. Returns
    /// the number of members written. What fails to write is logged by the caller and lost.
    pub fn flush(&self, conn: &mut AnyConnection) -> CoreResult<usize> {
        let batch = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return Ok(0),
        };
        let mut members: HashMap<UserId, MemberBatch> = HashMap::new();
        for (user, at) in batch.visits {
            members.entry(user).or_default().0 = Some(at);
        }
        for ((user, thread), seen) in batch.reads {
            members.entry(user).or_default().1.push((thread, seen));
        }
        let mut users: Vec<_> = members.into_iter().collect();
        users.sort_by_key(|(u, _)| *u);
        for (user, (visit, reads)) in &users {
            record(conn, *user, *visit, reads)?;
        }
        Ok(users.len())
    }
}

/// Adds one member's visit and reads, then recomputes their level.
pub fn record(
    conn: &mut AnyConnection,
    user: UserId,
    visit: Option<NaiveDateTime>,
    reads: &[(ThreadId, i64)],
) -> CoreResult<()> {
    forum_db::write_tx(conn, |c| {
        forum_db::lock::lock_user(c, user)?;
        let exists: i64 = users::table.find(user).count().get_result(c)?;
        if exists == 0 {
            return Ok(());
        }
        let mut new_posts = 0;
        for (thread, seen) in reads {
            new_posts += read_thread(c, user, *thread, *seen)?;
        }
        let row: Option<(i64, Option<NaiveDateTime>)> = ma::table
            .find(user)
            .select((ma::days_visited, ma::last_visited_at))
            .first(c)
            .optional()?;
        match row {
            None => {
                diesel::insert_into(ma::table)
                    .values((
                        ma::user_id.eq(user),
                        ma::days_visited.eq(i64::from(visit.is_some())),
                        ma::last_visited_at.eq(visit),
                        ma::posts_read.eq(new_posts),
                        ma::flags_agreed.eq(0),
                    ))
                    .execute(c)?;
            }
            Some((days, last)) => {
                let new_day = visit.is_some_and(|v| last.is_none_or(|l| v.date() > l.date()));
                let last = last.max(visit);
                diesel::update(ma::table.find(user))
                    .set((
                        ma::days_visited.eq(days + i64::from(new_day)),
                        ma::last_visited_at.eq(last),
                        ma::posts_read.eq(ma::posts_read + new_posts),
                    ))
                    .execute(c)?;
            }
        }
        // `member_activity.last_visited_at` is the member's last visit; `users` is left alone,
        // since any write to it moves the data generation and would empty the read caches on
        // every flush.
        trust::refresh(c, user)?;
        Ok(())
    })
}

/// Moves a member's mark in `thread` to `seen` posts; returns how many posts that adds.
fn read_thread(
    conn: &mut AnyConnection,
    user: UserId,
    thread: ThreadId,
    seen: i64,
) -> CoreResult<i64> {
    let before: Option<i64> = tr::table
        .find((user, thread))
        .select(tr::posts_seen)
        .first(conn)
        .optional()?;
    match before {
        None => {
            // The thread may have been removed for good since it was read.
            let exists: i64 = threads::table.find(thread).count().get_result(conn)?;
            if exists == 0 {
                return Ok(0);
            }
            diesel::insert_into(tr::table)
                .values((
                    tr::user_id.eq(user),
                    tr::thread_id.eq(thread),
                    tr::posts_seen.eq(seen),
                ))
                .execute(conn)?;
            Ok(seen)
        }
        Some(before) if seen > before => {
            diesel::update(tr::table.find((user, thread)))
                .set(tr::posts_seen.eq(seen))
                .execute(conn)?;
            Ok(seen - before)
        }
        Some(_) => Ok(0),
    }
}
