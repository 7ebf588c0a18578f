//! Kudos on both databases: never to oneself, once per post, +2 to the author through the
//! ledger and reversed when withdrawn, the daily allowance (also under parallel requests), a
//! notification to the author, nothing on a deleted post.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::kudos::{give, received, withdraw, KudosRules};
use forum_core::notifications::list;
use forum_core::reputation::EventKind;
use forum_core::CoreError;
use forum_db::test_util::TestDb;
use forum_db::types::NotificationKind;

forum_db::backend_tests!(
    kudos_thank_once_and_move_reputation_through_the_ledger,
    nobody_thanks_themselves_or_a_deleted_post,
    the_daily_allowance_holds_under_parallel_requests,
);

fn kudos_thank_once_and_move_reputation_through_the_ledger(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "kasker");
    let helper = user(c, "khelper");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let a = actor(c, &asker);
    let rules = KudosRules::default();
    let before = rep(c, &helper);
    let s = give(c, rules, &a, answer.id).unwrap();
    assert_eq!((s.count, s.given), (1, true));
    assert_eq!(rep(c, &helper), before + 2);
    // Again: nothing changes.
    assert_eq!(give(c, rules, &a, answer.id).unwrap().count, 1);
    assert_eq!(rep(c, &helper), before + 2);
    assert_eq!(post_now(c, &answer).kudos_count, 1);
    assert_eq!(received(c, helper.id).unwrap(), 1);
    let (items, _) = list(c, helper.id, 1).unwrap();
    assert!(items
        .iter()
        .any(|i| i.notification.kind == NotificationKind::Kudos));
    // Withdrawn: the count and the reputation go back, the ledger keeps both events.
    let w = withdraw(c, &a, answer.id).unwrap();
    assert_eq!((w.count, w.given), (0, false));
    assert_eq!(rep(c, &helper), before);
    assert_eq!(ledger_rep(c, &helper), rep(c, &helper));
    let kinds: Vec<EventKind> = events(c, &helper).iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == EventKind::KudosReceived)
            .count(),
        2,
        "the event and its reversal"
    );
    // Withdrawing what is not there is a no-op.
    assert_eq!(withdraw(c, &a, answer.id).unwrap().count, 0);
    assert_eq!(rep(c, &helper), before);
}

fn nobody_thanks_themselves_or_a_deleted_post(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "kself");
    let thread = ask_in(c, &asker, &cat);
    let question = question_of(c, &thread);
    let a = actor(c, &asker);
    assert!(matches!(
        give(c, KudosRules::default(), &a, question.id),
        Err(CoreError::Forbidden(_))
    ));
    let helper = user(c, "kgone");
    let answer = answer_by(c, &helper, &thread);
    let h = actor(c, &helper);
    forum_core::deletion::delete_post(c, &h, answer.id).unwrap();
    assert!(matches!(
        give(c, KudosRules::default(), &a, answer.id),
        Err(CoreError::NotFound(_))
    ));
}

fn the_daily_allowance_holds_under_parallel_requests(t: &TestDb) {
    let mut c = conn(t);
    let cat = category(&mut c, "questions");
    let giver = user(&mut c, "kgiver");
    let asker = user(&mut c, "kasker2");
    let thread = ask_in(&mut c, &asker, &cat);
    let answers: Vec<_> = (0..6)
        .map(|i| {
            let h = user(&mut c, &format!("kh{i}_"));
            answer_by(&mut c, &h, &thread)
        })
        .collect();
    let g = actor(&mut c, &giver);
    drop(c);
    let rules = KudosRules { per_day: 3 };
    let results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = answers
            .iter()
            .map(|answer| {
                let (g, id) = (g.clone(), answer.id);
                s.spawn(move || {
                    let mut c = conn(t);
                    give(&mut c, rules, &g, id)
                        .map(|_| ())
                        .map_err(|e| format!("{e:?}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let given = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(given, 3, "{results:?}");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| e.contains("RateLimited")));
}
