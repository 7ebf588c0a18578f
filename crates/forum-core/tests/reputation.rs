//! The reputation ledger through the services: votes, withdrawals, changes, the floor, the daily
//! cap, acceptance and its reversal, trust levels, and `recompute` agreeing with the cache.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::accept::{accept, AcceptOutcome};
use forum_core::reputation::{recompute, DAILY_VOTE_CAP};
use forum_core::votes::VoteChoice;
use forum_core::Role;
use forum_db::ids::{EventId, PostId};
use forum_db::models::{ReputationEvent, User};
use forum_db::test_util::TestDb;
use forum_db::AnyConnection;

forum_db::backend_tests!(
    scripted_sequence_has_exact_numbers,
    self_answer_accepted_earns_nothing,
    moderator_acceptance_credits_answerer_only,
    repeated_vote_is_a_no_op,
    daily_cap_limits_upvote_earnings,
    question_and_answer_upvotes_share_the_cap,
    trust_level_follows_reputation,
);

fn accept_as(conn: &mut AnyConnection, who: &User, post_id: PostId) -> AcceptOutcome {
    let a = actor(conn, who);
    tx(conn, |c| accept(c, &a, post_id)).expect("accept")
}

/// Cached value, recompute and `1 + Σ delta` all agree.
fn assert_consistent(conn: &mut AnyConnection, u: &User) {
    let cached = rep(conn, u);
    let from_ledger = ledger_rep(conn, u);
    let recomputed = tx(conn, |c| recompute(c, u.id)).expect("recompute");
    assert_eq!(
        recomputed, cached,
        "recompute matches the cache for {}",
        u.username
    );
    assert_eq!(
        from_ledger, cached,
        "1 + sum(delta) matches the cache for {}",
        u.username
    );
    assert_eq!(
        rep(conn, u),
        cached,
        "recompute does not change a consistent cache"
    );
}

fn assert_event(
    e: &ReputationEvent,
    kind: &str,
    nominal: i64,
    delta: i64,
    reverses: Option<EventId>,
) {
    assert_eq!(e.kind.as_str(), kind, "kind of {e:?}");
    assert_eq!(e.nominal, nominal, "nominal of {e:?}");
    assert_eq!(e.delta, delta, "delta of {e:?}");
    assert_eq!(e.reverses_id, reverses, "reverses_id of {e:?}");
}

fn scripted_sequence_has_exact_numbers(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    // A moderator may downvote with the starting reputation of 1.
    let carol = user_with_role(c, "carol", Role::Moderator);
    let dave = user(c, "dave");
    let erin = user(c, "erin");
    for u in [&alice, &bob, &carol, &dave, &erin] {
        assert_eq!(rep(c, u), 1);
        assert_eq!(trust(c, u), 0);
    }

    let thread = ask_in(c, &alice, &cat);
    let q = question_of(c, &thread);
    let a1 = answer_by(c, &bob, &thread);
    let a2 = answer_by(c, &dave, &thread);

    // carol upvotes bob's answer: 1 -> 11 and TL1.
    assert_eq!(cast(c, &carol, &a1, VoteChoice::Up).unwrap(), 1);
    assert_eq!(rep(c, &bob), 11);
    assert_eq!(trust(c, &bob), 1);
    let bob_up = events(c, &bob)[0].clone();
    assert_event(&bob_up, "answer_upvoted", 10, 10, None);
    assert_eq!(bob_up.post_id, Some(a1.id));
    assert_eq!(bob_up.actor_id, Some(carol.id));

    // carol upvotes the question: alice 1 -> 6; the thread's score follows the question's.
    assert_eq!(cast(c, &carol, &q, VoteChoice::Up).unwrap(), 1);
    assert_eq!(rep(c, &alice), 6);
    assert_eq!(thread_now(c, &thread).score, 1);

    // carol withdraws: alice back to 1 through a reversal event.
    assert_eq!(cast(c, &carol, &q, VoteChoice::None).unwrap(), 0);
    assert_eq!(rep(c, &alice), 1);
    assert_eq!(thread_now(c, &thread).score, 0);
    let ev = events(c, &alice);
    assert_eq!(ev.len(), 2);
    assert_event(&ev[1], "question_upvoted", 5, 5, None);
    assert_event(&ev[0], "question_upvoted", -5, -5, Some(ev[1].id));
    assert_eq!(ev[0].actor_id, Some(carol.id));

    // carol changes her answer vote to down: the +10 is reversed (11 -> 1), the -2 is floored
    // to 0 (bob is at 1), and carol's -1 for downvoting an answer is floored too (she is at 1).
    assert_eq!(cast(c, &carol, &a1, VoteChoice::Down).unwrap(), -1);
    assert_eq!(post_now(c, &a1).score, -1);
    assert_eq!(rep(c, &bob), 1);
    assert_eq!(trust(c, &bob), 0, "trust level follows reputation down");
    let ev = events(c, &bob);
    assert_eq!(ev.len(), 3);
    assert_event(&ev[0], "post_downvoted", -2, 0, None);
    assert_event(&ev[1], "answer_upvoted", -10, -10, Some(bob_up.id));
    assert_event(&ev[2], "answer_upvoted", 10, 10, None);
    assert_eq!(rep(c, &carol), 1);
    let ev = events(c, &carol);
    assert_eq!(ev.len(), 1);
    assert_event(&ev[0], "downvote_cast", -1, 0, None);
    assert_eq!(ev[0].post_id, Some(a1.id));

    // dave earns 20 from two upvotes on his answer.
    assert_eq!(cast(c, &carol, &a2, VoteChoice::Up).unwrap(), 1);
    assert_eq!(cast(c, &erin, &a2, VoteChoice::Up).unwrap(), 2);
    assert_eq!(rep(c, &dave), 21);

    // alice accepts bob's answer: bob +15, alice +2.
    assert_eq!(accept_as(c, &alice, a1.id), AcceptOutcome::Accepted);
    assert_eq!(rep(c, &bob), 16);
    assert_eq!(rep(c, &alice), 3);
    let th = thread_now(c, &thread);
    assert_eq!(th.accepted_post_id, Some(a1.id));
    assert!(th.solved_at.is_some());
    let bob_acc = events(c, &bob)[0].clone();
    assert_event(&bob_acc, "answer_accepted", 15, 15, None);
    assert_eq!(bob_acc.actor_id, Some(alice.id));
    let alice_acc = events(c, &alice)[0].clone();
    assert_event(&alice_acc, "accepted_an_answer", 2, 2, None);

    // Accepting it again un-accepts and reverses both.
    assert_eq!(accept_as(c, &alice, a1.id), AcceptOutcome::Unaccepted);
    assert_eq!(rep(c, &bob), 1);
    assert_eq!(rep(c, &alice), 1);
    let th = thread_now(c, &thread);
    assert_eq!(th.accepted_post_id, None);
    assert_eq!(th.solved_at, None);
    assert_event(
        &events(c, &bob)[0],
        "answer_accepted",
        -15,
        -15,
        Some(bob_acc.id),
    );
    assert_event(
        &events(c, &alice)[0],
        "accepted_an_answer",
        -2,
        -2,
        Some(alice_acc.id),
    );

    // Accept dave's answer, then move the acceptance to bob's: the +15 moves with it.
    assert_eq!(accept_as(c, &alice, a2.id), AcceptOutcome::Accepted);
    assert_eq!((rep(c, &dave), rep(c, &bob), rep(c, &alice)), (36, 1, 3));
    assert_eq!(accept_as(c, &alice, a1.id), AcceptOutcome::Accepted);
    assert_eq!((rep(c, &dave), rep(c, &bob), rep(c, &alice)), (21, 16, 3));
    assert_eq!(thread_now(c, &thread).accepted_post_id, Some(a1.id));
    let dave_ev = events(c, &dave);
    assert_event(
        &dave_ev[0],
        "answer_accepted",
        -15,
        -15,
        Some(dave_ev[1].id),
    );

    // dave (TL1 with 21) downvotes bob's answer: the non-floor case, bob 16 -> 14 and dave
    // 21 -> 20.
    assert!(trust(c, &dave) >= 1);
    assert_eq!(cast(c, &dave, &a1, VoteChoice::Down).unwrap(), -2);
    assert_eq!(rep(c, &bob), 14);
    assert_eq!(trust(c, &bob), 1);
    assert_event(&events(c, &bob)[0], "post_downvoted", -2, -2, None);
    assert_eq!(rep(c, &dave), 20);
    assert_event(&events(c, &dave)[0], "downvote_cast", -1, -1, None);

    for u in [&alice, &bob, &carol, &dave, &erin] {
        assert_consistent(c, u);
    }
    assert_eq!(events(c, &bob).len(), 7);
    assert_eq!(events(c, &alice).len(), 7);
}

fn self_answer_accepted_earns_nothing(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let thread = ask_in(c, &alice, &cat);
    let own = answer_by(c, &alice, &thread);
    assert_eq!(accept_as(c, &alice, own.id), AcceptOutcome::Accepted);
    assert_eq!(thread_now(c, &thread).accepted_post_id, Some(own.id));
    assert_eq!(rep(c, &alice), 1);
    assert!(events(c, &alice).is_empty());
    // Un-accepting it has nothing to reverse either.
    assert_eq!(accept_as(c, &alice, own.id), AcceptOutcome::Unaccepted);
    assert!(events(c, &alice).is_empty());
    assert_consistent(c, &alice);
}

fn moderator_acceptance_credits_answerer_only(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &alice, &cat);
    let a = answer_by(c, &bob, &thread);
    assert_eq!(accept_as(c, &moder, a.id), AcceptOutcome::Accepted);
    assert_eq!(rep(c, &bob), 16);
    assert_eq!(
        rep(c, &alice),
        1,
        "the asker did not accept, so earns no +2"
    );
    assert_eq!(rep(c, &moder), 1);
    let e = events(c, &bob)[0].clone();
    assert_event(&e, "answer_accepted", 15, 15, None);
    assert_eq!(e.actor_id, Some(alice.id), "credited on the asker's behalf");
    // The asker can undo a moderator's acceptance; the +15 goes away.
    assert_eq!(accept_as(c, &alice, a.id), AcceptOutcome::Unaccepted);
    assert_eq!(rep(c, &bob), 1);
    assert_consistent(c, &bob);
}

fn repeated_vote_is_a_no_op(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let thread = ask_in(c, &alice, &cat);
    let a = answer_by(c, &bob, &thread);
    assert_eq!(cast(c, &alice, &a, VoteChoice::Up).unwrap(), 1);
    assert_eq!(cast(c, &alice, &a, VoteChoice::Up).unwrap(), 1);
    assert_eq!(rep(c, &bob), 11);
    assert_eq!(events(c, &bob).len(), 1);
    // Withdrawing twice reverses once.
    assert_eq!(cast(c, &alice, &a, VoteChoice::None).unwrap(), 0);
    assert_eq!(cast(c, &alice, &a, VoteChoice::None).unwrap(), 0);
    assert_eq!(events(c, &bob).len(), 2);
    assert_eq!(rep(c, &bob), 1);
    // Voting again after a withdrawal earns again.
    assert_eq!(cast(c, &alice, &a, VoteChoice::Up).unwrap(), 1);
    assert_eq!(rep(c, &bob), 11);
    assert_consistent(c, &bob);
}

fn daily_cap_limits_upvote_earnings(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let author = user(c, "author");
    let thread = ask_in(c, &asker, &cat);
    let answers: Vec<_> = (0..22).map(|_| answer_by(c, &author, &thread)).collect();
    let voters: Vec<_> = (0..23).map(|_| user(c, "voter")).collect();

    for i in 0..20 {
        cast(c, &voters[i], &answers[i], VoteChoice::Up).unwrap();
        assert_eq!(rep(c, &author), 1 + 10 * (i as i64 + 1));
    }
    assert_eq!(rep(c, &author), 1 + DAILY_VOTE_CAP);
    // TL2's reputation, but not yet its days visited, posts read or an accepted answer.
    assert_eq!(trust(c, &author), 1);

    // The 21st and 22nd upvotes are recorded at nominal 10 but apply nothing.
    cast(c, &voters[20], &answers[20], VoteChoice::Up).unwrap();
    let e21 = events(c, &author)[0].clone();
    assert_event(&e21, "answer_upvoted", 10, 0, None);
    assert_eq!(e21.actor_id, Some(voters[20].id));
    cast(c, &voters[21], &answers[21], VoteChoice::Up).unwrap();
    assert_event(&events(c, &author)[0], "answer_upvoted", 10, 0, None);
    assert_eq!(rep(c, &author), 201);
    assert_eq!(events(c, &author).len(), 22);
    // The votes still count for the posts' scores.
    assert_eq!(post_now(c, &answers[21]).score, 1);

    // Withdrawing a capped vote reverses only what it applied (0).
    cast(c, &voters[20], &answers[20], VoteChoice::None).unwrap();
    assert_event(
        &events(c, &author)[0],
        "answer_upvoted",
        -10,
        0,
        Some(e21.id),
    );
    assert_eq!(rep(c, &author), 201);

    // Withdrawing a full vote reverses 10, which frees 10 of today's cap again.
    let first = events(c, &author)
        .into_iter()
        .find(|e| e.actor_id == Some(voters[0].id))
        .unwrap();
    cast(c, &voters[0], &answers[0], VoteChoice::None).unwrap();
    assert_event(
        &events(c, &author)[0],
        "answer_upvoted",
        -10,
        -10,
        Some(first.id),
    );
    assert_eq!(rep(c, &author), 191);
    cast(c, &voters[22], &answers[20], VoteChoice::Up).unwrap();
    assert_event(&events(c, &author)[0], "answer_upvoted", 10, 10, None);
    assert_eq!(rep(c, &author), 201);
    assert_consistent(c, &author);
}

fn question_and_answer_upvotes_share_the_cap(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let author = user(c, "author");
    let other = user(c, "other");
    let thread = ask_in(c, &author, &cat);
    let q = question_of(c, &thread);
    let own_thread = ask_in(c, &other, &cat);
    let answers: Vec<_> = (0..20)
        .map(|_| answer_by(c, &author, &own_thread))
        .collect();
    let voters: Vec<_> = (0..20).map(|_| user(c, "voter")).collect();
    // 19 answer upvotes (190), then a question upvote (+5 -> 195), then an answer upvote that
    // only has 5 left of the cap.
    for i in 0..19 {
        cast(c, &voters[i], &answers[i], VoteChoice::Up).unwrap();
    }
    assert_eq!(rep(c, &author), 191);
    cast(c, &voters[0], &q, VoteChoice::Up).unwrap();
    assert_eq!(rep(c, &author), 196);
    cast(c, &voters[19], &answers[19], VoteChoice::Up).unwrap();
    assert_event(&events(c, &author)[0], "answer_upvoted", 10, 5, None);
    assert_eq!(rep(c, &author), 201);
    // Acceptance is not capped.
    let a = actor(c, &other);
    assert_eq!(
        tx(c, |cn| accept(cn, &a, answers[0].id)).unwrap(),
        AcceptOutcome::Accepted
    );
    assert_eq!(rep(c, &author), 216);
    assert_consistent(c, &author);
}

fn trust_level_follows_reputation(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "asker");
    let helper = user(c, "helper");
    let fan = user(c, "fan");
    // +5 (question upvoted) and +2 for each of two accepted answers: 1 -> 6 -> 8 -> 10.
    let t1 = ask_in(c, &u, &cat);
    cast_q(c, &fan, &t1, VoteChoice::Up).unwrap();
    assert_eq!((rep(c, &u), trust(c, &u)), (6, 0));
    let a1 = answer_by(c, &helper, &t1);
    accept_as(c, &u, a1.id);
    assert_eq!((rep(c, &u), trust(c, &u)), (8, 0));
    let t2 = ask_in(c, &u, &cat);
    let a2 = answer_by(c, &helper, &t2);
    accept_as(c, &u, a2.id);
    assert_eq!((rep(c, &u), trust(c, &u)), (10, 1), "TL1 at exactly 10");
    // Un-accepting drops below 10 again.
    accept_as(c, &u, a2.id);
    assert_eq!((rep(c, &u), trust(c, &u)), (8, 0));
    // helper: two acceptances (+30) -> 31, minus one reversal -> 16: TL1.
    assert_eq!((rep(c, &helper), trust(c, &helper)), (16, 1));
    assert_consistent(c, &u);
    assert_consistent(c, &helper);
}
