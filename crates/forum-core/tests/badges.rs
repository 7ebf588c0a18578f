//! Badges on both databases: each rule awards exactly once (or once per post or tag) at its
//! threshold, in the event's transaction, with a notification; parallel awards of one badge
//! make one row.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::accept::accept;
use forum_core::badges::{award, held_by, recipients};
use forum_core::kudos::{give, KudosRules};
use forum_core::votes::VoteChoice;
use forum_db::models::User;
use forum_db::schema::badge_awards;
use forum_db::test_util::TestDb;
use forum_db::types::Badge;
use forum_db::AnyConnection;

forum_db::backend_tests!(
    first_question_answer_and_accepted_answer_are_awarded_once,
    answer_scores_award_per_post_and_tags_per_tag_at_their_thresholds,
    kudos_received_award_helpful_at_ten,
    parallel_awards_make_one,
);

fn count(c: &mut AnyConnection, u: &User, badge: Badge) -> i64 {
    badge_awards::table
        .filter(badge_awards::user_id.eq(u.id))
        .filter(badge_awards::badge.eq(badge))
        .count()
        .get_result(c)
        .unwrap()
}

fn first_question_answer_and_accepted_answer_are_awarded_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "basker");
    let helper = user(c, "bhelper");
    assert_eq!(count(c, &asker, Badge::FirstQuestion), 0);
    let t1 = ask_in(c, &asker, &cat);
    let t2 = ask_in(c, &asker, &cat);
    assert_eq!(count(c, &asker, Badge::FirstQuestion), 1);
    let own = answer_by(c, &asker, &t1);
    let a = actor(c, &asker);
    accept(c, &a, own.id).unwrap();
    assert_eq!(
        count(c, &asker, Badge::FirstAcceptedAnswer),
        0,
        "accepting one's own answer earns nothing"
    );
    let h1 = answer_by(c, &helper, &t2);
    answer_by(c, &helper, &t1);
    assert_eq!(count(c, &helper, Badge::FirstAnswer), 1);
    accept(c, &a, h1.id).unwrap();
    accept(c, &a, h1.id).unwrap();
    accept(c, &a, h1.id).unwrap();
    assert_eq!(count(c, &helper, Badge::FirstAcceptedAnswer), 1);
    let told = forum_core::notifications::list(c, helper.id, 1).unwrap().0;
    assert!(told
        .iter()
        .any(|n| n.notification.message == "You earned the badge “First accepted answer”"));
    let held = held_by(c, helper.id).unwrap();
    assert_eq!(held.len(), 2, "{held:?}");
    let names: Vec<_> = recipients(c, Badge::FirstAnswer, 10)
        .unwrap()
        .into_iter()
        .map(|r| r.username)
        .collect();
    assert!(names.contains(&helper.username));
}

fn answer_scores_award_per_post_and_tags_per_tag_at_their_thresholds(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "sasker");
    let author = user(c, "sauthor");
    let voters: Vec<User> = (0..10).map(|i| user(c, &format!("sv{i}_"))).collect();
    let t1 = ask_tagged(c, &asker, &cat, "billing");
    let t2 = ask_tagged(c, &asker, &cat, "billing");
    let first = answer_by(c, &author, &t1);
    let second = answer_by(c, &author, &t2);
    cast(c, &voters[0], &first, VoteChoice::Up).unwrap();
    assert_eq!(count(c, &author, Badge::Teacher), 1, "teacher at score 1");
    for v in &voters[1..9] {
        cast(c, v, &first, VoteChoice::Up).unwrap();
    }
    assert_eq!(count(c, &author, Badge::NiceAnswer), 0, "score 9");
    cast(c, &voters[9], &first, VoteChoice::Up).unwrap();
    assert_eq!(count(c, &author, Badge::NiceAnswer), 1, "score 10");
    // Down and up again across the threshold: still once for this post.
    cast(c, &voters[9], &first, VoteChoice::None).unwrap();
    cast(c, &voters[9], &first, VoteChoice::Up).unwrap();
    assert_eq!(count(c, &author, Badge::NiceAnswer), 1);
    for v in &voters[..9] {
        cast(c, v, &second, VoteChoice::Up).unwrap();
    }
    assert_eq!(count(c, &author, Badge::TagBronze), 0, "19 in the tag");
    cast(c, &voters[9], &second, VoteChoice::Up).unwrap();
    assert_eq!(count(c, &author, Badge::TagBronze), 1, "20 in the tag");
    assert_eq!(count(c, &author, Badge::NiceAnswer), 2, "once per answer");
    assert_eq!(count(c, &author, Badge::Teacher), 1);
    let held = held_by(c, author.id).unwrap();
    let tag = held
        .iter()
        .find(|h| h.badge.slug == "tag_bronze")
        .expect("tag bronze held");
    assert_eq!(tag.tags, ["billing"]);
}

fn kudos_received_award_helpful_at_ten(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "kasker");
    let author = user(c, "kauthor");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &author, &thread);
    for i in 0..10 {
        assert_eq!(count(c, &author, Badge::Helpful), 0, "after {i} kudos");
        let g = user(c, &format!("kg{i}_"));
        let ga = actor(c, &g);
        give(c, KudosRules::default(), &ga, answer.id).unwrap();
    }
    assert_eq!(count(c, &author, Badge::Helpful), 1);
}

fn parallel_awards_make_one(t: &TestDb) {
    let mut c = conn(t);
    let member = user(&mut c, "par");
    drop(c);
    let results: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut c = conn(t);
                    forum_db::write_tx(&mut c, |c| award(c, member.id, Badge::Champion, 0)).unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|new| **new).count(), 1, "{results:?}");
    let c = &mut conn(t);
    assert_eq!(count(c, &member, Badge::Champion), 1);
    let unread = forum_core::notifications::unread_count(c, member.id).unwrap();
    assert_eq!(unread, 1);
}
