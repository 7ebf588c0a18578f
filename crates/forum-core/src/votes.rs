//! Up and down votes: one per member per post, changeable and withdrawable, each change
//! written to the reputation ledger (and reversed when withdrawn).

use diesel::prelude::*;
use forum_db::ids::PostId;
use forum_db::lock::{lock_post, lock_thread, lock_users};
use forum_db::models::Post;
use forum_db::schema::{posts, threads, votes};
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::{post_by_id, thread_by_id};
use crate::policy::WritePolicy;
use crate::privileges::Privilege;
use crate::reputation::{self, EventKind};
use crate::visibility::Visibility;

/// The vote a member wants to hold on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteChoice {
    Up,
    Down,
    /// Withdraw any vote.
    None,
}

impl VoteChoice {
    /// Parses the form value (`up`, `down`, `none`).
    pub fn parse(s: &str) -> Option<VoteChoice> {
        match s {
            "up" => Some(VoteChoice::Up),
            "down" => Some(VoteChoice::Down),
            "none" => Some(VoteChoice::None),
            _ => None,
        }
    }

    /// The stored value: +1, -1, or 0 for no vote.
    pub fn value(self) -> i32 {
        match self {
            VoteChoice::Up => 1,
            VoteChoice::Down => -1,
            VoteChoice::None => 0,
        }
    }
}

const VOTE_KINDS: [EventKind; 4] = [
    EventKind::AnswerUpvoted,
    EventKind::QuestionUpvoted,
    EventKind::PostDownvoted,
    EventKind::DownvoteCast,
];

/// Sets `actor`'s vote on a post and returns the post's new score. The thread, the post and
/// both members' rows are locked in that order, so parallel votes (even by one member, even
/// crossing between two members) apply one after another and never deadlock.
/// Downvoting needs the `Downvote` privilege (TL1 by default: a support community keeps
/// drive-by downvotes from brand-new accounts out, without Stack Exchange's 125 reputation).
pub fn vote(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    post_id: PostId,
    choice: VoteChoice,
) -> CoreResult<i64> {
    if choice == VoteChoice::Down {
        policy.privileges().require(actor, Privilege::Downvote)?;
    }
    let thread_id = post_by_id(conn, post_id)?.thread_id;
    write_tx(conn, |c| {
        lock_thread(c, thread_id)?;
        lock_post(c, post_id)?;
        let vis = Visibility::for_writes();
        let post = vis.post(post_by_id(c, post_id)?)?;
        vis.thread(thread_by_id(c, post.thread_id)?)?;
        if post.author_id == actor.id {
            return Err(CoreError::forbidden("You cannot vote on your own post"));
        }
        lock_users(c, &[post.author_id, actor.id])?;
        apply_vote(c, actor, &post, choice)
    })
}

fn apply_vote(
    conn: &mut AnyConnection,
    actor: &Actor,
    post: &Post,
    choice: VoteChoice,
) -> CoreResult<i64> {
    let existing: Option<(i64, i32)> = votes::table
        .filter(votes::post_id.eq(post.id))
        .filter(votes::user_id.eq(actor.id))
        .select((votes::id, votes::value))
        .first(conn)
        .optional()?;
    let old = existing.map(|(_, v)| v).unwrap_or(0);
    let new = choice.value();
    if old == new {
        return Ok(post.score);
    }
    if let Some((id, _)) = existing {
        diesel::delete(votes::table.find(id)).execute(conn)?;
        reputation::reverse(conn, post.id, actor.id, &VOTE_KINDS)?;
    }
    if new != 0 {
        diesel::insert_into(votes::table)
            .values((
                votes::post_id.eq(post.id),
                votes::user_id.eq(actor.id),
                votes::value.eq(new),
                votes::created_at.eq(now()),
            ))
            .execute(conn)?;
        if new > 0 {
            let kind = if post.is_question {
                EventKind::QuestionUpvoted
            } else {
                EventKind::AnswerUpvoted
            };
            reputation::record(conn, post.author_id, kind, post.id, actor.id)?;
        } else {
            reputation::record(
                conn,
                post.author_id,
                EventKind::PostDownvoted,
                post.id,
                actor.id,
            )?;
            if !post.is_question {
                reputation::record(conn, actor.id, EventKind::DownvoteCast, post.id, actor.id)?;
            }
        }
    }
    // The score is the sum of the votes, recounted under the post's lock.
    let score: i64 = votes::table
        .filter(votes::post_id.eq(post.id))
        .select(diesel::dsl::sum(votes::value))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0);
    diesel::update(posts::table.find(post.id))
        .set(posts::score.eq(score))
        .execute(conn)?;
    if post.is_question {
        diesel::update(threads::table.find(post.thread_id))
            .set(threads::score.eq(score))
            .execute(conn)?;
        reindex_later(conn, post.thread_id)?;
    } else if score > post.score {
        crate::badges::on_answer_score(conn, post, score)?;
    }
    Ok(score)
}
