//! Regression tests for bugs found while writing the suite: the reputation floor on reversals,
//! duplicate registration inside a PostgreSQL transaction, and nofollow decided by the author.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::accounts::{register, Registration};
use forum_core::edit::EditInput;
use forum_core::reputation::recompute;
use forum_core::votes::VoteChoice;
use forum_core::{CoreError, Role};
use forum_db::schema::users;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(
    withdrawn_upvote_after_downvote_keeps_ledger_and_cache_equal,
    duplicate_username_inside_write_tx_is_a_conflict,
    edit_by_high_trust_moderator_keeps_nofollow_of_low_trust_author,
);

/// bob: +10 (carol's upvote) -> 11, -2 (a moderator's downvote) -> 9, carol withdraws: the -10
/// reversal should stop at the floor (1), and a later +10 should bring him to 11.
fn withdrawn_upvote_after_downvote_keeps_ledger_and_cache_equal(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let carol = user(c, "carol");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let erin = user(c, "erin");
    let th = ask_in(c, &alice, &cat);
    let a = answer_by(c, &bob, &th);
    cast(c, &carol, &a, VoteChoice::Up).unwrap();
    cast(c, &moder, &a, VoteChoice::Down).unwrap();
    assert_eq!(rep(c, &bob), 9);
    cast(c, &carol, &a, VoteChoice::None).unwrap();
    assert_eq!(rep(c, &bob), 1, "floored at 1");
    let recomputed = tx(c, |cn| recompute(cn, bob.id)).unwrap();
    assert_eq!(recomputed, 1);
    assert_eq!(
        ledger_rep(c, &bob),
        1,
        "1 + sum(delta) must equal the cached reputation"
    );
    cast(c, &erin, &a, VoteChoice::Up).unwrap();
    assert_eq!(
        rep(c, &bob),
        11,
        "a fresh +10 from the floor gives 11, no hidden debt"
    );
}

/// Writers run inside `write_tx`; a duplicate registration there must still be a Conflict.
fn duplicate_username_inside_write_tx_is_a_conflict(t: &TestDb) {
    let c = &mut conn(t);
    let reg = Registration {
        username: "frank",
        email: "frank@example.com",
        password: PASSWORD,
    };
    tx(c, |cn| register(cn, &reg)).unwrap();
    let dup = Registration {
        username: "FRANK",
        email: "other@example.com",
        password: PASSWORD,
    };
    match tx(c, |cn| register(cn, &dup)) {
        Err(CoreError::Conflict(m)) => assert_eq!(m, "That username is taken"),
        other => panic!("expected a username conflict, got {other:?}"),
    }
    let dup = Registration {
        username: "frank2",
        email: "FRANK@example.com",
        password: PASSWORD,
    };
    match tx(c, |cn| register(cn, &dup)) {
        Ok(forum_core::accounts::Registered::EmailInUse) => {}
        other => panic!("expected EmailInUse (not told to the visitor), got {other:?}"),
    }
}

/// `cook_body` decides `nofollow` from the actor it is given; `edit` passes the editor, so a
/// TL2+ moderator's edit of a TL0 member's spam turns its links into followed links.
fn edit_by_high_trust_moderator_keeps_nofollow_of_low_trust_author(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let spammer = user(c, "spam");
    let moder = user_with_role(c, "mod", Role::Moderator);
    diesel::update(users::table.find(moder.id))
        .set(users::trust_level.eq(3))
        .execute(c)
        .unwrap();
    let th = ask_in(c, &spammer, &cat);
    let a = answer_by(c, &spammer, &th);
    let m = actor(c, &moder);
    assert_eq!(m.trust_level.0, 3);
    let input = EditInput {
        title: None,
        body: "Buy now at https://spam.example/pills today",
        reason: "",
    };
    let edited = tx(c, |cn| edit(cn, &m, a.id, &input)).unwrap();
    assert!(
        edited
            .body_html
            .contains("href=\"https://spam.example/pills\""),
        "{}",
        edited.body_html
    );
    assert!(
        edited.body_html.contains("nofollow"),
        "author is TL0: {}",
        edited.body_html
    );
}
