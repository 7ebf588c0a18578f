//! Kudos: a member's thank-you to the author of a post. Not a vote (it says "this helped me",
//! not "this is right"), so a new member may give it: at most [`KudosRules::per_day`] in any
//! 24 hours, one per post, never to oneself. Each is a +2 reputation event for the author
//! (`KudosReceived`, in the ledger, reversed when withdrawn) and a notification.

use chrono::Duration;
use diesel::prelude::*;
use forum_db::ids::{PostId, ThreadId, UserId};
use forum_db::lock::{lock_post, lock_thread, lock_users};
use forum_db::models::Post;
use forum_db::schema::{kudos, posts};
use forum_db::types::NotificationKind;
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::lookup::{post_by_id, thread_by_id};
use crate::notifications::{notify, Notice};
use crate::reputation::{self, EventKind};
use crate::visibility::Visibility;

/// The kudos rules in force (from the forum's settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KudosRules {
    /// Kudos one member may give in any 24 hours.
    pub per_day: u32,
}

impl Default for KudosRules {
    fn default() -> Self {
        KudosRules { per_day: 10 }
    }
}

/// What a post's kudos are after a change, for the page and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KudosState {
    pub count: i64,
    /// Whether the actor's kudos is on the post.
    pub given: bool,
}

/// Locks the thread, the post and both members (the order every ledger write uses) and
/// returns the live post, refusing the actor's own.
fn locked_post(conn: &mut AnyConnection, actor: &Actor, post_id: PostId) -> CoreResult<Post> {
    let thread_id: ThreadId = post_by_id(conn, post_id)?.thread_id;
    lock_thread(conn, thread_id)?;
    lock_post(conn, post_id)?;
    let vis = Visibility::for_writes();
    let post = vis.post(post_by_id(conn, post_id)?)?;
    vis.thread(thread_by_id(conn, post.thread_id)?)?;
    if post.author_id == actor.id {
        return Err(CoreError::forbidden(
            "Kudos are for thanking others; you cannot give them to your own post",
        ));
    }
    lock_users(conn, &[post.author_id, actor.id])?;
    Ok(post)
}

fn given(conn: &mut AnyConnection, actor: UserId, post: PostId) -> CoreResult<bool> {
    let n: i64 = kudos::table
        .filter(kudos::post_id.eq(post))
        .filter(kudos::giver_id.eq(actor))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Thanks the author of `post_id`. Giving again is a no-op; the daily allowance is counted
/// under the giver's row lock, so parallel requests cannot exceed it.
pub fn give(
    conn: &mut AnyConnection,
    rules: KudosRules,
    actor: &Actor,
    post_id: PostId,
) -> CoreResult<KudosState> {
    write_tx(conn, |c| {
        let post = locked_post(c, actor, post_id)?;
        if given(c, actor.id, post.id)? {
            return Ok(KudosState {
                count: post.kudos_count,
                given: true,
            });
        }
        let t = now();
        let recent: i64 = kudos::table
            .filter(kudos::giver_id.eq(actor.id))
            .filter(kudos::created_at.gt(t - Duration::hours(24)))
            .count()
            .get_result(c)?;
        if recent >= i64::from(rules.per_day) {
            return Err(CoreError::RateLimited {
                message: format!(
                    "You can give {} kudos a day; thank you for being generous. Try again later.",
                    rules.per_day
                ),
                retry_after_secs: 3600,
            });
        }
        diesel::insert_into(kudos::table)
            .values((
                kudos::post_id.eq(post.id),
                kudos::giver_id.eq(actor.id),
                kudos::receiver_id.eq(post.author_id),
                kudos::created_at.eq(t),
            ))
            .execute(c)?;
        let count = bump(c, post.id, 1)?;
        reputation::record(
            c,
            post.author_id,
            EventKind::KudosReceived,
            post.id,
            actor.id,
        )?;
        let notice = Notice::about_post(
            post.author_id,
            NotificationKind::Kudos,
            actor,
            post.thread_id,
            post.id,
            format!("kudos:{}:{}", post.id, actor.id),
        );
        notify(c, &notice)?;
        crate::badges::on_kudos(c, post.author_id)?;
        Ok(KudosState { count, given: true })
    })
}

/// Takes the actor's kudos back (and the reputation it gave); a no-op when there is none.
pub fn withdraw(
    conn: &mut AnyConnection,
    actor: &Actor,
    post_id: PostId,
) -> CoreResult<KudosState> {
    write_tx(conn, |c| {
        let post = locked_post(c, actor, post_id)?;
        let removed = diesel::delete(
            kudos::table
                .filter(kudos::post_id.eq(post.id))
                .filter(kudos::giver_id.eq(actor.id)),
        )
        .execute(c)?;
        if removed == 0 {
            return Ok(KudosState {
                count: post.kudos_count,
                given: false,
            });
        }
        let count = bump(c, post.id, -1)?;
        reputation::reverse(c, post.id, actor.id, &[EventKind::KudosReceived])?;
        Ok(KudosState {
            count,
            given: false,
        })
    })
}

fn bump(conn: &mut AnyConnection, post: PostId, delta: i64) -> CoreResult<i64> {
    Ok(diesel::update(posts::table.find(post))
        .set(posts::kudos_count.eq(posts::kudos_count + delta))
        .returning(posts::kudos_count)
        .get_result(conn)?)
}

/// How many kudos a member has received (their profile).
pub fn received(conn: &mut AnyConnection, user: UserId) -> CoreResult<i64> {
    Ok(kudos::table
        .filter(kudos::receiver_id.eq(user))
        .count()
        .get_result(conn)?)
}
