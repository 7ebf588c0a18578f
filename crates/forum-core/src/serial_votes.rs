//! Serial voting: one account voting many times for (or against) another's posts within a
//! window, which inflates or punishes reputation regardless of the posts' merit. A daily job
//! (and `forum reputation serial-votes`) finds each voter and author pair with at least
//! `threshold` votes cast in the window and withdraws those votes through the vote service, so
//! the scores are recounted and every reputation event is reversed in the ledger exactly as a
//! withdrawal would be. Running it again finds nothing new; several nodes may run it at once.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use forum_db::ids::{PostId, UserId};
use forum_db::schema::{posts, votes};
use forum_db::AnyConnection;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::policy::NoContract;
use crate::votes::{vote, VoteChoice};

/// When a pattern counts as serial voting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialVoteRules {
    /// Votes by one member on one other member's posts, within `window`.
    pub threshold: usize,
    pub window: Duration,
}

impl Default for SerialVoteRules {
    /// Five votes by one member on another's posts within 24 hours.
    fn default() -> Self {
        SerialVoteRules {
            threshold: 5,
            window: Duration::hours(24),
        }
    }
}

/// A voter and author pair found and corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    pub voter: UserId,
    pub author: UserId,
    /// Votes withdrawn.
    pub votes: usize,
}

/// Finds serial voting in the window ending at `now` and withdraws those votes.
pub fn correct(
    conn: &mut AnyConnection,
    rules: SerialVoteRules,
    now: NaiveDateTime,
) -> CoreResult<Vec<Corrected>> {
    let since = now - rules.window;
    let rows: Vec<(UserId, UserId, PostId)> = votes::table
        .inner_join(posts::table)
        .filter(votes::created_at.ge(since))
        .filter(votes::created_at.le(now))
        .select((votes::user_id, posts::author_id, votes::post_id))
        .load(conn)?;
    let mut pairs: HashMap<(UserId, UserId), Vec<PostId>> = HashMap::new();
    for (voter, author, post) in rows {
        pairs.entry((voter, author)).or_default().push(post);
    }
    let mut found: Vec<_> = pairs
        .into_iter()
        .filter(|(_, posts)| posts.len() >= rules.threshold.max(2))
        .collect();
    found.sort_by_key(|((voter, author), _)| (*voter, *author));
    let mut out = Vec::new();
    for ((voter, author), posts) in found {
        let user = crate::lookup::user_by_id(conn, voter)?;
        // The system withdraws in the voter's name, through the one vote path.
        let actor = Actor::system_as(&user);
        let mut withdrawn = 0;
        for post in posts {
            match vote(conn, &NoContract, &actor, post, VoteChoice::None) {
                Ok(_) => withdrawn += 1,
                // Deleted since: its events were reversed then.
                Err(CoreError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        tracing::info!(
            voter = voter.0,
            author = author.0,
            withdrawn,
            "serial votes withdrawn"
        );
        out.push(Corrected {
            voter,
            author,
            votes: withdrawn,
        });
    }
    Ok(out)
}
