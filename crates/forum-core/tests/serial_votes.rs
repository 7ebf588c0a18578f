//! Serial voting on both databases: five votes by one member on another's posts within a day
//! are withdrawn (scores recounted, reputation reversed in the ledger); four are not; votes
//! outside the window do not count; a second run finds nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use diesel::prelude::*;
use forum_core::reputation_audit;
use forum_core::serial_votes::{correct, SerialVoteRules};
use forum_core::votes::VoteChoice;
use forum_db::schema::votes;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(serial_votes_are_withdrawn_and_their_reputation_reversed);

fn serial_votes_are_withdrawn_and_their_reputation_reversed(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "sasker");
    let author = user(c, "sauthor");
    let friend = user(c, "sfriend");
    let fan = user(c, "sfan");
    let threads: Vec<_> = (0..5).map(|_| ask_in(c, &asker, &cat)).collect();
    let answers: Vec<_> = threads.iter().map(|t| answer_by(c, &author, t)).collect();
    for a in &answers {
        cast(c, &friend, a, VoteChoice::Up).unwrap();
    }
    for a in &answers[..4] {
        cast(c, &fan, a, VoteChoice::Up).unwrap();
    }
    assert_eq!(rep(c, &author), 1 + 90);
    let now = forum_db::time::now() + Duration::seconds(1);
    let found = correct(c, SerialVoteRules::default(), now).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].voter, found[0].votes), (friend.id, 5));
    assert_eq!(rep(c, &author), 1 + 40, "the fan's four votes stand");
    assert_eq!(post_now(c, &answers[4]).score, 0);
    assert_eq!(post_now(c, &answers[0]).score, 1);
    assert!(correct(c, SerialVoteRules::default(), now)
        .unwrap()
        .is_empty());
    assert!(reputation_audit::verify(c, &mut |_| {}).unwrap().is_empty());

    // Outside the window: a fifth vote two days after four is not a pattern.
    let other = user(c, "sother");
    for a in &answers[..4] {
        cast(c, &other, a, VoteChoice::Up).unwrap();
    }
    diesel::update(votes::table.filter(votes::user_id.eq(other.id)))
        .set(votes::created_at.eq(now - Duration::days(2)))
        .execute(c)
        .unwrap();
    cast(c, &other, &answers[4], VoteChoice::Up).unwrap();
    assert!(correct(c, SerialVoteRules::default(), now)
        .unwrap()
        .is_empty());
}
