//! Read models: constant query counts whatever the content, answer ordering, list tabs and
//! pagination, the profile and the search feed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::Connection;
use forum_core::accept::accept;
use forum_core::queries::indexable_threads;
use forum_core::queries::profile as load_profile;
use forum_core::queries::thread_page;
use forum_core::queries::{list_threads, ThreadFilter};
use forum_core::visibility::Visibility;
use forum_core::votes::VoteChoice;
use forum_core::{Actor, Role};
use forum_db::ids::{PostId, ThreadId};
use forum_db::models::{Category, Post, Thread, User};
use forum_db::test_util::TestDb;
use forum_db::{AnyConnection, QueryCounter};

forum_db::backend_tests!(
    thread_page_query_count_is_constant,
    list_query_count_is_constant,
    answers_sorted_accepted_then_score,
    profile_shows_events_questions_answers,
    indexable_threads_flatten_content,
);

/// A thread with `n` answers by distinct authors; the viewer comments on and votes on each.
fn thread_with_answers(
    conn: &mut AnyConnection,
    cat: &Category,
    viewer: &User,
    n: usize,
) -> (Thread, Vec<Post>) {
    let asker = user(conn, "asker");
    let th = ask_tagged(conn, &asker, cat, "perf rust");
    let v = actor(conn, viewer);
    let mut answers = Vec::new();
    for i in 0..n {
        let author = user(conn, "ans");
        let a = answer_by(conn, &author, &th);
        let choice = if i % 2 == 0 {
            VoteChoice::Up
        } else {
            VoteChoice::Down
        };
        cast(conn, viewer, &a, choice).unwrap();
        tx(conn, |c| comment(c, &v, a.id, "Did this work for you?")).unwrap();
        answers.push(a);
    }
    cast_q(conn, viewer, &th, VoteChoice::Up).unwrap();
    (th, answers)
}

fn counted<T>(t: &TestDb, f: impl FnOnce(&mut AnyConnection) -> T) -> (T, usize) {
    let mut c = conn(t);
    let counter = QueryCounter::default();
    c.set_instrumentation(counter.clone());
    let out = f(&mut c);
    (out, counter.get())
}

fn thread_page_query_count_is_constant(t: &TestDb) {
    let (small, big, viewer) = {
        let c = &mut conn(t);
        let cat = category(c, "questions");
        let viewer = user_with_role(c, "viewer", Role::Moderator);
        let (small, _) = thread_with_answers(c, &cat, &viewer, 1);
        let (big, _) = thread_with_answers(c, &cat, &viewer, 30);
        (small, big, viewer)
    };
    let (p1, n1) = counted(t, |c| {
        thread_page(c, small.id, Some(&Actor::from_user(&viewer))).unwrap()
    });
    let (p30, n30) = counted(t, |c| {
        thread_page(c, big.id, Some(&Actor::from_user(&viewer))).unwrap()
    });
    assert_eq!(p1.answers.len(), 1);
    assert_eq!(p30.answers.len(), 30);
    assert!(n1 > 0, "the counter saw the queries");
    assert_eq!(
        n1, n30,
        "thread page queries: {n1} for 1 answer, {n30} for 30"
    );
    assert!(n1 <= 8, "thread page takes {n1} queries");
    // Everything the page shows was actually loaded.
    assert_eq!(p30.my_vote(p30.question.post.id), 1);
    assert!(p30.answers.iter().all(|a| a.comments.len() == 1));
    assert!(p30.answers.iter().all(|a| a.comments[0].1.id == viewer.id));
    assert!(p30
        .answers
        .iter()
        .all(|a| p30.my_vote(a.post.id) == a.post.score as i32));
    assert_eq!(
        p30.answers
            .iter()
            .filter(|a| p30.my_vote(a.post.id) == 1)
            .count(),
        15
    );
    assert_eq!(p30.summary.tags, vec!["perf", "rust"]);
    assert_eq!(p30.summary.thread.answer_count, 30);
    // Without a viewer: two queries fewer (the viewer's votes and watch level), still
    // constant, and no votes shown.
    let (a1, m1) = counted(t, |c| thread_page(c, small.id, None).unwrap());
    let (a30, m30) = counted(t, |c| thread_page(c, big.id, None).unwrap());
    assert_eq!(m1, m30);
    assert_eq!(m1 + 2, n1);
    assert!(a1.my_votes.is_empty() && a30.my_votes.is_empty());
}

fn list_query_count_is_constant(t: &TestDb) {
    let (one, many) = {
        let c = &mut conn(t);
        let one = category(c, "questions");
        let many = category(c, "discussion");
        let u = user(c, "solo");
        ask_tagged(c, &u, &one, "a");
        for i in 0..30 {
            let author = user(c, "many");
            ask_tagged(c, &author, &many, &format!("t{i} shared"));
        }
        (one, many)
    };
    let page = |cat: &Category| ThreadFilter {
        category_id: Some(cat.id),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let (s1, n1) = counted(t, |c| list_threads(c, &page(&one)).unwrap().0);
    let (s30, n30) = counted(t, |c| list_threads(c, &page(&many)).unwrap().0);
    assert_eq!(s1.len(), 1);
    assert_eq!(s30.len(), 30);
    assert!(n1 > 0);
    assert_eq!(n1, n30, "list queries: {n1} for 1 thread, {n30} for 30");
    assert!(n1 <= 3, "a list page takes {n1} queries");
    assert!(s30
        .iter()
        .all(|s| s.tags.len() == 2 && s.tags.contains(&"shared".to_string())));
    assert!(s30
        .iter()
        .all(|s| s.category.id == many.id && s.author.id == s.thread.author_id));
    assert!(s30
        .iter()
        .all(|s| s.excerpt.starts_with("I tried everything for thing")));
}

fn answers_sorted_accepted_then_score(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let th = ask_in(c, &asker, &cat);
    let authors: Vec<User> = (0..5).map(|_| user(c, "ans")).collect();
    let voters: Vec<User> = (0..3)
        .map(|_| user_with_role(c, "voter", Role::Moderator))
        .collect();
    let answers: Vec<Post> = authors.iter().map(|a| answer_by(c, a, &th)).collect();
    // Scores: a0 = 0, a1 = 2, a2 = -1, a3 = 2, a4 = 3.
    for (i, votes) in [
        (1, [1, 1, 0]),
        (2, [-1, 0, 0]),
        (3, [1, 1, 0]),
        (4, [1, 1, 1]),
    ] {
        for (v, value) in voters.iter().zip(votes) {
            let choice = match value {
                1 => VoteChoice::Up,
                -1 => VoteChoice::Down,
                _ => continue,
            };
            cast(c, v, &answers[i], choice).unwrap();
        }
    }
    let ids = |c: &mut AnyConnection| -> Vec<PostId> {
        thread_page(c, th.id, None)
            .unwrap()
            .answers
            .iter()
            .map(|a| a.post.id)
            .collect()
    };
    let a = |i: usize| answers[i].id;
    // No accepted answer: score desc, ties oldest first.
    assert_eq!(ids(c), vec![a(4), a(1), a(3), a(0), a(2)]);
    // The accepted answer comes first even with the lowest score.
    let asker_actor = actor(c, &asker);
    tx(c, |cn| accept(cn, &asker_actor, a(2))).unwrap();
    assert_eq!(ids(c), vec![a(2), a(4), a(1), a(3), a(0)]);
    let page = thread_page(c, th.id, None).unwrap();
    assert_eq!(
        page.answers
            .iter()
            .map(|m| m.post.score)
            .collect::<Vec<_>>(),
        vec![-1, 3, 2, 2, 0]
    );
    assert_eq!(page.summary.thread.accepted_post_id, Some(a(2)));
    // Authors carry their current reputation (a4's author: three upvotes).
    assert_eq!(page.answers[1].author.id, authors[4].id);
    assert_eq!(page.answers[1].author.reputation, 31);
    assert_eq!(
        page.answers[0].author.reputation, 16,
        "floored downvote then +15"
    );
    assert!(matches!(
        thread_page(c, ThreadId(999_999), None),
        Err(forum_core::CoreError::NotFound(_))
    ));
}

fn profile_shows_events_questions_answers(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let q1 = ask_in(c, &alice, &cat);
    let q2 = ask_in(c, &bob, &cat);
    let a1 = answer_by(c, &alice, &q2);
    cast(c, &bob, &a1, VoteChoice::Up).unwrap();
    cast_q(c, &bob, &q1, VoteChoice::Up).unwrap();
    let p = load_profile(c, Visibility::public(), &alice.username.to_uppercase()).unwrap();
    assert_eq!(p.user.id, alice.id);
    assert_eq!(p.user.reputation, 16);
    assert_eq!(
        (p.question_count, p.answer_count),
        (1, 1),
        "totals, not list lengths"
    );
    assert_eq!(
        p.events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        vec!["question_upvoted", "answer_upvoted"]
    );
    let mut threads_of_events: Vec<(PostId, ThreadId)> = p
        .event_threads
        .iter()
        .map(|(pid, th)| (*pid, th.id))
        .collect();
    threads_of_events.sort();
    let q1_post = question_of(c, &q1).id;
    let mut expected = vec![(a1.id, q2.id), (q1_post, q1.id)];
    expected.sort();
    assert_eq!(threads_of_events, expected);
    assert_eq!(
        p.questions.iter().map(|s| s.thread.id).collect::<Vec<_>>(),
        vec![q1.id]
    );
    assert_eq!(
        p.answers
            .iter()
            .map(|(post, th)| (post.id, th.id))
            .collect::<Vec<_>>(),
        vec![(a1.id, q2.id)]
    );
    assert!(matches!(
        load_profile(c, Visibility::public(), "nobody-here"),
        Err(forum_core::CoreError::NotFound(_))
    ));
}

fn indexable_threads_flatten_content(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let th = ask_tagged(c, &alice, &cat, "rust diesel");
    let a = answer_by(c, &bob, &th);
    let al = actor(c, &alice);
    tx(c, |cn| accept(cn, &al, a.id)).unwrap();
    cast_q(c, &bob, &th, VoteChoice::Up).unwrap();
    let docs = indexable_threads(c, &[th.id, ThreadId(999_999)]).unwrap();
    assert_eq!(docs.len(), 1, "missing ids are simply absent");
    let d = &docs[0];
    assert_eq!(d.thread_id, th.id);
    assert_eq!(d.title, th.title);
    assert_eq!(
        d.body,
        format!("{}\n\n{}", question_of(c, &th).body_text, a.body_text)
    );
    let mut tags = d.tags.clone();
    tags.sort();
    assert_eq!(tags, vec!["diesel", "rust"]);
    assert_eq!(d.category, cat.slug);
    assert_eq!(d.author, alice.username);
    assert!(d.solved);
    assert_eq!((d.answer_count, d.score), (1, 1));
    assert_eq!(d.created_at, th.created_at.and_utc().timestamp());
}
