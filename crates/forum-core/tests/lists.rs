//! Thread lists: the unanswered and solved tabs, pagination, and filters by category, tag and
//! author.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::accept::accept;
use forum_core::queries::{list_threads, Tab, ThreadFilter};
use forum_db::ids::ThreadId;
use forum_db::models::Category;
use forum_db::test_util::TestDb;
use forum_db::AnyConnection;

forum_db::backend_tests!(
    unanswered_and_solved_tabs,
    pagination_has_next,
    list_filters_by_category_tag_and_author,
);

fn filter(tab: Tab, cat: &Category, page: i64, per_page: i64) -> ThreadFilter {
    ThreadFilter {
        tab,
        category_id: Some(cat.id),
        page,
        per_page,
        ..Default::default()
    }
}

fn list_ids(c: &mut AnyConnection, f: &ThreadFilter) -> (Vec<ThreadId>, bool) {
    let (rows, more) = list_threads(c, f).unwrap();
    (rows.iter().map(|s| s.thread.id).collect(), more)
}

fn unanswered_and_solved_tabs(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let open = ask_in(c, &asker, &cat);
    let answered = ask_in(c, &asker, &cat);
    let solved = ask_in(c, &asker, &cat);
    let open2 = ask_in(c, &asker, &cat);
    answer_by(c, &helper, &answered);
    let s = answer_by(c, &helper, &solved);
    let a = actor(c, &asker);
    tx(c, |cn| accept(cn, &a, s.id)).unwrap();

    assert_eq!(
        list_ids(c, &filter(Tab::Unanswered, &cat, 1, 20)),
        (vec![open2.id, open.id], false)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Solved, &cat, 1, 20)),
        (vec![solved.id], false)
    );
    // Latest: most recently bumped first; answering bumps.
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 1, 20)),
        (vec![solved.id, answered.id, open2.id, open.id], false)
    );
    // Un-accepting takes the thread out of Solved; it stays out of Unanswered.
    tx(c, |cn| accept(cn, &a, s.id)).unwrap();
    assert_eq!(
        list_ids(c, &filter(Tab::Solved, &cat, 1, 20)),
        (vec![], false)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Unanswered, &cat, 1, 20)),
        (vec![open2.id, open.id], false)
    );
    // A self-answer counts as an answer too.
    answer_by(c, &asker, &open);
    assert_eq!(
        list_ids(c, &filter(Tab::Unanswered, &cat, 1, 20)),
        (vec![open2.id], false)
    );
    assert_eq!(Tab::parse("solved"), Tab::Solved);
    assert_eq!(Tab::parse("bogus"), Tab::Latest);
}

fn pagination_has_next(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "asker");
    let mut ids: Vec<ThreadId> = (0..5).map(|_| ask_in(c, &u, &cat).id).collect();
    ids.reverse(); // newest first
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 1, 2)),
        (ids[0..2].to_vec(), true)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 2, 2)),
        (ids[2..4].to_vec(), true)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 3, 2)),
        (ids[4..5].to_vec(), false)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 4, 2)),
        (vec![], false)
    );
    // An exact fit has no next page.
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 1, 5)),
        (ids.clone(), false)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 1, 4)),
        (ids[0..4].to_vec(), true)
    );
    // Out-of-range inputs are clamped: page 0 is page 1, per_page 0 is 1.
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 0, 2)),
        (ids[0..2].to_vec(), true)
    );
    assert_eq!(
        list_ids(c, &filter(Tab::Latest, &cat, 1, 0)),
        (ids[0..1].to_vec(), true)
    );
    // Pagination applies after the tab's filter.
    assert_eq!(
        list_ids(c, &filter(Tab::Unanswered, &cat, 2, 3)),
        (ids[3..5].to_vec(), false)
    );
}

fn list_filters_by_category_tag_and_author(t: &TestDb) {
    let c = &mut conn(t);
    let cat_a = category(c, "questions");
    let cat_b = category(c, "ideas");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let t1 = ask_tagged(c, &alice, &cat_a, "rust");
    let t2 = ask_tagged(c, &bob, &cat_a, "go");
    let t3 = ask_tagged(c, &alice, &cat_b, "rust go");
    let all = ThreadFilter {
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    assert_eq!(list_ids(c, &all), (vec![t3.id, t2.id, t1.id], false));
    let f = ThreadFilter {
        category_id: Some(cat_a.id),
        ..all.clone()
    };
    assert_eq!(list_ids(c, &f), (vec![t2.id, t1.id], false));
    let rust = forum_core::lookup::tag_by_name(c, "rust").unwrap();
    let f = ThreadFilter {
        tag_id: Some(rust.id),
        ..all.clone()
    };
    assert_eq!(list_ids(c, &f), (vec![t3.id, t1.id], false));
    let f = ThreadFilter {
        author_id: Some(bob.id),
        ..all.clone()
    };
    assert_eq!(list_ids(c, &f), (vec![t2.id], false));
    let f = ThreadFilter {
        author_id: Some(alice.id),
        tag_id: Some(rust.id),
        category_id: Some(cat_b.id),
        ..all
    };
    assert_eq!(list_ids(c, &f), (vec![t3.id], false));
}
