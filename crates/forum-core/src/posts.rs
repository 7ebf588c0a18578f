//! Answers and comments: the writes that add to a thread. Each service validates and cooks the
//! text and asks the social contract before its transaction starts, then locks, checks the
//! member's pace and writes inside one transaction with its outbox row.

use crate::notifications::{notify, notify_mentions, Notice};
use crate::watching;
use diesel::prelude::*;
use forum_db::ids::{CommentId, PostId, ThreadId, UserId};
use forum_db::lock::{lock_thread, lock_user};
use forum_db::models::{NewComment, NewPost, NewPostRevision, Post};
use forum_db::schema::{comments, post_revisions, posts, threads};
use forum_db::types::NotificationKind;
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::content::{cook_body, BODY_CHARS, COMMENT_CHARS};
use crate::error::CoreResult;
use crate::indexing::reindex_later;
use crate::lookup::{post_by_id, thread_by_id};
use crate::markup::{Cooked, COOK_VERSION};
use crate::policy::{ContentKind, WritePolicy};
use crate::privileges::Privilege;
use crate::visibility::Visibility;

/// Stores a new post with its first revision (`title` is the thread title for a question,
/// `None` for an answer): the one place posts are created.
pub(crate) fn insert_post(
    conn: &mut AnyConnection,
    thread_id: ThreadId,
    actor: &Actor,
    body: &str,
    cooked: &Cooked,
    title: Option<&str>,
    at: chrono::NaiveDateTime,
) -> CoreResult<Post> {
    let post: Post = diesel::insert_into(posts::table)
        .values(&NewPost {
            thread_id,
            author_id: actor.id,
            is_question: title.is_some(),
            body_raw: body,
            body_html: &cooked.html,
            body_text: &cooked.text,
            cook_version: COOK_VERSION,
            created_at: at,
        })
        .returning(posts::all_columns)
        .get_result(conn)?;
    diesel::insert_into(post_revisions::table)
        .values(&NewPostRevision {
            post_id: post.id,
            revision: 1,
            editor_id: actor.id,
            title,
            body_raw: body,
            reason: "",
            created_at: at,
        })
        .execute(conn)?;
    Ok(post)
}

/// Locks the member's row and asks the contract whether they may post now: the pace check
/// and the insert that follows it are one step for parallel requests by the same member.
/// Writes by the system actor (imports, the seed) are logged under the `audit` target.
pub(crate) fn paced(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    kind: ContentKind,
) -> CoreResult<()> {
    lock_user(conn, actor.id)?;
    if actor.system {
        // Exempt from the contract, so every such write leaves a trace in the audit log.
        tracing::info!(target: "audit", member = %actor.id, ?kind, "system write in a member's name");
    }
    policy.check_rate(conn, actor, kind)
}

/// Adds an answer to a thread the actor can see, bumps it, and queues reindexing.
pub fn answer(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    thread_id: ThreadId,
    body: &str,
) -> CoreResult<Post> {
    let cooked = cook_body(conn, "body", body, BODY_CHARS, actor.trust_level)?;
    policy.check_content(actor, ContentKind::Answer, &cooked)?;
    let draft = crate::held::Draft::Answer {
        thread: thread_id,
        body,
    };
    crate::held::hold_if_unconfirmed(conn, policy, actor, draft)?;
    write_tx(conn, |c| {
        lock_thread(c, thread_id)?;
        paced(c, policy, actor, ContentKind::Answer)?;
        let thread = Visibility::for_writes().thread(thread_by_id(c, thread_id)?)?;
        let t = now();
        let post = insert_post(c, thread.id, actor, body, &cooked, None, t)?;
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::answer_count.eq(threads::answer_count + 1),
                threads::bumped_at.eq(t),
            ))
            .execute(c)?;
        reindex_later(c, thread.id)?;
        // Answers count towards trust levels and badges.
        crate::trust::refresh(c, actor.id)?;
        crate::badges::on_answer(c, actor.id)?;
        // One subject for everyone told of this answer, most specific first: the asker hears
        // of an answer to their question, then those mentioned of the mention, then watchers
        // of a reply; nobody hears of the same answer twice.
        let subject = format!("post:{}", post.id);
        let about =
            |user, kind| Notice::about_post(user, kind, actor, thread.id, post.id, subject.clone());
        notify(c, &about(thread.author_id, NotificationKind::Answer))?;
        notify_mentions(c, actor, thread.id, post.id, &subject, &cooked.mentions)?;
        for watcher in watching::thread_watchers(c, thread.id)? {
            notify(c, &about(watcher, NotificationKind::WatchedReply))?;
        }
        watching::watch_by_default(c, actor.id, thread.id)?;
        Ok(post)
    })
}

/// Adds a comment under a post the actor can see; comments count towards the member's pace.
/// Commenting on others' posts outside one's own threads needs the comment-everywhere
/// privilege (TL0 by default: a new member may comment anywhere).
pub fn comment(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    post_id: PostId,
    body: &str,
) -> CoreResult<CommentId> {
    let cooked = cook_body(conn, "comment", body, COMMENT_CHARS, actor.trust_level)?;
    policy.check_content(actor, ContentKind::Comment, &cooked)?;
    let draft = crate::held::Draft::Comment {
        post: post_id,
        body,
    };
    crate::held::hold_if_unconfirmed(conn, policy, actor, draft)?;
    write_tx(conn, |c| {
        paced(c, policy, actor, ContentKind::Comment)?;
        let vis = Visibility::for_writes();
        let post = vis.post(post_by_id(c, post_id)?)?;
        let thread = vis.thread(thread_by_id(c, post.thread_id)?)?;
        // One's own posts and threads take comments at any level; others' need the privilege.
        if post.author_id != actor.id && thread.author_id != actor.id {
            policy
                .privileges()
                .require(actor, Privilege::CommentEverywhere)?;
        }
        let id = diesel::insert_into(comments::table)
            .values(&NewComment {
                post_id: post.id,
                author_id: actor.id,
                body_raw: body,
                body_html: &cooked.html,
                created_at: now(),
            })
            .returning(comments::id)
            .get_result(c)?;
        notify(
            c,
            &Notice::about_post(
                post.author_id,
                NotificationKind::Comment,
                actor,
                post.thread_id,
                post.id,
                format!("comment:{id}"),
            ),
        )?;
        let subject = format!("comment:{id}");
        notify_mentions(
            c,
            actor,
            post.thread_id,
            post.id,
            &subject,
            &cooked.mentions,
        )?;
        Ok(id)
    })
}

/// When a member's contributions (questions, answers and comments) in the last `window`
/// were made, as unix seconds: the input to the contract's pace limit.
pub fn recent_contribution_times(
    conn: &mut AnyConnection,
    user_id: UserId,
    window: std::time::Duration,
) -> CoreResult<Vec<i64>> {
    let since = forum_db::time::minus(now(), window);
    let mut times: Vec<chrono::NaiveDateTime> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::created_at.ge(since))
        .select(posts::created_at)
        .load(conn)?;
    times.extend(
        comments::table
            .filter(comments::author_id.eq(user_id))
            .filter(comments::created_at.ge(since))
            .select(comments::created_at)
            .load::<chrono::NaiveDateTime>(conn)?,
    );
    Ok(times.iter().map(|t| t.and_utc().timestamp()).collect())
}
