//! Reputation integrity on both databases: a long random sequence of votes, withdrawals,
//! acceptances, kudos and deletions by several members (seeded, so a failure replays) leaves
//! every member's stored reputation and trust level equal to the ledger's recomputation
//! (`reputation_audit::verify` finds nothing); a cache tampered with is found and `fix` repairs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::kudos::{give, withdraw, KudosRules};
use forum_core::policy::NoContract;
use forum_core::reputation_audit::{fix, verify};
use forum_core::votes::{vote, VoteChoice};
use forum_core::Role;
use forum_db::models::Post;
use forum_db::schema::users;
use forum_db::test_util::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

forum_db::backend_tests!(
    random_operations_keep_the_cache_equal_to_the_ledger,
    a_tampered_cache_is_found_and_fixed,
);

const STEPS: usize = 400;

fn random_operations_keep_the_cache_equal_to_the_ledger(t: &TestDb) {
    let seed: u64 = std::env::var("REPUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_201);
    let mut rng = StdRng::seed_from_u64(seed);
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let mut members = vec![user_with_role(c, "pmod", Role::Moderator)];
    for i in 0..5 {
        members.push(user(c, &format!("p{i}_")));
    }
    // A few threads, each with answers by others, so there is something to vote on.
    let mut posts: Vec<Post> = Vec::new();
    for i in 0..3 {
        let asker = &members[1 + i];
        let thread = ask_in(c, asker, &cat);
        posts.push(question_of(c, &thread));
        for j in 0..3 {
            let helper = &members[1 + (i + j + 1) % 5];
            posts.push(answer_by(c, helper, &thread));
        }
    }
    let rules = KudosRules { per_day: 1000 };
    let mut applied = 0;
    for _ in 0..STEPS {
        let who = members[rng.gen_range(0..members.len())].clone();
        let post = posts[rng.gen_range(0..posts.len())].clone();
        let a = actor(c, &who);
        let outcome = match rng.gen_range(0..10) {
            0..=2 => vote(c, &NoContract, &a, post.id, VoteChoice::Up).map(|_| ()),
            3 => vote(c, &NoContract, &a, post.id, VoteChoice::Down).map(|_| ()),
            4 => vote(c, &NoContract, &a, post.id, VoteChoice::None).map(|_| ()),
            5 => forum_core::accept::accept(c, &a, post.id).map(|_| ()),
            6 => give(c, rules, &a, post.id).map(|_| ()),
            7 => withdraw(c, &a, post.id).map(|_| ()),
            8 if rng.gen_range(0..4) == 0 => {
                forum_core::deletion::delete_post(c, &a, post.id).map(|_| ())
            }
            _ => Ok(()),
        };
        // Refusals (own post, no privilege, deleted post) are part of the sequence.
        if outcome.is_ok() {
            applied += 1;
        }
    }
    assert!(applied > STEPS / 4, "only {applied} operations applied");
    let mismatches = verify(c, &mut |_| {}).unwrap();
    assert!(
        mismatches.is_empty(),
        "seed {seed}: stored reputation differs from the ledger: {mismatches:?}"
    );
}

fn a_tampered_cache_is_found_and_fixed(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "tamper");
    let helper = user(c, "tamperh");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let a = actor(c, &asker);
    vote(c, &NoContract, &a, answer.id, VoteChoice::Up).unwrap();
    let mut seen = Vec::new();
    assert!(verify(c, &mut |n| seen.push(n)).unwrap().is_empty());
    assert!(!seen.is_empty(), "progress is reported");
    diesel::update(users::table.find(helper.id))
        .set(users::reputation.eq(500))
        .execute(c)
        .unwrap();
    let found = verify(c, &mut |_| {}).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].username, helper.username);
    assert_eq!((found[0].stored, found[0].ledger), (500, 11));
    assert_eq!(fix(c, &found).unwrap(), 1);
    assert!(verify(c, &mut |_| {}).unwrap().is_empty());
    assert_eq!(rep(c, &helper), 11);
}
