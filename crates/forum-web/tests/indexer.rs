//! Every node's search index follows the outbox with its own cursor: two nodes on one database
//! both see a new thread, a row that commits late (below a cursor) is still applied, the cursor
//! survives a restart, and a node that was away longer than the outbox keeps rows (or whose
//! index is empty) rebuilds from the database at start.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use diesel::prelude::*;
use forum_core::jobs::{follow_step, Stepped};
use forum_core::testing::{ask_with, category, user};
use forum_db::models::{Category, User};
use forum_db::schema::{categories, users};
use forum_db::test_util::TestDb;
use forum_web::jobs::search_follower::{open_follower, prepare, SearchFollower, SearchIndexer};
use search::{SearchIndex, SearchQuery};

/// Asks a question naming `word`; the first call makes the asker and the category, later
/// calls reuse them.
fn ask_question(t: &TestDb, word: &str) -> forum_db::ids::ThreadId {
    let c = &mut t.db.conn().unwrap();
    let existing = users::table.select(User::as_select()).first(c).optional();
    let asker = existing.unwrap().unwrap_or_else(|| user(c, "asker"));
    let existing = categories::table
        .select(Category::as_select())
        .first(c)
        .optional();
    let cat = existing
        .unwrap()
        .unwrap_or_else(|| category(c, "questions"));
    let title = format!("Where is the {word} setting?");
    let body = format!("I cannot find the {word} option anywhere in the settings page.");
    ask_with(c, &asker, &title, &body, &cat.slug, "")
        .unwrap()
        .id
}

/// One follower step on `index`; returns the rows applied.
fn step(t: &TestDb, f: &mut SearchFollower, index: &Arc<SearchIndex>) -> usize {
    let mut conn = t.db.conn().unwrap();
    match follow_step(&mut conn, f, &mut SearchIndexer::new(index.clone())).unwrap() {
        Stepped::Applied(n) => n,
        other => panic!("expected rows applied, got {other:?}"),
    }
}

fn hits(index: &SearchIndex, word: &str) -> Vec<forum_db::ids::ThreadId> {
    let q = SearchQuery {
        text: word.into(),
        limit: 10,
        ..Default::default()
    };
    index
        .search(&q)
        .unwrap()
        .hits
        .iter()
        .map(|h| forum_db::ids::ThreadId(h.thread_id))
        .collect()
}

fn two_nodes_both_index_and_late_rows_are_caught(t: &TestDb) {
    let first = ask_question(t, "quokka");
    let (a, b) = (
        Arc::new(SearchIndex::in_memory().unwrap()),
        Arc::new(SearchIndex::in_memory().unwrap()),
    );
    let (mut fa, mut fb) = (open_follower(None), open_follower(None));
    assert_eq!(step(t, &mut fa, &a), 1);
    assert_eq!(
        step(t, &mut fb, &b),
        1,
        "node B follows with its own cursor"
    );
    assert_eq!(hits(&a, "quokka"), vec![first]);
    assert_eq!(hits(&b, "quokka"), vec![first]);
    assert_eq!(step(t, &mut fa, &a), 0, "nothing new");

    // A row that committed after the cursor moved past its id (out of id order on PostgreSQL).
    let late = ask_question(t, "wombat");
    let ahead = fa.cursor() + 50;
    fa.set_cursor(ahead).unwrap();
    assert_eq!(
        step(t, &mut fa, &a),
        1,
        "the recent window catches the late row"
    );
    assert_eq!(hits(&a, "wombat"), vec![late]);
    assert_eq!(fa.cursor(), ahead, "the cursor never moves back");
    assert_eq!(step(t, &mut fa, &a), 0, "and it is applied once");
}

#[test]
fn cursor_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = open_follower(Some(dir.path()));
    assert_eq!(f.cursor(), 0);
    f.set_cursor(42).unwrap();
    assert_eq!(open_follower(Some(dir.path())).cursor(), 42);
}

fn a_node_behind_the_pruned_outbox_rebuilds_at_start(t: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let first = ask_question(t, "quokka");
    let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
    let mut f = prepare(&t.db, &index, Some(dir.path())).unwrap();
    assert_eq!(
        hits(&index, "quokka"),
        vec![first],
        "a new index is built at start"
    );
    step(t, &mut f, &index); // the last 30 s are re-read once after a rebuild (harmless)
    assert_eq!(
        step(t, &mut f, &index),
        0,
        "the follower starts past the rebuild"
    );
    drop((f, index)); // the node stops

    // While it is away a thread is asked, and the outbox rows are pruned.
    let second = ask_question(t, "wombat");
    let later = forum_db::time::now() + chrono::Duration::seconds(1);
    let all = forum_db::outbox::Retention {
        done_before: later,
        dead_before: later,
        followed_before: later,
    };
    let pruned = forum_db::outbox::prune(&mut t.db.conn().unwrap(), &["search"], &all).unwrap();
    assert!(pruned.followed >= 2);

    let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
    assert!(!index.needs_rebuild(), "the index itself is fine");
    assert!(hits(&index, "wombat").is_empty());
    let mut f = prepare(&t.db, &index, Some(dir.path())).unwrap();
    assert_eq!(
        hits(&index, "wombat"),
        vec![second],
        "rebuilt from the database"
    );
    assert_eq!(hits(&index, "quokka"), vec![first]);
    assert!(!f.is_behind(&mut t.db.conn().unwrap()).unwrap());
    step(t, &mut f, &index);
    assert_eq!(step(t, &mut f, &index), 0);

    // An index emptied behind the follower's back is rebuilt too.
    index.clear().unwrap();
    drop((f, index));
    let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
    prepare(&t.db, &index, Some(dir.path())).unwrap();
    assert_eq!(hits(&index, "wombat"), vec![second]);
}

forum_db::backend_tests!(
    two_nodes_both_index_and_late_rows_are_caught,
    a_node_behind_the_pruned_outbox_rebuilds_at_start,
);
