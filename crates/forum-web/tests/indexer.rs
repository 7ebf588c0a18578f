//! Every node's search index follows the outbox with its own cursor: two nodes on one database
//! both see a new thread, a row that commits late (below a cursor) is still applied, and the
//! cursor survives a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_core::accounts::{create_user, Registration};
use forum_core::categories::{create_category, CategoryInput};
use forum_core::threads::{ask, AskInput};
use forum_core::{Actor, Role};
use forum_db::test_util::TestDb;
use forum_db::write_tx;
use forum_web::indexer::Follower;
use search::{SearchIndex, SearchQuery};

fn ask_question(t: &TestDb, word: &str) -> i64 {
    let mut conn = t.db.conn().unwrap();
    write_tx(&mut conn, |c| {
        if forum_core::lookup::category_by_slug(c, "general").is_err() {
            let cat = CategoryInput {
                slug: "general",
                name: "General",
                description: "",
                kind: forum_core::categories::CategoryKind::Questions,
                position: 0,
            };
            create_category(c, &cat)?;
            let reg = Registration {
                username: "asker",
                email: "asker@example.com",
                password: "a-long-password-1",
            };
            create_user(c, &reg, Role::Member)?;
        }
        let user = forum_core::lookup::user_by_username(c, "asker")?;
        let title = format!("Where is the {word} setting?");
        let body = format!("I cannot find the {word} option anywhere in the settings page.");
        let input = AskInput {
            title: &title,
            body: &body,
            category_slug: "general",
            tags: "",
        };
        Ok::<_, forum_core::CoreError>(
            ask(
                c,
                &forum_core::policy::NoContract,
                &Actor::from_user(&user),
                &input,
            )?
            .id,
        )
    })
    .unwrap()
}

fn hits(index: &SearchIndex, word: &str) -> Vec<i64> {
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
        .map(|h| h.thread_id)
        .collect()
}

fn two_nodes_both_index_and_late_rows_are_caught(t: &TestDb) {
    let first = ask_question(t, "quokka");
    let (a, b) = (
        SearchIndex::in_memory().unwrap(),
        SearchIndex::in_memory().unwrap(),
    );
    let (mut fa, mut fb) = (Follower::open(None), Follower::open(None));
    assert_eq!(fa.step(&t.db, &a).unwrap(), 1);
    assert_eq!(
        fb.step(&t.db, &b).unwrap(),
        1,
        "node B follows with its own cursor"
    );
    assert_eq!(hits(&a, "quokka"), vec![first]);
    assert_eq!(hits(&b, "quokka"), vec![first]);
    assert_eq!(fa.step(&t.db, &a).unwrap(), 0, "nothing new");

    // A row that committed after the cursor moved past its id (out of id order on PostgreSQL).
    let late = ask_question(t, "wombat");
    let ahead = fa.cursor() + 50;
    fa.set_cursor(ahead).unwrap();
    assert_eq!(
        fa.step(&t.db, &a).unwrap(),
        1,
        "the recent window catches the late row"
    );
    assert_eq!(hits(&a, "wombat"), vec![late]);
    assert_eq!(fa.cursor(), ahead, "the cursor never moves back");
    assert_eq!(fa.step(&t.db, &a).unwrap(), 0, "and it is applied once");
}

#[test]
fn cursor_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Follower::open(Some(dir.path()));
    assert_eq!(f.cursor(), 0);
    f.set_cursor(42).unwrap();
    assert_eq!(Follower::open(Some(dir.path())).cursor(), 42);
}

forum_db::backend_tests!(two_nodes_both_index_and_late_rows_are_caught);
