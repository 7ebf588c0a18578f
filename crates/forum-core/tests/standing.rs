//! A member's standing on both databases: reputation over time from the ledger, top tags by
//! answer score, the accepted-answer rate, and the leaderboard by period and category.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use forum_core::queries::standing::{leaderboard, member_standing, Period};
use forum_core::votes::VoteChoice;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(standing_and_leaderboard_come_from_the_ledger);

fn standing_and_leaderboard_come_from_the_ledger(t: &TestDb) {
    let c = &mut conn(t);
    let billing = category(c, "questions");
    let other_cat = category(c, "questions");
    let asker = user(c, "lasker");
    let star = user(c, "lstar");
    let second = user(c, "lsecond");
    let fans: Vec<_> = (0..3).map(|i| user(c, &format!("lfan{i}_"))).collect();
    let t1 = ask_tagged(c, &asker, &billing, "invoices");
    let t2 = ask_tagged(c, &asker, &other_cat, "exports");
    let a1 = answer_by(c, &star, &t1);
    let a2 = answer_by(c, &star, &t2);
    let b1 = answer_by(c, &second, &t1);
    for f in &fans {
        cast(c, f, &a1, VoteChoice::Up).unwrap();
    }
    cast(c, &fans[0], &a2, VoteChoice::Up).unwrap();
    cast(c, &fans[1], &b1, VoteChoice::Up).unwrap();
    cast(c, &fans[2], &b1, VoteChoice::Up).unwrap();
    let a = actor(c, &asker);
    forum_core::accept::accept(c, &a, a1.id).unwrap();

    let fresh = reload(c, &star);
    let s = member_standing(c, &fresh).unwrap();
    assert_eq!((s.answers, s.accepted_answers), (2, 1));
    assert_eq!(s.accepted_rate(), Some(0.5));
    assert_eq!(s.top_tags[0].name, "invoices");
    assert_eq!((s.top_tags[0].answers, s.top_tags[0].score), (1, 3));
    let last = s.reputation_history.last().unwrap();
    assert_eq!(
        last.1,
        reload(c, &star).reputation,
        "the series ends at the reputation"
    );
    assert_eq!(
        s.reputation_history[0].0,
        fresh.created_at.date(),
        "from the day they joined"
    );
    assert_eq!(s.reputation_history.len(), 1, "one point a day");

    let now = forum_db::time::now() + Duration::seconds(1);
    let all = leaderboard(c, Period::All, None, now, 10).unwrap();
    // star: 3×10 + 10 + 15 = 55; second: 20; the asker: +2 for accepting.
    assert_eq!(all[0].username, star.username);
    assert_eq!(all[0].reputation, 55);
    assert_eq!(all[1].username, second.username);
    let in_other = leaderboard(c, Period::Week, Some(other_cat.id), now, 10).unwrap();
    assert_eq!(in_other.len(), 1);
    assert_eq!(
        (in_other[0].username.as_str(), in_other[0].reputation),
        (star.username.as_str(), 10)
    );
    let later = now + Duration::days(8);
    assert!(leaderboard(c, Period::Week, None, later, 10)
        .unwrap()
        .is_empty());
    assert_eq!(
        leaderboard(c, Period::Month, None, later, 10)
            .unwrap()
            .len(),
        3
    );
}
