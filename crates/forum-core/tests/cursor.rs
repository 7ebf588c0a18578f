//! Keyset pagination of thread lists: walking a tab with cursors visits every row once, in the
//! tab's order, even when rows share a sort time and when new threads arrive mid-walk.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::accept::accept;
use forum_core::queries::{list_threads, ListCursor, Tab, ThreadFilter};
use forum_db::ids::ThreadId;
use forum_db::models::Category;
use forum_db::schema::threads;
use forum_db::test_util::TestDb;
use forum_db::AnyConnection;

forum_db::backend_tests!(cursor_walks_every_tab_once, cursor_ignores_new_rows);

/// Every id of a tab in `cat`, walked two at a time with cursors.
fn walk(c: &mut AnyConnection, tab: Tab, cat: &Category) -> Vec<ThreadId> {
    let mut seen = Vec::new();
    let mut after: Option<ListCursor> = None;
    for _ in 0..50 {
        let f = ThreadFilter {
            tab,
            category_id: Some(cat.id),
            page: 1,
            per_page: 2,
            after,
            ..Default::default()
        };
        let (rows, more) = list_threads(c, &f).unwrap();
        seen.extend(rows.iter().map(|s| s.thread.id));
        match (more, rows.last()) {
            (true, Some(last)) => after = Some(tab.cursor_after(&last.thread)),
            _ => return seen,
        }
    }
    panic!("the walk did not end: {seen:?}");
}

/// Every id of a tab in `cat` on one page, for comparison.
fn all(c: &mut AnyConnection, tab: Tab, cat: &Category) -> Vec<ThreadId> {
    let f = ThreadFilter {
        tab,
        category_id: Some(cat.id),
        page: 1,
        per_page: 100,
        ..Default::default()
    };
    list_threads(c, &f)
        .unwrap()
        .0
        .iter()
        .map(|s| s.thread.id)
        .collect()
}

fn cursor_walks_every_tab_once(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let threads: Vec<_> = (0..7).map(|_| ask_in(c, &asker, &cat)).collect();
    // Ties on every sort key: the id breaks them.
    let same = threads[0].created_at;
    diesel::update(threads::table.filter(threads::id.eq_any(threads.iter().map(|t| t.id))))
        .set((threads::bumped_at.eq(same), threads::created_at.eq(same)))
        .execute(c)
        .unwrap();
    let a = actor(c, &asker);
    for th in &threads[..5] {
        let answer = answer_by(c, &helper, th);
        tx(c, |cn| accept(cn, &a, answer.id)).unwrap();
    }
    diesel::update(threads::table.filter(threads::id.eq_any(threads.iter().map(|t| t.id))))
        .set(threads::solved_at.eq(Some(same)))
        .execute(c)
        .unwrap();
    for tab in [Tab::Latest, Tab::Unanswered, Tab::Solved] {
        let walked = walk(c, tab, &cat);
        assert_eq!(walked, all(c, tab, &cat), "{tab:?}");
    }
    assert_eq!(walk(c, Tab::Latest, &cat).len(), 7);
    assert_eq!(walk(c, Tab::Unanswered, &cat).len(), 2);
    assert_eq!(walk(c, Tab::Solved, &cat).len(), 5);
}

fn cursor_ignores_new_rows(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let old: Vec<ThreadId> = (0..4).map(|_| ask_in(c, &asker, &cat).id).collect();
    let first = ThreadFilter {
        category_id: Some(cat.id),
        page: 1,
        per_page: 2,
        ..Default::default()
    };
    let (rows, more) = list_threads(c, &first).unwrap();
    assert!(more);
    let cursor = Tab::Latest.cursor_after(&rows[1].thread);
    ask_in(c, &asker, &cat);
    ask_in(c, &asker, &cat);
    let next = ThreadFilter {
        after: Some(cursor),
        ..first
    };
    let (rows, more) = list_threads(c, &next).unwrap();
    let ids: Vec<ThreadId> = rows.iter().map(|s| s.thread.id).collect();
    assert_eq!(
        ids,
        vec![old[1], old[0]],
        "the rows after the cursor, new ones aside"
    );
    assert!(!more);
}
