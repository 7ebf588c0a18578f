//! Editing a post, keeping every revision.

use diesel::prelude::*;
use forum_db::ids::PostId;
use forum_db::lock::{lock_post, lock_thread};
use forum_db::models::{NewPostRevision, Post, PostRevision};
use forum_db::schema::{post_revisions, posts, threads, users};
use forum_db::types::TrustLevel;
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::content::{cook_body, thread_slug, validate_reason, validate_title, BODY_CHARS};
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::{post_by_id, thread_by_id};
use crate::markup::COOK_VERSION;
use crate::policy::{ContentKind, WritePolicy};
use crate::visibility::Visibility;

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
/// refused so history stays meaningful. The new text gets the same content limits as a new
/// post (an edit must not be a way around them). Links follow the *author's* trust (not the
/// editor's), read before the transaction.
pub fn edit(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    post_id: PostId,
    input: &EditInput<'_>,
) -> CoreResult<Post> {
    let vis = Visibility::for_writes();
    let before = vis.post(post_by_id(conn, post_id)?)?;
    vis.thread(thread_by_id(conn, before.thread_id)?)?;
    if !can_edit(actor, &before) {
        return Err(CoreError::forbidden("You can only edit your own posts"));
    }
    let new_title = match (before.is_question, input.title) {
        (true, Some(t)) => Some(validate_title(t)?),
        _ => None,
    };
    let reason = validate_reason(input.reason)?;
    let author_trust: TrustLevel = users::table
        .find(before.author_id)
        .select(users::trust_level)
        .first(conn)?;
    let cooked = cook_body(conn, "body", input.body, BODY_CHARS, author_trust)?;
    policy.check_content(actor, ContentKind::Edit, &cooked)?;
    write_tx(conn, |c| {
        lock_thread(c, before.thread_id)?;
        lock_post(c, post_id)?;
        let post = vis.post(post_by_id(c, post_id)?)?;
        let thread = vis.thread(thread_by_id(c, post.thread_id)?)?;
        let title_changed = new_title.as_ref().is_some_and(|t| *t != thread.title);
        if input.body == post.body_raw && !title_changed {
            return Err(CoreError::invalid("body", "Nothing changed"));
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
            .execute(c)?;
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
            .get_result(c)?;
        if let Some(title) = new_title.as_ref().filter(|_| title_changed) {
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::title.eq(title),
                    threads::slug.eq(thread_slug(title)),
                ))
                .execute(c)?;
        }
        reindex_later(c, thread.id)?;
        Ok(updated)
    })
}

/// Every revision of a post the viewer can see, newest first.
pub fn revisions(
    conn: &mut AnyConnection,
    vis: Visibility,
    post_id: PostId,
) -> CoreResult<Vec<PostRevision>> {
    vis.post(post_by_id(conn, post_id)?)?;
    Ok(post_revisions::table
        .filter(post_revisions::post_id.eq(post_id))
        .order(post_revisions::revision.desc())
        .select(PostRevision::as_select())
        .load(conn)?)
}
