//! Answers, edits with kept revisions, and comments.

use diesel::prelude::*;
use forum_db::models::{NewComment, NewPost, NewPostRevision, Post, PostRevision};
use forum_db::outbox::{enqueue, TOPIC_SEARCH};
use forum_db::schema::{comments, post_revisions, posts, threads, users};
use forum_db::{time::now, AnyConnection};

use crate::actor::Actor;
use crate::content::{cook_body, validate_reason, validate_title, BODY_CHARS, COMMENT_CHARS};
use crate::error::{CoreError, CoreResult};
use crate::markup::{Cooked, COOK_VERSION};
use crate::threads::{thread_by_id, thread_slug};

/// A post by id.
pub fn post_by_id(conn: &mut AnyConnection, id: i64) -> CoreResult<Post> {
    posts::table
        .find(id)
        .select(Post::as_select())
        .load(conn)?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound("post"))
}

/// Stores a new post with its first revision (`title` is the thread title for a question,
/// `None` for an answer): the one place posts are created.
pub(crate) fn insert_post(
    conn: &mut AnyConnection,
    thread_id: i64,
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

/// Adds an answer to a thread, bumps it, and queues reindexing. Call inside a write transaction.
pub fn answer(
    conn: &mut AnyConnection,
    actor: &Actor,
    thread_id: i64,
    body: &str,
) -> CoreResult<Post> {
    let thread = thread_by_id(conn, thread_id)?;
    let cooked = cook_body("body", body, BODY_CHARS, actor.trust_level)?;
    let t = now();
    let post = insert_post(conn, thread.id, actor, body, &cooked, None, t)?;
    diesel::update(threads::table.find(thread.id))
        .set((
            threads::answer_count.eq(threads::answer_count + 1),
            threads::bumped_at.eq(t),
        ))
        .execute(conn)?;
    enqueue(conn, TOPIC_SEARCH, &thread.id.to_string())?;
    Ok(post)
}

/// What an editor submits; `title` only applies to a question.
#[derive(Debug, Clone)]
pub struct EditInput<'a> {
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub reason: &'a str,
}

/// True when `actor` may edit `post`: its author, or a moderator and above.
pub fn can_edit(actor: &Actor, post: &Post) -> bool {
    post.author_id == actor.id || actor.role.can_moderate()
}

/// Edits a post, keeping the previous text as a revision. An edit that changes nothing is
/// refused so history stays meaningful. Call inside a write transaction.
pub fn edit(
    conn: &mut AnyConnection,
    actor: &Actor,
    post_id: i64,
    input: &EditInput<'_>,
) -> CoreResult<Post> {
    let post = post_by_id(conn, post_id)?;
    if !can_edit(actor, &post) {
        return Err(CoreError::forbidden("you can only edit your own posts"));
    }
    let thread = thread_by_id(conn, post.thread_id)?;
    let new_title = match (post.is_question, input.title) {
        (true, Some(t)) => Some(validate_title(t)?),
        _ => None,
    };
    let reason = validate_reason(input.reason)?;
    let author_trust: i32 = users::table
        .find(post.author_id)
        .select(users::trust_level)
        .first(conn)?;
    let cooked = cook_body("body", input.body, BODY_CHARS, author_trust)?;
    let title_changed = new_title.as_ref().is_some_and(|t| *t != thread.title);
    if input.body == post.body_raw && !title_changed {
        return Err(CoreError::invalid("body", "nothing changed"));
    }
    let t = now();
    let revision = post.revision + 1;
    diesel::insert_into(post_revisions::table)
        .values(&NewPostRevision {
            post_id: post.id,
            revision,
            editor_id: actor.id,
            title: if post.is_question {
                Some(new_title.as_deref().unwrap_or(&thread.title))
            } else {
                None
            },
            body_raw: input.body,
            reason: &reason,
            created_at: t,
        })
        .execute(conn)?;
    let updated: Post = diesel::update(posts::table.find(post.id))
        .set((
            posts::body_raw.eq(input.body),
            posts::body_html.eq(&cooked.html),
            posts::body_text.eq(&cooked.text),
            posts::cook_version.eq(COOK_VERSION),
            posts::revision.eq(revision),
            posts::edited_at.eq(Some(t)),
        ))
        .returning(posts::all_columns)
        .get_result(conn)?;
    if let Some(title) = new_title.filter(|_| title_changed) {
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::title.eq(&title),
                threads::slug.eq(thread_slug(&title)),
            ))
            .execute(conn)?;
    }
    enqueue(conn, TOPIC_SEARCH, &thread.id.to_string())?;
    Ok(updated)
}

/// Every revision of a post, newest first.
pub fn revisions(conn: &mut AnyConnection, post_id: i64) -> CoreResult<Vec<PostRevision>> {
    Ok(post_revisions::table
        .filter(post_revisions::post_id.eq(post_id))
        .order(post_revisions::revision.desc())
        .select(PostRevision::as_select())
        .load(conn)?)
}

/// Adds a comment under a post. Call inside a write transaction.
pub fn comment(
    conn: &mut AnyConnection,
    actor: &Actor,
    post_id: i64,
    body: &str,
) -> CoreResult<i64> {
    let post = post_by_id(conn, post_id)?;
    let cooked = cook_body("comment", body, COMMENT_CHARS, actor.trust_level)?;
    let id = diesel::insert_into(comments::table)
        .values(&NewComment {
            post_id: post.id,
            author_id: actor.id,
            body_raw: body,
            body_html: &cooked.html,
            created_at: now(),
        })
        .returning(comments::id)
        .get_result(conn)?;
    Ok(id)
}

/// When a member's posts (questions and answers) in the last `window_secs` were made, as unix
/// seconds: the input to moderation's rate limit.
pub fn recent_post_times(
    conn: &mut AnyConnection,
    user_id: i64,
    window_secs: i64,
) -> CoreResult<Vec<i64>> {
    let since = now() - chrono::Duration::seconds(window_secs);
    let times: Vec<chrono::NaiveDateTime> = posts::table
        .filter(posts::author_id.eq(user_id))
        .filter(posts::created_at.ge(since))
        .select(posts::created_at)
        .load(conn)?;
    Ok(times.iter().map(|t| t.and_utc().timestamp()).collect())
}
