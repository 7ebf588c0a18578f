//! Suggested edits: how a member below the edit-others privilege improves someone else's post.
//! The suggestion waits (one per post at a time) until the post's author, a member holding the
//! privilege or a moderator approves it, when it becomes a revision by its suggester, or
//! rejects it. The author is told of a suggestion, the suggester of the verdict.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{PostId, SuggestedEditId, ThreadId, UserId};
use forum_db::lock::lock_post;
use forum_db::models::Post;
use forum_db::schema::suggested_edits as se;
use forum_db::types::{NotificationKind, SuggestionState};
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::edit::{apply, can_edit, check, visible_post, EditInput};
use crate::error::{CoreError, CoreResult};
use crate::lookup::post_by_id;
use crate::notifications::{notify, Notice};
use crate::policy::WritePolicy;

/// A suggested edit as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = se)]
pub struct SuggestedEdit {
    pub id: SuggestedEditId,
    pub post_id: PostId,
    pub suggester_id: UserId,
    pub base_revision: i32,
    pub title: Option<String>,
    pub body_raw: String,
    pub reason: String,
    pub state: SuggestionState,
    pub reviewer_id: Option<UserId>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Stores `actor`'s edit of `post` as a suggestion (called by `edit::edit` when the actor may
/// not edit directly; `reason` is already validated). Refused on one's own post (edit it) and
/// while another suggestion for the post waits.
pub(crate) fn suggest(
    conn: &mut AnyConnection,
    actor: &Actor,
    post: &Post,
    input: &EditInput<'_>,
    reason: &str,
) -> CoreResult<SuggestedEdit> {
    write_tx(conn, |c| {
        lock_post(c, post.id)?;
        let current = post_by_id(c, post.id)?;
        if pending_for(c, post.id)?.is_some() {
            return Err(CoreError::Conflict(
                "An edit suggested for this post is waiting for review".into(),
            ));
        }
        let title = input.title.filter(|_| current.is_question);
        if input.body == current.body_raw && title.is_none() {
            return Err(CoreError::invalid("body", "Nothing changed"));
        }
        let row: SuggestedEdit = diesel::insert_into(se::table)
            .values((
                se::post_id.eq(post.id),
                se::suggester_id.eq(actor.id),
                se::base_revision.eq(current.revision),
                se::title.eq(title),
                se::body_raw.eq(input.body),
                se::reason.eq(reason),
                se::state.eq(SuggestionState::Pending),
                se::created_at.eq(now()),
            ))
            .returning(se::all_columns)
            .get_result(c)?;
        notify(
            c,
            &notice(
                current.author_id,
                actor,
                current.thread_id,
                &row,
                format!("{} suggested an edit to your post", actor.username),
            ),
        )?;
        Ok(row)
    })
}

/// The suggestion waiting for a post, if any.
pub fn pending_for(conn: &mut AnyConnection, post: PostId) -> CoreResult<Option<SuggestedEdit>> {
    Ok(se::table
        .filter(se::post_id.eq(post))
        .filter(se::state.eq(SuggestionState::Pending))
        .select(SuggestedEdit::as_select())
        .first(conn)
        .optional()?)
}

/// One suggestion by id.
pub fn by_id(conn: &mut AnyConnection, id: SuggestedEditId) -> CoreResult<SuggestedEdit> {
    se::table
        .find(id)
        .select(SuggestedEdit::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound("suggested edit"))
}

/// Whether `actor` may approve or reject suggestions on `post`: its author or anyone who may
/// edit it directly, never the suggester.
pub fn can_review(policy: &dyn WritePolicy, actor: &Actor, post: &Post, s: &SuggestedEdit) -> bool {
    actor.id != s.suggester_id && can_edit(&policy.privileges(), actor, post)
}

/// Approves (the suggestion becomes a revision by its suggester) or rejects a pending
/// suggestion. An approval is refused when the post changed since the suggestion was written.
pub fn review(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    id: SuggestedEditId,
    approve: bool,
) -> CoreResult<SuggestedEdit> {
    let s = by_id(conn, id)?;
    let post = visible_post(conn, s.post_id)?;
    if !can_review(policy, actor, &post, &s) {
        return Err(CoreError::forbidden(
            "Only the author or a member who may edit the post can review its suggested edits",
        ));
    }
    let input = EditInput {
        title: s.title.as_deref(),
        body: &s.body_raw,
        reason: &s.reason,
    };
    // The suggester's text, checked as if they posted it (it is published under their name).
    let checked = if approve {
        let suggester = crate::lookup::user_by_id(conn, s.suggester_id)?;
        let suggester = crate::actor::load(conn, &suggester)?;
        Some(check(conn, policy, &suggester, &post, &input)?)
    } else {
        None
    };
    write_tx(conn, |c| {
        lock_post(c, s.post_id)?;
        let current = by_id(c, id)?;
        if current.state != SuggestionState::Pending {
            return Err(CoreError::Conflict(
                "This suggested edit was already reviewed".into(),
            ));
        }
        if let Some(checked) = &checked {
            if post_by_id(c, s.post_id)?.revision != current.base_revision {
                return Err(CoreError::Conflict(
                    "The post changed after this edit was suggested; reject it and suggest again"
                        .into(),
                ));
            }
            apply(c, s.suggester_id, s.post_id, &s.body_raw, checked)?;
        }
        let state = if approve {
            SuggestionState::Approved
        } else {
            SuggestionState::Rejected
        };
        let row: SuggestedEdit = diesel::update(se::table.find(id))
            .set((
                se::state.eq(state),
                se::reviewer_id.eq(Some(actor.id)),
                se::reviewed_at.eq(Some(now())),
            ))
            .returning(se::all_columns)
            .get_result(c)?;
        let verdict = if approve { "approved" } else { "rejected" };
        notify(
            c,
            &notice(
                s.suggester_id,
                actor,
                post.thread_id,
                &row,
                format!("{} {verdict} your suggested edit", actor.username),
            ),
        )?;
        Ok(row)
    })
}

fn notice(
    user: UserId,
    actor: &Actor,
    thread: ThreadId,
    s: &SuggestedEdit,
    message: String,
) -> Notice {
    Notice {
        message,
        ..Notice::about_post(
            user,
            NotificationKind::Notice,
            actor,
            thread,
            s.post_id,
            format!("suggested-edit:{}:{:?}", s.id, s.state),
        )
    }
}
