//! Notifications: the one way the product tells a member about something. Services call
//! [`notify`] inside the transaction of the event, so a notification exists exactly when its
//! event committed; the bell, the notifications page and the API read the rows it writes, and
//! a member who wants a kind by email immediately gets an email job queued with it.
//!
//! Each notification names its subject (`post:42`), and a member holds at most one per
//! subject, so a retried or repeated event (an answer accepted, unaccepted and accepted again)
//! notifies once, and an asker who also watches their thread hears of an answer once. Nobody
//! is notified of their own action, nor of anything about a thread they muted (directly, or
//! its category or one of its tags).

use diesel::prelude::*;
use forum_db::ids::{NotificationId, PostId, ThreadId, UserId};
use forum_db::models::{NewNotification, Notification};
use forum_db::schema::{notification_counts, notifications, threads, users};
use forum_db::time::now;
use forum_db::types::{EmailFrequency, NotificationKind};
use forum_db::{write_tx, AnyConnection};

use crate::actor::Actor;
use crate::email::{prefs, Email};
use crate::error::CoreResult;
use crate::jobs::Job;
use crate::queries::{authors_by_id, Author};

/// What to tell whom: built by the service that knows the event.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Who is told.
    pub user_id: UserId,
    pub kind: NotificationKind,
    /// Who caused it, when a member did (never told of their own action).
    pub actor_id: Option<UserId>,
    pub thread_id: Option<ThreadId>,
    pub post_id: Option<PostId>,
    /// What it is about, unique per member: the same subject never notifies twice.
    pub subject: String,
    /// The text for kinds that carry their own (`Notice`); empty for the others, whose text
    /// comes from the kind, the actor and the thread.
    pub message: String,
}

impl Notice {
    /// A notice about a post in a thread, caused by `actor`.
    pub fn about_post(
        user_id: UserId,
        kind: NotificationKind,
        actor: &Actor,
        thread_id: ThreadId,
        post_id: PostId,
        subject: String,
    ) -> Notice {
        Notice {
            user_id,
            kind,
            actor_id: Some(actor.id),
            thread_id: Some(thread_id),
            post_id: Some(post_id),
            subject,
            message: String::new(),
        }
    }
}

/// Records `notice` in the caller's transaction; returns whether it was new (not the member's
/// own action, not a subject they were already told about).
pub fn notify(conn: &mut AnyConnection, notice: &Notice) -> CoreResult<bool> {
    if notice.actor_id == Some(notice.user_id) {
        return Ok(false);
    }
    if let Some(thread) = notice.thread_id {
        if crate::watching::muted(conn, notice.user_id, thread)? {
            return Ok(false);
        }
    }
    let row = NewNotification {
        user_id: notice.user_id,
        kind: notice.kind,
        actor_id: notice.actor_id,
        thread_id: notice.thread_id,
        post_id: notice.post_id,
        subject_key: &notice.subject,
        message: &notice.message,
        created_at: now(),
    };
    let inserted: Vec<NotificationId> = forum_db::on_backend!(conn, |c| {
        diesel::insert_into(notifications::table)
            .values(&row)
            .on_conflict((notifications::user_id, notifications::subject_key))
            .do_nothing()
            .returning(notifications::id)
            .get_results(c)?
    });
    let Some(id) = inserted.into_iter().next() else {
        return Ok(false);
    };
    add_unread(conn, notice.user_id, 1)?;
    if prefs::frequency(conn, notice.user_id, notice.kind)? == EmailFrequency::Immediately {
        // Queued now, in the event's transaction; the worker holds it back for the configured
        // delay and drops it if the member read the notification on the site meanwhile.
        Email::Notification { notification: id }.enqueue(conn)?;
    }
    Ok(true)
}

/// Moves `user`'s unread counter by `delta` (the row is made on first use). Called only next to
/// the insert or update it accounts for, in the same transaction.
fn add_unread(conn: &mut AnyConnection, user: UserId, delta: i64) -> CoreResult<()> {
    forum_db::on_backend!(conn, |c| {
        diesel::insert_into(notification_counts::table)
            .values((
                notification_counts::user_id.eq(user),
                notification_counts::unread.eq(delta.max(0)),
            ))
            .on_conflict(notification_counts::user_id)
            .do_update()
            .set(notification_counts::unread.eq(notification_counts::unread + delta))
            .execute(c)?
    });
    Ok(())
}

/// Tells each member `usernames` names (a post's `@mentions`, from its cooking) that `actor`
/// mentioned them in `post`, under the post's or comment's `subject` (shared with the other
/// notices of the same event, so nobody hears of it twice). Only writes that create a post or
/// comment call it: an edit tells nobody again.
pub fn notify_mentions(
    conn: &mut AnyConnection,
    actor: &Actor,
    thread: ThreadId,
    post: PostId,
    subject: &str,
    usernames: &[String],
) -> CoreResult<()> {
    if usernames.is_empty() {
        return Ok(());
    }
    let ids: Vec<UserId> = users::table
        .filter(users::username.eq_any(usernames))
        .select(users::id)
        .load(conn)?;
    for user in ids {
        let notice = Notice::about_post(
            user,
            NotificationKind::Mention,
            actor,
            thread,
            post,
            subject.to_string(),
        );
        notify(conn, &notice)?;
    }
    Ok(())
}

/// How many notifications `user` has not read: their counter (one row).
pub fn unread_count(conn: &mut AnyConnection, user: UserId) -> CoreResult<i64> {
    let rows: Vec<i64> = forum_db::on_backend!(conn, |c| {
        notification_counts::table
            .find(user)
            .select(notification_counts::unread)
            .load(c)?
    });
    Ok(rows.into_iter().next().unwrap_or(0))
}

/// Which notifications to mark read.
#[derive(Debug, Clone)]
pub enum MarkRead {
    /// These (others' ids are ignored: a member marks only their own).
    Ids(Vec<NotificationId>),
    /// Every unread one.
    All,
}

/// Marks `user`'s notifications read; returns how many changed.
pub fn mark_read(conn: &mut AnyConnection, user: UserId, which: &MarkRead) -> CoreResult<usize> {
    write_tx(conn, |c| {
        let mine = notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::read_at.is_null());
        let at = now();
        let changed = match which {
            MarkRead::All => diesel::update(mine)
                .set(notifications::read_at.eq(at))
                .execute(c)?,
            MarkRead::Ids(ids) if ids.is_empty() => 0,
            MarkRead::Ids(ids) => diesel::update(mine.filter(notifications::id.eq_any(ids)))
                .set(notifications::read_at.eq(at))
                .execute(c)?,
        };
        if changed > 0 {
            add_unread(c, user, -i64::try_from(changed).unwrap_or(i64::MAX))?;
        }
        Ok(changed)
    })
}

/// A notification as lists show it: the row, who caused it, and its thread's title and slug.
#[derive(Debug, Clone)]
pub struct NotificationItem {
    pub notification: Notification,
    pub actor: Option<Author>,
    /// `(title, slug)` of the thread it is about, if any.
    pub thread: Option<(String, String)>,
}

/// Notifications shown per page.
pub const PER_PAGE: i64 = 30;

/// One page of `user`'s notifications, newest first (two queries), and whether another follows.
pub fn list(
    conn: &mut AnyConnection,
    user: UserId,
    page: i64,
) -> CoreResult<(Vec<NotificationItem>, bool)> {
    let page = page.clamp(1, 10_000);
    let rows: Vec<(Notification, Option<(String, String)>)> = notifications::table
        .left_join(threads::table)
        .filter(notifications::user_id.eq(user))
        .order(notifications::id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE + 1)
        .select((
            Notification::as_select(),
            (threads::title, threads::slug).nullable(),
        ))
        .load(conn)?;
    let has_next = rows.len() > PER_PAGE as usize;
    let rows: Vec<_> = rows.into_iter().take(PER_PAGE as usize).collect();
    Ok((with_actors(conn, rows)?, has_next))
}

/// `user`'s unread notifications of `kinds` created in `from..until`, newest first (a digest).
pub fn unread_between(
    conn: &mut AnyConnection,
    user: UserId,
    kinds: &[NotificationKind],
    from: chrono::NaiveDateTime,
    until: chrono::NaiveDateTime,
) -> CoreResult<Vec<NotificationItem>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Notification, Option<(String, String)>)> = notifications::table
        .left_join(threads::table)
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .filter(notifications::kind.eq_any(kinds))
        .filter(notifications::created_at.ge(from))
        .filter(notifications::created_at.lt(until))
        .order(notifications::id.desc())
        .limit(100)
        .select((
            Notification::as_select(),
            (threads::title, threads::slug).nullable(),
        ))
        .load(conn)?;
    with_actors(conn, rows)
}

/// One notification with its actor and thread (the email of a single notification).
pub fn item(conn: &mut AnyConnection, id: NotificationId) -> CoreResult<Option<NotificationItem>> {
    let rows: Vec<(Notification, Option<(String, String)>)> = notifications::table
        .left_join(threads::table)
        .filter(notifications::id.eq(id))
        .select((
            Notification::as_select(),
            (threads::title, threads::slug).nullable(),
        ))
        .load(conn)?;
    Ok(with_actors(conn, rows)?.into_iter().next())
}

/// Attaches who caused each notification (one query for all).
fn with_actors(
    conn: &mut AnyConnection,
    rows: Vec<(Notification, Option<(String, String)>)>,
) -> CoreResult<Vec<NotificationItem>> {
    let actor_ids: Vec<UserId> = rows.iter().filter_map(|(n, _)| n.actor_id).collect();
    let actors = authors_by_id(conn, &actor_ids)?;
    Ok(rows
        .into_iter()
        .map(|(n, thread)| NotificationItem {
            actor: n.actor_id.and_then(|id| actors.get(&id).cloned()),
            thread,
            notification: n,
        })
        .collect())
}
