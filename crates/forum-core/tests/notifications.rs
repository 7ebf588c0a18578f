//! Notifications: who is told of answers, comments and acceptances, once per subject and never
//! of their own action; the unread count; marking read touches only the member's own rows; the
//! list pages newest first. On both databases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::edit::EditInput;
use forum_core::notifications::{list, mark_read, notify, unread_count, MarkRead, Notice};
use forum_core::watching;
use forum_db::ids::NotificationId;
use forum_db::test_util::TestDb;
use forum_db::types::{NotificationKind, WatchLevel, WatchTarget};

forum_db::backend_tests!(
    answers_comments_and_acceptance_notify_the_right_member_once,
    nobody_is_told_of_their_own_action,
    marking_read_touches_only_ones_own,
    the_list_pages_newest_first_with_actor_and_thread,
    a_general_notice_carries_its_message,
    askers_and_answerers_watch_and_hear_of_new_answers_once,
    mute_always_wins,
    watchers_of_a_place_hear_of_new_threads,
    mentions_notify_once_and_edits_do_not_again,
    the_unread_counter_follows_every_write,
);

/// A member who already holds the badges a first question, answer or upvote earns, so these
/// tests see only the notifications they are about (badges have their own tests).
fn user(c: &mut forum_db::AnyConnection, prefix: &str) -> forum_db::models::User {
    let u = common::user(c, prefix);
    without_first_badges(c, &u);
    u
}

fn kinds(c: &mut forum_db::AnyConnection, u: &forum_db::models::User) -> Vec<NotificationKind> {
    let (items, _) = list(c, u.id, 1).unwrap();
    items.iter().map(|i| i.notification.kind).collect()
}

fn answers_comments_and_acceptance_notify_the_right_member_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    assert_eq!(kinds(c, &asker), vec![NotificationKind::Answer]);
    assert_eq!(unread_count(c, asker.id).unwrap(), 1);
    assert!(kinds(c, &helper).is_empty());

    let a = actor(c, &asker);
    tx(c, |cn| {
        comment(cn, &a, answer.id, "Which version is this for?")
    })
    .unwrap();
    assert_eq!(kinds(c, &helper), vec![NotificationKind::Comment]);

    // Accepted, unaccepted, accepted again: one notification.
    for _ in 0..3 {
        tx(c, |cn| forum_core::accept::accept(cn, &a, answer.id)).unwrap();
    }
    assert_eq!(
        kinds(c, &helper),
        vec![NotificationKind::Accepted, NotificationKind::Comment]
    );
    assert_eq!(unread_count(c, helper.id).unwrap(), 2);
    // The asker heard of the answer only.
    assert_eq!(unread_count(c, asker.id).unwrap(), 1);
}

fn nobody_is_told_of_their_own_action(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let thread = ask_in(c, &asker, &cat);
    let own = answer_by(c, &asker, &thread);
    let a = actor(c, &asker);
    tx(c, |cn| {
        comment(cn, &a, own.id, "Adding a detail to my own answer.")
    })
    .unwrap();
    tx(c, |cn| forum_core::accept::accept(cn, &a, own.id)).unwrap();
    assert_eq!(unread_count(c, asker.id).unwrap(), 0);
    assert!(!notify(
        c,
        &Notice::about_post(
            asker.id,
            NotificationKind::Mention,
            &a,
            thread.id,
            own.id,
            "mention:self".into()
        )
    )
    .unwrap());
}

fn marking_read_touches_only_ones_own(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let other = user(c, "other");
    let helper = user(c, "helper");
    let t1 = ask_in(c, &asker, &cat);
    let t2 = ask_in(c, &other, &cat);
    answer_by(c, &helper, &t1);
    answer_by(c, &helper, &t1);
    answer_by(c, &helper, &t2);
    let (mine, _) = list(c, asker.id, 1).unwrap();
    let (theirs, _) = list(c, other.id, 1).unwrap();
    let their_id = theirs[0].notification.id;
    // The asker names one of theirs and someone else's: only theirs is marked.
    let ids = vec![mine[0].notification.id, their_id];
    assert_eq!(mark_read(c, asker.id, &MarkRead::Ids(ids)).unwrap(), 1);
    assert_eq!(unread_count(c, asker.id).unwrap(), 1);
    assert_eq!(unread_count(c, other.id).unwrap(), 1);
    assert_eq!(mark_read(c, asker.id, &MarkRead::Ids(vec![])).unwrap(), 0);
    assert_eq!(mark_read(c, asker.id, &MarkRead::All).unwrap(), 1);
    assert_eq!(unread_count(c, asker.id).unwrap(), 0);
    assert_eq!(unread_count(c, other.id).unwrap(), 1);
    // Marking again changes nothing; an unknown id is ignored.
    assert_eq!(mark_read(c, asker.id, &MarkRead::All).unwrap(), 0);
    let unknown = MarkRead::Ids(vec![NotificationId(987_654)]);
    assert_eq!(mark_read(c, other.id, &unknown).unwrap(), 0);
}

fn the_list_pages_newest_first_with_actor_and_thread(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let thread = ask_in(c, &asker, &cat);
    let helpers: Vec<_> = (0..32).map(|i| user(c, &format!("h{i}"))).collect();
    for h in &helpers {
        answer_by(c, h, &thread);
    }
    let (first, more) = list(c, asker.id, 1).unwrap();
    let (second, after) = list(c, asker.id, 2).unwrap();
    assert_eq!((first.len(), more), (30, true));
    assert_eq!((second.len(), after), (2, false));
    let newest = &first[0];
    assert_eq!(newest.actor.as_ref().unwrap().id, helpers[31].id);
    assert_eq!(newest.thread.as_ref().unwrap().1, thread.slug);
    assert!(first
        .windows(2)
        .all(|w| w[0].notification.id.0 > w[1].notification.id.0));
    assert_eq!(
        second.last().unwrap().actor.as_ref().unwrap().id,
        helpers[0].id
    );
}

fn a_general_notice_carries_its_message(t: &TestDb) {
    let c = &mut conn(t);
    let member = user(c, "member");
    let notice = Notice {
        user_id: member.id,
        kind: NotificationKind::Notice,
        actor_id: None,
        thread_id: None,
        post_id: None,
        subject: "welcome".into(),
        message: "Welcome to the community.".into(),
    };
    assert!(tx(c, |cn| notify(cn, &notice)).unwrap());
    assert!(
        !tx(c, |cn| notify(cn, &notice)).unwrap(),
        "same subject: once"
    );
    let (items, _) = list(c, member.id, 1).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].notification.message, "Welcome to the community.");
    assert!(items[0].actor.is_none() && items[0].thread.is_none());
}

fn askers_and_answerers_watch_and_hear_of_new_answers_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let first = user(c, "first");
    let second = user(c, "second");
    let thread = ask_in(c, &asker, &cat);
    let tid = thread.id.0;
    assert_eq!(
        watching::level(c, asker.id, WatchTarget::Thread, tid).unwrap(),
        WatchLevel::Watch
    );
    answer_by(c, &first, &thread);
    assert_eq!(
        watching::level(c, first.id, WatchTarget::Thread, tid).unwrap(),
        WatchLevel::Watch
    );
    answer_by(c, &second, &thread);
    // The asker: two answers, each once (as answers, not also as watched replies).
    assert_eq!(
        kinds(c, &asker),
        vec![NotificationKind::Answer, NotificationKind::Answer]
    );
    // The first answerer watches now and hears of the second answer.
    assert_eq!(kinds(c, &first), vec![NotificationKind::WatchedReply]);
    assert!(kinds(c, &second).is_empty());
    // A member who chose normal is not put back to watching by answering again.
    watching::set(c, first.id, WatchTarget::Thread, tid, WatchLevel::Normal).unwrap();
    answer_by(c, &first, &thread);
    assert_eq!(
        watching::level(c, first.id, WatchTarget::Thread, tid).unwrap(),
        WatchLevel::Normal,
        "an explicit choice stays"
    );
    answer_by(c, &second, &thread);
    assert_eq!(
        kinds(c, &first),
        vec![NotificationKind::WatchedReply],
        "no more replies"
    );
}

fn mute_always_wins(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let thread = ask_in(c, &asker, &cat);
    watching::set(
        c,
        asker.id,
        WatchTarget::Thread,
        thread.id.0,
        WatchLevel::Mute,
    )
    .unwrap();
    let answer = answer_by(c, &helper, &thread);
    assert_eq!(
        unread_count(c, asker.id).unwrap(),
        0,
        "muted: not even the answer"
    );
    // Muting the category silences another thread there too, even an accepted answer.
    let other = ask_in(c, &helper, &cat);
    let reply = answer_by(c, &asker, &other);
    watching::set(
        c,
        asker.id,
        WatchTarget::Category,
        cat.id.0,
        WatchLevel::Mute,
    )
    .unwrap();
    let h = actor(c, &helper);
    tx(c, |cn| forum_core::accept::accept(cn, &h, reply.id)).unwrap();
    assert_eq!(unread_count(c, asker.id).unwrap(), 0);
    // Unmuted, the next event is heard.
    watching::set(
        c,
        asker.id,
        WatchTarget::Category,
        cat.id.0,
        WatchLevel::Normal,
    )
    .unwrap();
    watching::set(
        c,
        asker.id,
        WatchTarget::Thread,
        thread.id.0,
        WatchLevel::Watch,
    )
    .unwrap();
    let a = actor(c, &helper);
    tx(c, |cn| {
        comment(cn, &a, answer.id, "Following up on my own answer.")
    })
    .unwrap();
    let q = question_of(c, &thread);
    tx(c, |cn| comment(cn, &a, q.id, "Could you share the logs?")).unwrap();
    assert_eq!(kinds(c, &asker), vec![NotificationKind::Comment]);
}

fn watchers_of_a_place_hear_of_new_threads(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let other_cat = category(c, "questions");
    let watcher = user(c, "watcher");
    let tag_fan = user(c, "tagfan");
    let asker = user(c, "asker");
    watching::set(
        c,
        watcher.id,
        WatchTarget::Category,
        cat.id.0,
        WatchLevel::Watch,
    )
    .unwrap();
    ask_in(c, &asker, &other_cat);
    assert!(kinds(c, &watcher).is_empty(), "another category");
    let thread = ask_tagged(c, &asker, &cat, "billing");
    assert_eq!(kinds(c, &watcher), vec![NotificationKind::NewThread]);
    let (items, _) = list(c, watcher.id, 1).unwrap();
    assert_eq!(items[0].notification.thread_id, Some(thread.id));
    // Watching a tag works the same; muting that tag wins over watching the category.
    let tag_id = forum_core::lookup::tag_by_name(c, "billing").unwrap().id.0;
    watching::set(c, tag_fan.id, WatchTarget::Tag, tag_id, WatchLevel::Watch).unwrap();
    watching::set(c, watcher.id, WatchTarget::Tag, tag_id, WatchLevel::Mute).unwrap();
    ask_tagged(c, &asker, &cat, "billing");
    assert_eq!(kinds(c, &tag_fan), vec![NotificationKind::NewThread]);
    assert_eq!(
        kinds(c, &watcher).len(),
        1,
        "the muted tag silenced the second thread"
    );
    // The asker is never told of their own thread.
    assert!(kinds(c, &asker).is_empty());
}

fn mentions_notify_once_and_edits_do_not_again(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let expert = user(c, "expert");
    let thread = ask_in(c, &asker, &cat);
    let h = actor(c, &helper);
    let body = format!(
        "@{} knows this well, and @{} asked. Ask @{} too.",
        expert.username,
        asker.username,
        expert.username.to_uppercase()
    );
    let answer = tx(c, |cn| answer(cn, &h, thread.id, &body)).unwrap();
    // The expert: one mention. The asker: the answer only (one event, one notice).
    assert_eq!(kinds(c, &expert), vec![NotificationKind::Mention]);
    assert_eq!(kinds(c, &asker), vec![NotificationKind::Answer]);
    let stored = post_now(c, &answer);
    assert!(stored
        .body_html
        .contains(&format!("href=\"/u/{}\"", expert.username)));
    // An edit that keeps (or adds) mentions tells nobody again.
    let edited = format!("{body} Edited to add detail.");
    let input = EditInput {
        title: None,
        body: &edited,
        reason: "detail",
    };
    tx(c, |cn| edit(cn, &h, answer.id, &input)).unwrap();
    assert_eq!(kinds(c, &expert).len(), 1);
    // In a comment: its own event.
    let e = actor(c, &asker);
    let note = format!("Thanks, @{}!", expert.username);
    tx(c, |cn| comment(cn, &e, answer.id, &note)).unwrap();
    assert_eq!(
        kinds(c, &expert),
        vec![NotificationKind::Mention, NotificationKind::Mention]
    );
}

fn the_unread_counter_follows_every_write(t: &TestDb) {
    let c = &mut conn(t);
    let member = user(c, "member");
    assert_eq!(unread_count(c, member.id).unwrap(), 0);
    let notice = |i: i64| Notice {
        user_id: member.id,
        kind: NotificationKind::Notice,
        actor_id: None,
        thread_id: None,
        post_id: None,
        subject: format!("n{i}"),
        message: "Hello".into(),
    };
    for i in 0..105 {
        assert!(notify(c, &notice(i)).unwrap());
    }
    assert!(!notify(c, &notice(3)).unwrap(), "a repeat counts nothing");
    assert_eq!(unread_count(c, member.id).unwrap(), 105);
    let (page, _) = list(c, member.id, 1).unwrap();
    let two = vec![page[0].notification.id, page[1].notification.id];
    assert_eq!(
        mark_read(c, member.id, &MarkRead::Ids(two.clone())).unwrap(),
        2
    );
    assert_eq!(mark_read(c, member.id, &MarkRead::Ids(two)).unwrap(), 0);
    assert_eq!(unread_count(c, member.id).unwrap(), 103);
    mark_read(c, member.id, &MarkRead::All).unwrap();
    assert_eq!(unread_count(c, member.id).unwrap(), 0);
    // The counter equals the rows it stands for.
    use diesel::prelude::*;
    use forum_db::schema::notifications;
    let rows: i64 = notifications::table
        .filter(notifications::user_id.eq(member.id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(rows, 0);
}
