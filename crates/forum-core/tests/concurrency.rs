//! Check-then-act under real concurrency, on both databases: many threads with their own
//! connections hit the same post or thread at once, and afterwards the invariants hold — a
//! post's score is the sum of its votes, one vote per member, each member's cached reputation
//! is `1 + Σ delta` of their ledger, and every standing acceptance event matches the thread.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Barrier};

use common::*;
use diesel::prelude::*;
use forum_core::votes::VoteChoice;
use forum_core::{Actor, CoreError};
use forum_db::models::User;
use forum_db::schema::{reputation_events as ev, votes};
use forum_db::test_util::TestDb;
use forum_db::{AnyConnection, Db};

forum_db::backend_tests!(
    parallel_votes_keep_score_and_ledger,
    parallel_accept_toggles_reverse_once,
    parallel_deletes_and_votes_keep_the_ledger,
    parallel_asks_create_a_new_tag_once,
    parallel_registrations_of_one_address_never_say_taken
);

const WORKERS: usize = 12;
const ROUNDS: usize = 6;

/// A pool big enough that every worker holds its own connection.
fn wide_pool(t: &TestDb) -> Db {
    Db::connect_without_migrating(&t.url, (WORKERS + 2) as u32).expect("pool")
}

/// Runs `f(worker)` on `WORKERS` threads released together; returns how many calls failed
/// with something other than an expected refusal.
fn race(db: &Db, f: impl Fn(&mut AnyConnection, usize) -> Result<(), CoreError> + Sync) -> usize {
    let gate = Arc::new(Barrier::new(WORKERS));
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let gate = gate.clone();
                let f = &f;
                let db = db.clone();
                s.spawn(move || {
                    let mut conn = db.conn().expect("conn");
                    gate.wait();
                    let mut unexpected = 0;
                    for _ in 0..ROUNDS {
                        match f(&mut conn, w) {
                            Ok(()) | Err(CoreError::Forbidden(_) | CoreError::NotFound(_)) => {}
                            Err(e) => {
                                eprintln!("worker {w}: {e:?}");
                                unexpected += 1;
                            }
                        }
                    }
                    unexpected
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("worker")).sum()
    })
}

/// Each member's cached reputation is `base + Σ delta` (`base` is 1, or what a test set
/// directly before the race).
fn assert_ledger_matches(c: &mut AnyConnection, users: &[(&User, i64)]) {
    for (u, base) in users {
        assert_eq!(
            rep(c, u),
            base + ledger_rep(c, u) - 1,
            "{}: cached reputation is {base} + Σ delta",
            u.username
        );
    }
}

fn parallel_votes_keep_score_and_ledger(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let voters: Vec<User> = (0..4).map(|_| user(c, "voter")).collect();
    // Enough reputation to downvote.
    for v in &voters {
        diesel::update(forum_db::schema::users::table.find(v.id))
            .set(forum_db::schema::users::reputation.eq(500))
            .execute(c)
            .unwrap();
    }
    let actors: Vec<Actor> = voters.iter().map(|v| actor(c, v)).collect();
    let db = wide_pool(t);
    let choices = [VoteChoice::Up, VoteChoice::Down, VoteChoice::None];
    let unexpected = race(&db, |c, w| {
        let a = &actors[w % actors.len()];
        forum_core::votes::vote(
            c,
            &forum_core::policy::NoContract,
            a,
            answer.id,
            choices[w % 3],
        )
        .map(|_| ())
    });
    assert_eq!(unexpected, 0, "no call failed unexpectedly");
    let values: Vec<i32> = votes::table
        .filter(votes::post_id.eq(answer.id))
        .select(votes::value)
        .load(c)
        .unwrap();
    assert!(values.len() <= voters.len(), "one vote per member");
    let sum: i64 = values.iter().map(|v| i64::from(*v)).sum();
    assert_eq!(
        post_now(c, &answer).score,
        sum,
        "score is the sum of the votes"
    );
    let mut all: Vec<(&User, i64)> = voters.iter().map(|v| (v, 500)).collect();
    all.push((&helper, 1));
    assert_ledger_matches(c, &all);
}

fn parallel_accept_toggles_reverse_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helpers: Vec<User> = (0..2).map(|_| user(c, "helper")).collect();
    let thread = ask_in(c, &asker, &cat);
    let answers: Vec<_> = helpers.iter().map(|h| answer_by(c, h, &thread)).collect();
    let a = actor(c, &asker);
    let db = wide_pool(t);
    let unexpected = race(&db, |c, w| {
        forum_core::accept::accept(c, &a, answers[w % 2].id).map(|_| ())
    });
    assert_eq!(unexpected, 0, "no call failed unexpectedly");
    let accepted = thread_now(c, &thread).accepted_post_id;
    for (h, ans) in helpers.iter().zip(&answers) {
        let standing: i64 = ev::table
            .filter(ev::user_id.eq(h.id))
            .filter(ev::kind.eq("answer_accepted"))
            .select(ev::nominal)
            .load::<i64>(c)
            .unwrap()
            .iter()
            .map(|n| n.signum())
            .sum();
        let expected = i64::from(accepted == Some(ans.id));
        assert_eq!(
            standing, expected,
            "acceptance events net out to the thread's state"
        );
    }
    let mut all: Vec<(&User, i64)> = helpers.iter().map(|h| (h, 1)).collect();
    all.push((&asker, 1));
    assert_ledger_matches(c, &all);
}

fn parallel_deletes_and_votes_keep_the_ledger(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let voters: Vec<Actor> = (0..3)
        .map(|_| {
            let u = user(c, "voter");
            actor(c, &u)
        })
        .collect();
    let author = actor(c, &helper);
    let db = wide_pool(t);
    let unexpected = race(&db, |c, w| {
        if w == 0 {
            forum_core::deletion::delete_post(c, &author, answer.id).map(|_| ())
        } else {
            let v = &voters[w % voters.len()];
            forum_core::votes::vote(
                c,
                &forum_core::policy::NoContract,
                v,
                answer.id,
                VoteChoice::Up,
            )
            .map(|_| ())
        }
    });
    assert_eq!(unexpected, 0, "no call failed unexpectedly");
    assert!(post_now(c, &answer).deleted_at.is_some());
    assert_eq!(
        rep(c, &helper),
        1,
        "nothing earned on a deleted post stands"
    );
    assert_ledger_matches(c, &[(&helper, 1)]);
    assert_eq!(thread_now(c, &thread).answer_count, 0);
}

fn parallel_asks_create_a_new_tag_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let askers: Vec<Actor> = (0..WORKERS)
        .map(|_| {
            let u = user(c, "asker");
            actor(c, &u)
        })
        .collect();
    let tag = format!("brandnew{}", next_seq());
    let db = wide_pool(t);
    let unexpected = race(&db, |c, w| {
        let title = format!("Where is setting number {w} {}", next_seq());
        let input = forum_core::threads::AskInput {
            title: &title,
            body: "The setting is not where the guide says it is.",
            category_slug: &cat.slug,
            tags: &tag,
        };
        ask(c, &askers[w], &input).map(|_| ())
    });
    assert_eq!(unexpected, 0, "every ask with the new tag went through");
    let tags: i64 = forum_db::schema::tags::table
        .filter(forum_db::schema::tags::name.eq(&tag))
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(tags, 1, "the tag exists once");
    let tagged: i64 = forum_db::schema::thread_tags::table
        .inner_join(forum_db::schema::tags::table)
        .filter(forum_db::schema::tags::name.eq(&tag))
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(tagged as usize, WORKERS * ROUNDS, "every thread carries it");
}

fn parallel_registrations_of_one_address_never_say_taken(t: &TestDb) {
    use forum_core::accounts::{register, Registered, Registration};
    let db = wide_pool(t);
    let email = format!("race{}@example.com", next_seq());
    let gate = Arc::new(Barrier::new(WORKERS));
    let outcomes: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let (gate, db, email) = (gate.clone(), db.clone(), email.clone());
                s.spawn(move || {
                    let mut conn = db.conn().expect("conn");
                    let username = format!("racer{w}x{}", next_seq());
                    let r = Registration {
                        username: &username,
                        email: &email,
                        password: "correct horse battery staple",
                    };
                    gate.wait();
                    match register(&mut conn, &r) {
                        Ok(Registered::Created(_)) => "created".to_string(),
                        Ok(Registered::EmailInUse) => "in use".to_string(),
                        Err(e) => format!("{e:?}"),
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("worker"))
            .collect()
    });
    assert_eq!(
        outcomes.iter().filter(|o| *o == "created").count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes.iter().all(|o| o == "created" || o == "in use"),
        "no loser is told the address is taken: {outcomes:?}"
    );
}
