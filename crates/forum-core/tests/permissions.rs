//! Who may do what: accepting, editing, voting, posting in staff-only categories, downvoting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::accept::{accept, AcceptOutcome};
use forum_core::edit::EditInput;
use forum_core::threads::AskInput;
use forum_core::votes::VoteChoice;
use forum_core::Role;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(
    member_cannot_accept_on_anothers_question,
    member_cannot_edit_anothers_post,
    nobody_votes_on_own_post,
    moderator_edits_and_accepts_anywhere,
    staff_only_categories,
    downvote_needs_reputation,
);

fn member_cannot_accept_on_anothers_question(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let thread = ask_in(c, &alice, &cat);
    let a = answer_by(c, &bob, &thread);
    // Not even the answer's own author may accept it.
    let bob_actor = actor(c, &bob);
    assert_forbidden(tx(c, |cn| accept(cn, &bob_actor, a.id)));
    let carol = user(c, "carol");
    let carol_actor = actor(c, &carol);
    assert_forbidden(tx(c, |cn| accept(cn, &carol_actor, a.id)));
    assert_eq!(thread_now(c, &thread).accepted_post_id, None);
    assert_eq!(rep(c, &bob), 1);
    // The question itself cannot be accepted, even by its asker.
    let alice_actor = actor(c, &alice);
    let q = question_of(c, &thread);
    assert_eq!(
        invalid_field(tx(c, |cn| accept(cn, &alice_actor, q.id))),
        "post"
    );
}

fn member_cannot_edit_anothers_post(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let thread = ask_in(c, &alice, &cat);
    let q = question_of(c, &thread);
    let a = answer_by(c, &bob, &thread);
    let bob_actor = actor(c, &bob);
    let input = EditInput {
        title: Some("A hijacked title here"),
        body: "Hijacked body text here.",
        reason: "",
    };
    assert_forbidden(tx(c, |cn| edit(cn, &bob_actor, q.id, &input)));
    let alice_actor = actor(c, &alice);
    let input = EditInput {
        title: None,
        body: "Rewritten by the asker, not allowed.",
        reason: "",
    };
    assert_forbidden(tx(c, |cn| edit(cn, &alice_actor, a.id, &input)));
    assert_eq!(post_now(c, &q).revision, 1);
    assert_eq!(post_now(c, &a).body_raw, a.body_raw);
    assert_eq!(revisions(c, a.id).unwrap().len(), 1);
}

fn nobody_votes_on_own_post(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &alice, &cat);
    let q = question_of(c, &thread);
    let own_answer = answer_by(c, &alice, &thread);
    assert_forbidden(cast(c, &alice, &q, VoteChoice::Up));
    assert_forbidden(cast(c, &alice, &own_answer, VoteChoice::Up));
    assert_forbidden(cast(c, &alice, &own_answer, VoteChoice::None));
    // Moderators are no exception.
    let mthread = ask_in(c, &moder, &cat);
    assert_forbidden(cast_q(c, &moder, &mthread, VoteChoice::Down));
    assert_eq!(post_now(c, &q).score, 0);
    assert_eq!(rep(c, &alice), 1);
    assert!(events(c, &alice).is_empty());
}

fn moderator_edits_and_accepts_anywhere(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &alice, &cat);
    let a = answer_by(c, &bob, &thread);
    let m = actor(c, &moder);
    let input = EditInput {
        title: None,
        body: "Cleaned up by a moderator.",
        reason: "formatting",
    };
    let edited = tx(c, |cn| edit(cn, &m, a.id, &input)).unwrap();
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.author_id, bob.id, "the author stays the author");
    let revs = revisions(c, a.id).unwrap();
    assert_eq!(revs[0].editor_id, moder.id);
    assert_eq!(revs[0].reason, "formatting");
    assert_eq!(revs[1].editor_id, bob.id);
    let q = question_of(c, &thread);
    let input = EditInput {
        title: Some("A clearer question title"),
        body: &q.body_raw,
        reason: "",
    };
    tx(c, |cn| edit(cn, &m, q.id, &input)).unwrap();
    assert_eq!(thread_now(c, &thread).title, "A clearer question title");
    assert_eq!(
        tx(c, |cn| accept(cn, &m, a.id)).unwrap(),
        AcceptOutcome::Accepted
    );
    assert_eq!(thread_now(c, &thread).accepted_post_id, Some(a.id));
    // Staff and admins moderate too.
    for role in [Role::Staff, Role::Admin] {
        let s = user_with_role(c, "staff", role);
        let sa = actor(c, &s);
        let body = format!("Edited again by {}.", role.as_str());
        let input = EditInput {
            title: None,
            body: &body,
            reason: "",
        };
        tx(c, |cn| edit(cn, &sa, a.id, &input)).unwrap();
    }
    assert_eq!(post_now(c, &a).revision, 4);
}

fn staff_only_categories(t: &TestDb) {
    let c = &mut conn(t);
    for kind in ["announcements", "knowledge"] {
        let cat = category(c, kind);
        let title = "Scheduled maintenance window";
        let input = AskInput {
            title,
            body: "The forum will be down on Sunday.",
            category_slug: &cat.slug,
            tags: "",
        };
        for role in [Role::Member, Role::Moderator] {
            let u = user_with_role(c, "who", role);
            let a = actor(c, &u);
            assert_forbidden(tx(c, |cn| ask(cn, &a, &input)));
        }
        for role in [Role::Staff, Role::Admin] {
            let u = user_with_role(c, "staff", role);
            let a = actor(c, &u);
            let th = tx(c, |cn| ask(cn, &a, &input)).unwrap();
            assert_eq!(th.category_id, cat.id);
            assert_eq!(th.author_id, u.id);
        }
    }
    // Ordinary categories are open to members.
    for kind in ["questions", "discussion", "ideas"] {
        let cat = category(c, kind);
        let u = user(c, "member");
        assert_eq!(ask_in(c, &u, &cat).category_id, cat.id);
    }
}

fn downvote_needs_reputation(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "voter");
    let target_author = user(c, "target");
    let fan = user(c, "fan");
    let target_thread = ask_in(c, &target_author, &cat);
    let target = answer_by(c, &target_author, &target_thread);

    // TL0 (one level below the Downvote privilege): refused, the score untouched.
    assert_eq!(trust(c, &u), 0);
    assert_forbidden(cast(c, &u, &target, VoteChoice::Down));
    assert_forbidden(cast_q(c, &u, &target_thread, VoteChoice::Down));
    assert_eq!(post_now(c, &target).score, 0);
    // Upvoting needs nothing.
    assert_eq!(cast(c, &u, &target, VoteChoice::Up).unwrap(), 1);
    // One upvoted answer: 1 + 10 = 11 reputation, TL1, and the downvote goes through.
    let other = ask_in(c, &fan, &cat);
    let ua = answer_by(c, &u, &other);
    cast(c, &fan, &ua, VoteChoice::Up).unwrap();
    assert_eq!(trust(c, &u), 1);
    assert_eq!(cast(c, &u, &target, VoteChoice::Down).unwrap(), -1);
    assert_eq!(rep(c, &u), 10, "downvoting an answer costs 1");
    assert_eq!(trust(c, &u), 1, "10 is exactly the TL1 threshold");
}
