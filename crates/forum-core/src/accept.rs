//! Accepting an answer: the asker (or a moderator) marks the answer that solved the problem;
//! the thread becomes solved. Accepting the accepted answer again un-accepts it.

use crate::notifications::{notify, Notice};
use diesel::prelude::*;
use forum_db::ids::{PostId, UserId};
use forum_db::lock::{lock_thread, lock_users};
use forum_db::models::{Post, Thread};
use forum_db::schema::threads;
use forum_db::types::NotificationKind;
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::{post_by_id, thread_by_id};
use crate::reputation::{self, EventKind};
use crate::visibility::Visibility;

/// The outcome, so the caller can say what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptOutcome {
    Accepted,
    Unaccepted,
}

/// True when `actor` may accept answers on a thread asked by `asker_id`.
pub fn can_accept(actor: &Actor, asker_id: UserId) -> bool {
    actor.id == asker_id || actor.role.can_moderate()
}

/// Toggles acceptance of an answer. The thread's row is locked first, so parallel toggles run
/// one after another and each reversal in the ledger happens exactly once.
pub fn accept(
    conn: &mut AnyConnection,
    actor: &Actor,
    post_id: PostId,
) -> CoreResult<AcceptOutcome> {
    let thread_id = post_by_id(conn, post_id)?.thread_id;
    write_tx(conn, |c| {
        lock_thread(c, thread_id)?;
        let vis = Visibility::for_writes();
        let post = vis.post(post_by_id(c, post_id)?)?;
        let thread = vis.thread(thread_by_id(c, post.thread_id)?)?;
        if post.is_question {
            return Err(CoreError::invalid("post", "Only an answer can be accepted"));
        }
        if !can_accept(actor, thread.author_id) {
            return Err(CoreError::forbidden(
                "Only the asker or a moderator can accept an answer",
            ));
        }
        // Every member whose reputation may move: this answer's author, the asker, and the
        // author of the answer accepted until now (its credit is reversed).
        let mut members = vec![post.author_id, thread.author_id];
        if let Some(previous) = thread.accepted_post_id {
            members.push(post_by_id(c, previous)?.author_id);
        }
        lock_users(c, &members)?;
        let outcome = toggle(c, actor, &post, &thread)?;
        // Accepted answers count towards trust levels (the ledger's own events already
        // recomputed them, but before the thread row moved).
        for member in members {
            crate::trust::refresh(c, member)?;
        }
        Ok(outcome)
    })
}

fn toggle(
    conn: &mut AnyConnection,
    actor: &Actor,
    post: &Post,
    thread: &Thread,
) -> CoreResult<AcceptOutcome> {
    if let Some(previous) = thread.accepted_post_id {
        unaccept(conn, previous, thread.author_id)?;
    }
    let outcome = if thread.accepted_post_id == Some(post.id) {
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::accepted_post_id.eq(None::<PostId>),
                threads::solved_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
        AcceptOutcome::Unaccepted
    } else {
        diesel::update(threads::table.find(thread.id))
            .set((
                threads::accepted_post_id.eq(Some(post.id)),
                threads::solved_at.eq(Some(now())),
            ))
            .execute(conn)?;
        // Once per answer: accepting it again after an unaccept tells nobody twice.
        notify(
            conn,
            &Notice::about_post(
                post.author_id,
                NotificationKind::Accepted,
                actor,
                thread.id,
                post.id,
                format!("accepted:{}", post.id),
            ),
        )?;
        if post.author_id != thread.author_id {
            // The acceptance is credited on the asker's behalf, whoever clicked.
            reputation::record(
                conn,
                post.author_id,
                EventKind::AnswerAccepted,
                post.id,
                thread.author_id,
            )?;
            crate::badges::on_accepted(conn, post.author_id)?;
            if actor.id == thread.author_id {
                reputation::record(
                    conn,
                    thread.author_id,
                    EventKind::AcceptedAnAnswer,
                    post.id,
                    thread.author_id,
                )?;
            }
        }
        AcceptOutcome::Accepted
    };
    reindex_later(conn, thread.id)?;
    Ok(outcome)
}

fn unaccept(conn: &mut AnyConnection, post_id: PostId, asker_id: UserId) -> CoreResult<()> {
    reputation::reverse(
        conn,
        post_id,
        asker_id,
        &[EventKind::AnswerAccepted, EventKind::AcceptedAnAnswer],
    )?;
    Ok(())
}
