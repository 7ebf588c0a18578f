//! Read models kept between loads (thread contents, list pages): reused only while the data
//! generation has not moved (SQLite), so every write, by any writer, is seen at the next load;
//! never kept on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::{Connection, RunQueryDsl};
use forum_core::deletion::delete_post;
use forum_core::queries::{ReadCaches, ThreadFilter};
use forum_core::votes::VoteChoice;
use forum_core::Role;
use forum_db::test_util::TestDb;
use forum_db::{AnyConnection, Backend, QueryCounter};

forum_db::backend_tests!(
    a_kept_thread_is_reused_until_any_write_and_then_reread,
    each_visibility_keeps_its_own_content,
    a_disabled_cache_always_reads,
    a_kept_list_page_shows_a_new_thread_at_once,
);

fn counted<T>(c: &mut AnyConnection, f: impl FnOnce(&mut AnyConnection) -> T) -> (T, usize) {
    let counter = QueryCounter::default();
    c.set_instrumentation(counter.clone());
    let out = f(c);
    let n = counter.get();
    c.set_instrumentation(QueryCounter::default());
    (out, n)
}

fn is_sqlite(t: &TestDb) -> bool {
    Backend::from_url(&t.url) == Backend::Sqlite
}

fn a_kept_thread_is_reused_until_any_write_and_then_reread(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let voter = user(c, "voter");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let cache = ReadCaches::new(10);
    let me = actor(c, &voter);

    let (first, cold) = counted(c, |c| cache.thread_page(c, thread.id, Some(&me)).unwrap());
    let (again, warm) = counted(c, |c| cache.thread_page(c, thread.id, Some(&me)).unwrap());
    assert_eq!(first.answers.len(), 1);
    assert_eq!(again.answers[0].author.reputation, 1);
    if is_sqlite(t) {
        // The generation, the viewer's votes and watch level; the content comes from memory.
        assert_eq!(warm, 3, "warm load took {warm} queries");
        assert!(std::sync::Arc::ptr_eq(&first.content, &again.content));
        assert!(cold > warm);
    } else {
        assert_eq!(warm, cold, "PostgreSQL reads every time");
    }

    // A vote: the score, the author's reputation and the viewer's vote all show at once.
    cast(c, &voter, &answer, VoteChoice::Up).unwrap();
    let after_vote = cache.thread_page(c, thread.id, Some(&me)).unwrap();
    assert_eq!(after_vote.answers[0].post.score, 1);
    assert_eq!(after_vote.answers[0].author.reputation, 11);
    assert_eq!(after_vote.my_vote(answer.id), 1);

    // A write that touches another thread only (the helper's reputation) is seen here too.
    let other = ask_in(c, &asker, &cat);
    let elsewhere = answer_by(c, &helper, &other);
    cast(c, &voter, &elsewhere, VoteChoice::Up).unwrap();
    let page = cache.thread_page(c, thread.id, Some(&me)).unwrap();
    assert_eq!(page.answers[0].author.reputation, 21);

    // A write by another process (here, plain SQL on its own connection) is seen as well.
    let mut outside = forum_db::connection::establish(&t.url).unwrap();
    diesel::sql_query(format!(
        "UPDATE users SET username = 'renamed_helper' WHERE id = {}",
        helper.id
    ))
    .execute(&mut outside)
    .unwrap();
    let page = cache.thread_page(c, thread.id, Some(&me)).unwrap();
    assert_eq!(page.answers[0].author.username, "renamed_helper");

    // A deleted answer disappears for members at the next load.
    let h = actor(c, &helper);
    delete_post(c, &h, answer.id).unwrap();
    let page = cache.thread_page(c, thread.id, Some(&me)).unwrap();
    assert!(page.answers.is_empty());
}

fn each_visibility_keeps_its_own_content(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let moderator = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let h = actor(c, &helper);
    delete_post(c, &h, answer.id).unwrap();
    let cache = ReadCaches::new(10);
    let m = actor(c, &moderator);
    let a = actor(c, &asker);
    // In both orders: whoever loads first, the other sees their own visibility.
    for _ in 0..2 {
        let staff = cache.thread_page(c, thread.id, Some(&m)).unwrap();
        let member = cache.thread_page(c, thread.id, Some(&a)).unwrap();
        let anonymous = cache.thread_page(c, thread.id, None).unwrap();
        assert_eq!(staff.answers.len(), 1, "staff see the deleted answer");
        assert!(staff.answers[0].post.deleted_at.is_some());
        assert!(member.answers.is_empty() && anonymous.answers.is_empty());
    }
}

fn a_disabled_cache_always_reads(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let thread = ask_in(c, &asker, &cat);
    let cache = ReadCaches::new(0);
    let (_, first) = counted(c, |c| cache.thread_page(c, thread.id, None).unwrap());
    let (again, second) = counted(c, |c| cache.thread_page(c, thread.id, None).unwrap());
    assert_eq!(first, second);
    assert!(
        second >= 4,
        "content read from the database: {second} queries"
    );
    assert_eq!(again.summary.thread.id, thread.id);
}

fn a_kept_list_page_shows_a_new_thread_at_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let first = ask_in(c, &asker, &cat);
    let cache = ReadCaches::new(10);
    let latest = ThreadFilter {
        page: 1,
        per_page: 30,
        ..Default::default()
    };
    let before = cache.list_threads(c, &latest).unwrap();
    let again = cache.list_threads(c, &latest).unwrap();
    assert_eq!(before.0.len(), 1);
    assert_eq!(std::sync::Arc::ptr_eq(&before, &again), is_sqlite(t));
    let second = ask_in(c, &asker, &cat);
    let after = cache.list_threads(c, &latest).unwrap();
    let ids: Vec<_> = after.0.iter().map(|r| r.thread.id).collect();
    assert_eq!(ids, vec![second.id, first.id]);
    // Another filter (a category with nothing in it) is its own entry.
    let other = category(c, "questions");
    let empty = ThreadFilter {
        category_id: Some(other.id),
        ..latest.clone()
    };
    assert!(cache.list_threads(c, &empty).unwrap().0.is_empty());
    assert_eq!(cache.categories(c).unwrap().len(), 2);
}
