//! Editing a post, keeping every revision. Authors edit their own posts; members holding the
//! edit-others privilege (and moderators) edit anyone's; everyone else's edit of another's
//! post becomes a suggestion ([`crate::suggested_edits`]).

use diesel::prelude::*;
use forum_db::ids::{PostId, UserId};
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
use crate::markup::{Cooked, COOK_VERSION};
use crate::policy::{ContentKind, WritePolicy};
use crate::privileges::{Privilege, PrivilegeTable};
use crate::suggested_edits::SuggestedEdit;
use crate::visibility::Visibility;

/// What an editor submits; `title` only applies to a question.
#[derive(Debug, Clone)]
pub struct EditInput<'a> {
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub reason: &'a str,
}

/// True when `actor` may edit `post` directly: its author, a moderator and above, or a member
/// holding the edit-others privilege. Every other member may suggest an edit instead.
pub fn can_edit(privileges: &PrivilegeTable, actor: &Actor, post: &Post) -> bool {
    post.author_id == actor.id || privileges.allows(actor, Privilege::EditOthers)
}

/// What an edit did: changed the post, or (below the edit-others privilege) left a suggested
/// edit for the author or a trusted member to review.
#[derive(Debug, Clone)]
pub enum Edited {
    Applied(Post),
    Suggested(SuggestedEdit),
}

/// Edits a post, keeping the previous text as a revision, or suggests the edit when `actor`
/// may not edit it directly. An edit that changes nothing is refused so history stays
/// meaningful. The new text gets the same content limits as a new post (an edit must not be a
/// way around them).
pub fn edit(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    post_id: PostId,
    input: &EditInput<'_>,
) -> CoreResult<Edited> {
    let before = visible_post(conn, post_id)?;
    let checked = check(conn, policy, actor, &before, input)?;
    if !can_edit(&policy.privileges(), actor, &before) {
        return crate::suggested_edits::suggest(conn, actor, &before, input, &checked.reason)
            .map(Edited::Suggested);
    }
    write_tx(conn, |c| apply(c, actor.id, post_id, input.body, &checked)).map(Edited::Applied)
}

/// An edit validated and cooked before any transaction starts.
pub(crate) struct Checked {
    new_title: Option<String>,
    pub(crate) reason: String,
    cooked: Cooked,
}

/// The post, if it and its thread are there to be edited.
pub(crate) fn visible_post(conn: &mut AnyConnection, post_id: PostId) -> CoreResult<Post> {
    let vis = Visibility::for_writes();
    let post = vis.post(post_by_id(conn, post_id)?)?;
    vis.thread(thread_by_id(conn, post.thread_id)?)?;
    Ok(post)
}

/// Validates and cooks an edit of `before` by `actor`. Links follow the *author's* trust
/// (not the editor's), read before the transaction.
pub(crate) fn check(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    before: &Post,
    input: &EditInput<'_>,
) -> CoreResult<Checked> {
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
    Ok(Checked {
        new_title,
        reason,
        cooked,
    })
}

/// Writes the edit as a new revision by `editor`, in the caller's transaction.
pub(crate) fn apply(
    c: &mut AnyConnection,
    editor: UserId,
    post_id: PostId,
    body: &str,
    checked: &Checked,
) -> CoreResult<Post> {
    let vis = Visibility::for_writes();
    let thread_id = post_by_id(c, post_id)?.thread_id;
    lock_thread(c, thread_id)?;
    lock_post(c, post_id)?;
    let post = vis.post(post_by_id(c, post_id)?)?;
    let thread = vis.thread(thread_by_id(c, post.thread_id)?)?;
    let new_title = checked.new_title.as_ref();
    let title_changed = new_title.is_some_and(|t| *t != thread.title);
    if body == post.body_raw && !title_changed {
        return Err(CoreError::invalid("body", "Nothing changed"));
    }
    let t = now();
    let revision = post.revision + 1;
    diesel::insert_into(post_revisions::table)
        .values(&NewPostRevision {
            post_id: post.id,
            revision,
            editor_id: editor,
            title: if post.is_question {
                Some(new_title.map_or(thread.title.as_str(), String::as_str))
            } else {
                None
            },
            body_raw: body,
            reason: &checked.reason,
            created_at: t,
        })
        .execute(c)?;
    let cooked = &checked.cooked;
    let updated: Post = diesel::update(posts::table.find(post.id))
        .set((
            posts::body_raw.eq(body),
            posts::body_html.eq(&cooked.html),
            posts::body_text.eq(&cooked.text),
            posts::cook_version.eq(COOK_VERSION),
            posts::revision.eq(revision),
            posts::edited_at.eq(Some(t)),
        ))
        .returning(posts::all_columns)
        .get_result(c)?;
    if let Some(title) = new_title.filter(|_| title_changed) {
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::title.eq(title),
                threads::slug.eq(thread_slug(title)),
            ))
            .execute(c)?;
    }
    reindex_later(c, thread.id)?;
    Ok(updated)
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
