//! Soft deletion: an author deletes their own post, a moderator any. The row stays (staff can
//! still see it, marked deleted) but it leaves every list, page and the search index for
//! everyone else, and the reputation earned or lost through it is reversed. Deleting a
//! question deletes its thread, and with it every answer's standing.

use diesel::prelude::*;
use forum_db::ids::{PostId, ThreadId};
use forum_db::lock::{lock_post, lock_thread};
use forum_db::models::Post;
use forum_db::schema::{posts, threads};
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::{post_by_id, thread_by_id};
use crate::reputation;

/// What a deletion removed, so the caller can send the reader somewhere sensible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// An answer; its thread remains.
    Answer { thread_id: ThreadId },
    /// A question, and so its whole thread.
    Thread { thread_id: ThreadId },
}

/// True when `actor` may delete `post` in a thread with `answer_count` answers: moderators
/// any post; its author an answer, or a question no one has answered yet (an answered question
/// belongs to its answerers too). Pages ask it to offer the button; `delete_post` enforces it.
pub fn can_delete(actor: &Actor, post: &Post, answer_count: i64) -> bool {
    actor.role.can_moderate()
        || (post.author_id == actor.id && !(post.is_question && answer_count > 0))
}

/// Deletes a post. Authors may delete their own answers, and their own questions while no
/// one has answered them (an answered question belongs to its answerers too); moderators may
/// delete any post. Deleting what is already deleted is a no-op for moderators.
pub fn delete_post(
    conn: &mut AnyConnection,
    actor: &Actor,
    post_id: PostId,
) -> CoreResult<Deleted> {
    let thread_id = post_by_id(conn, post_id)?.thread_id;
    write_tx(conn, |c| {
        lock_thread(c, thread_id)?;
        lock_post(c, post_id)?;
        let post = post_by_id(c, post_id)?;
        let thread = thread_by_id(c, post.thread_id)?;
        let moderator = actor.role.can_moderate();
        let gone = post.deleted_at.is_some() || thread.deleted_at.is_some();
        if gone && !moderator {
            return Err(CoreError::NotFound("post"));
        }
        if !can_delete(actor, &post, thread.answer_count) {
            return Err(CoreError::forbidden(if post.author_id == actor.id {
                "A question that has answers can only be deleted by a moderator"
            } else {
                "You can only delete your own posts"
            }));
        }
        let outcome = if post.is_question {
            Deleted::Thread {
                thread_id: thread.id,
            }
        } else {
            Deleted::Answer {
                thread_id: thread.id,
            }
        };
        if gone {
            return Ok(outcome);
        }
        let t = now();
        if post.is_question {
            diesel::update(threads::table.find(thread.id))
                .set((
                    threads::deleted_at.eq(Some(t)),
                    threads::deleted_by.eq(Some(actor.id)),
                ))
                .execute(c)?;
            let ids: Vec<PostId> = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .filter(posts::deleted_at.is_null())
                .select(posts::id)
                .load(c)?;
            for id in ids {
                reputation::reverse_all_on_post(c, id)?;
            }
        } else {
            reputation::reverse_all_on_post(c, post.id)?;
            let accepted = thread.accepted_post_id == Some(post.id);
            diesel::update(threads::table.find(thread.id))
                .set(threads::answer_count.eq(threads::answer_count - 1))
                .execute(c)?;
            if accepted {
                diesel::update(threads::table.find(thread.id))
                    .set((
                        threads::accepted_post_id.eq(None::<PostId>),
                        threads::solved_at.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(c)?;
            }
        }
        diesel::update(posts::table.find(post.id))
            .set((
                posts::deleted_at.eq(Some(t)),
                posts::deleted_by.eq(Some(actor.id)),
            ))
            .execute(c)?;
        // The author's answers and accepted answers count towards their trust level.
        crate::trust::refresh(c, post.author_id)?;
        reindex_later(c, thread.id)?;
        Ok(outcome)
    })
}
