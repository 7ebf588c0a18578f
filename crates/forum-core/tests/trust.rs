//! Trust levels on both databases: each input (reputation, days visited, posts read, answers,
//! accepted answers, agreed flags) moves a member across a threshold exactly at it, and back
//! when it is taken away; TL4 is granted and withdrawn by staff only; visits and reads added
//! by parallel flushes count once; `forum reputation verify` agrees with every level.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, NaiveDateTime};
use common::*;
use diesel::prelude::*;
use forum_core::accept::accept;
use forum_core::activity::{self, ActivityRecorder};
use forum_core::deletion::delete_post;
use forum_core::reputation_audit;
use forum_core::trust::{self, Requirements, TrustRules};
use forum_db::schema::member_activity;
use forum_db::test_util::TestDb;
use forum_db::types::Role;

forum_db::backend_tests!(
    each_input_moves_the_level_exactly_at_its_threshold,
    trust_level_4_is_granted_by_staff_only,
    parallel_flushes_count_a_visit_and_a_read_once,
    the_recorder_batches_visits_and_reads,
);

/// 10:00 on the `n`th day from tomorrow (after every account's creation).
fn day(n: i64) -> NaiveDateTime {
    let tomorrow = forum_db::time::now().date() + Duration::days(1);
    (tomorrow + Duration::days(n))
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

/// A ladder where reputation is met by everyone, so each activity input can be crossed alone.
fn small_ladder() -> TrustRules {
    let r =
        |level, days_visited, posts_read, answers, accepted_answers, flags_agreed| Requirements {
            level,
            reputation: 1,
            days_visited,
            posts_read,
            answers,
            accepted_answers,
            flags_agreed,
        };
    TrustRules {
        levels: [
            r(1, 2, 3, 0, 0, 0),
            r(2, 2, 3, 2, 1, 0),
            r(3, 3, 3, 2, 1, 1),
        ],
    }
}

fn each_input_moves_the_level_exactly_at_its_threshold(t: &TestDb) {
    let c = &mut conn(t);
    trust::publish(c, &small_ladder()).unwrap();
    let cat = category(c, "questions");
    let member = user(c, "climber");
    let asker = user(c, "tasker");
    let topic = ask_in(c, &asker, &cat);

    activity::record(c, member.id, Some(day(1)), &[]).unwrap();
    activity::record(c, member.id, Some(day(1) + Duration::hours(5)), &[]).unwrap();
    assert_eq!(trust(c, &member), 0, "one day visited, twice");
    activity::record(c, member.id, Some(day(2)), &[(topic.id, 2)]).unwrap();
    assert_eq!(trust(c, &member), 0, "two days, two posts read");
    activity::record(c, member.id, None, &[(topic.id, 2)]).unwrap();
    assert_eq!(trust(c, &member), 0, "the same posts again count once");
    activity::record(c, member.id, None, &[(topic.id, 3)]).unwrap();
    assert_eq!(trust(c, &member), 1, "TL1 at exactly three posts read");

    let first = answer_by(c, &member, &topic);
    assert_eq!(trust(c, &member), 1);
    let other = ask_in(c, &asker, &cat);
    let second = answer_by(c, &member, &other);
    assert_eq!(trust(c, &member), 1, "two answers, none accepted");
    let a = actor(c, &asker);
    accept(c, &a, first.id).unwrap();
    assert_eq!(trust(c, &member), 2, "TL2 at the first accepted answer");
    accept(c, &a, first.id).unwrap();
    assert_eq!(trust(c, &member), 1, "unaccepted: back to TL1");
    accept(c, &a, first.id).unwrap();
    assert_eq!(trust(c, &member), 2);
    let m = actor(c, &member);
    delete_post(c, &m, second.id).unwrap();
    assert_eq!(trust(c, &member), 1, "a deleted answer no longer counts");
    let third = answer_by(c, &member, &other);
    assert_eq!(trust(c, &member), 2);

    diesel::update(member_activity::table.find(member.id))
        .set(member_activity::flags_agreed.eq(1))
        .execute(c)
        .unwrap();
    assert_eq!(
        trust::refresh(c, member.id).unwrap().0,
        2,
        "two days of three"
    );
    activity::record(c, member.id, Some(day(3)), &[]).unwrap();
    assert_eq!(trust(c, &member), 3, "TL3 on the third day visited");

    // Reputation gates the whole ladder.
    let mut strict = small_ladder();
    strict.levels[0].reputation = rep(c, &member) + 1;
    trust::publish(c, &strict).unwrap();
    assert_eq!(trust::refresh(c, member.id).unwrap().0, 0);
    trust::publish(c, &small_ladder()).unwrap();
    assert_eq!(trust::refresh(c, member.id).unwrap().0, 3);

    let standing = trust::standing(c, member.id, 1, forum_db::types::TrustLevel(1)).unwrap();
    assert_eq!(standing.next_level, Some(2));
    let answers = standing.next.iter().find(|r| r.name == "answers").unwrap();
    assert_eq!((answers.have, answers.need), (2, 2));
    let _ = third;
    assert!(reputation_audit::verify(c, &mut |_| {}).unwrap().is_empty());
}

fn trust_level_4_is_granted_by_staff_only(t: &TestDb) {
    let c = &mut conn(t);
    let member = user(c, "leader");
    let peer = user(c, "peer");
    let staff = user_with_role(c, "staffer", Role::Staff);
    let p = actor(c, &peer);
    assert_forbidden(trust::set_leader(c, &p, member.id, true));
    let s = actor(c, &staff);
    assert_eq!(trust::set_leader(c, &s, member.id, true).unwrap().0, 4);
    // Kept through a refresh, although the member's inputs earn nothing.
    assert_eq!(trust::refresh(c, member.id).unwrap().0, 4);
    assert_eq!(trust::set_leader(c, &s, member.id, false).unwrap().0, 0);
    assert!(reputation_audit::verify(c, &mut |_| {}).unwrap().is_empty());
}

fn parallel_flushes_count_a_visit_and_a_read_once(t: &TestDb) {
    let mut c = conn(t);
    let cat = category(&mut c, "questions");
    let member = user(&mut c, "reader");
    let topic = ask_in(&mut c, &member, &cat);
    activity::record(&mut c, member.id, Some(day(1)), &[]).unwrap();
    drop(c);
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut c = conn(t);
                    activity::record(&mut c, member.id, Some(day(2)), &[(topic.id, 5)])
                        .map_err(|e| format!("{e:?}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let c = &mut conn(t);
    let (days, read): (i64, i64) = member_activity::table
        .find(member.id)
        .select((member_activity::days_visited, member_activity::posts_read))
        .first(c)
        .unwrap();
    assert_eq!((days, read), (2, 5));
}

fn the_recorder_batches_visits_and_reads(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let a = user(c, "ra");
    let b = user(c, "rb");
    let topic = ask_in(c, &a, &cat);
    let recorder = ActivityRecorder::default();
    recorder.visit(a.id, day(4));
    recorder.visit(a.id, day(4) + Duration::minutes(1));
    recorder.read(a.id, topic.id, 2);
    recorder.read(a.id, topic.id, 1);
    recorder.read(b.id, topic.id, 4);
    assert_eq!(recorder.flush(c).unwrap(), 2);
    assert_eq!(recorder.flush(c).unwrap(), 0, "the batch was taken");
    let rows: Vec<(i64, i64, i64)> = member_activity::table
        .order(member_activity::user_id.asc())
        .select((
            member_activity::user_id,
            member_activity::days_visited,
            member_activity::posts_read,
        ))
        .load(c)
        .unwrap();
    assert_eq!(rows, [(a.id.0, 1, 2), (b.id.0, 0, 4)]);
    let last: Option<NaiveDateTime> = member_activity::table
        .find(a.id)
        .select(member_activity::last_visited_at)
        .first(c)
        .unwrap();
    assert_eq!(last, Some(day(4) + Duration::minutes(1)));
}
