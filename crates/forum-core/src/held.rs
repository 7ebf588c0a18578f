//! Posts that wait for their author's confirmed address. When the forum requires confirmed
//! addresses (`accounts.require_verified_email`), a question, answer or comment by a member
//! who has not confirmed yet is checked like any other, then kept here instead of published
//! (the service answers [`CoreError::Held`]); the member sees it on their settings page, and
//! confirming the address publishes it through the same services, in the order written.
//! A post that cannot be published then (its thread was deleted meanwhile) stays listed with
//! the reason, so its text is never lost.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{PostId, ThreadId, UserId};
use forum_db::models::User;
use forum_db::schema::{held_posts, users};
use forum_db::time::now;
use forum_db::AnyConnection;
use serde::Serialize;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::policy::WritePolicy;
use crate::threads::AskInput;

/// What a held post would have been.
#[derive(Debug, Clone, Copy)]
pub enum Draft<'a> {
    Question(&'a AskInput<'a>),
    Answer { thread: ThreadId, body: &'a str },
    Comment { post: PostId, body: &'a str },
}

/// Keeps `draft` and answers [`CoreError::Held`] when the actor's posts must wait for a
/// confirmed address; does nothing otherwise. Services call it after their own checks, so a
/// post that would be refused is refused, not held.
pub fn hold_if_unconfirmed(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    draft: Draft<'_>,
) -> CoreResult<()> {
    if !policy.requires_confirmed_email(actor) {
        return Ok(());
    }
    let confirmed: Option<NaiveDateTime> = users::table
        .find(actor.id)
        .select(users::email_verified_at)
        .first(conn)?;
    if confirmed.is_some() {
        return Ok(());
    }
    let (kind, thread, post, title, body, category, tags) = match draft {
        Draft::Question(q) => (
            "question",
            None,
            None,
            q.title,
            q.body,
            q.category_slug,
            q.tags,
        ),
        Draft::Answer { thread, body } => ("answer", Some(thread), None, "", body, "", ""),
        Draft::Comment { post, body } => ("comment", None, Some(post), "", body, "", ""),
    };
    diesel::insert_into(held_posts::table)
        .values((
            held_posts::user_id.eq(actor.id),
            held_posts::kind.eq(kind),
            held_posts::thread_id.eq(thread.map(|t| t.0)),
            held_posts::post_id.eq(post.map(|p| p.0)),
            held_posts::title.eq(title),
            held_posts::body.eq(body),
            held_posts::category.eq(category),
            held_posts::tags.eq(tags),
            held_posts::created_at.eq(now()),
        ))
        .execute(conn)?;
    Err(CoreError::Held)
}

/// A waiting post as its author sees it.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct HeldPost {
    pub id: i64,
    /// `question`, `answer` or `comment`.
    pub kind: String,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: String,
    pub created_at: NaiveDateTime,
    /// Why publishing it failed, when it did.
    pub failed: Option<String>,
}

/// `user`'s waiting posts, oldest first.
pub fn waiting(conn: &mut AnyConnection, user: UserId) -> CoreResult<Vec<HeldPost>> {
    Ok(held_posts::table
        .filter(held_posts::user_id.eq(user))
        .order(held_posts::id.asc())
        .select((
            held_posts::id,
            held_posts::kind,
            held_posts::thread_id,
            held_posts::post_id,
            held_posts::title,
            held_posts::body,
            held_posts::category,
            held_posts::tags,
            held_posts::created_at,
            held_posts::failed,
        ))
        .load(conn)?)
}

/// Publishes `user`'s waiting posts (after their address was confirmed) through the normal
/// services, oldest first; returns how many were published. A post the services refuse now
/// stays, with the reason.
pub fn publish(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    user: &User,
) -> CoreResult<usize> {
    let actor = crate::actor::load(conn, user)?;
    let mut published = 0;
    for held in waiting(conn, user.id)?
        .into_iter()
        .filter(|h| h.failed.is_none())
    {
        let outcome = match held.kind.as_str() {
            "question" => crate::threads::ask(
                conn,
                policy,
                &actor,
                &AskInput {
                    title: &held.title,
                    body: &held.body,
                    category_slug: &held.category,
                    tags: &held.tags,
                },
            )
            .map(|_| ()),
            "answer" => crate::posts::answer(
                conn,
                policy,
                &actor,
                ThreadId(held.thread_id.unwrap_or_default()),
                &held.body,
            )
            .map(|_| ()),
            _ => crate::posts::comment(
                conn,
                policy,
                &actor,
                PostId(held.post_id.unwrap_or_default()),
                &held.body,
            )
            .map(|_| ()),
        };
        match outcome {
            Ok(()) => {
                diesel::delete(held_posts::table.find(held.id)).execute(conn)?;
                published += 1;
            }
            Err(CoreError::Db(e)) => return Err(CoreError::Db(e)),
            Err(refused) => {
                diesel::update(held_posts::table.find(held.id))
                    .set(held_posts::failed.eq(refused.to_string()))
                    .execute(conn)?;
            }
        }
    }
    Ok(published)
}
