//! Editing through the services: every revision kept newest first, titles only on questions,
//! empty edits refused, a title edit moves the slug.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::edit::EditInput;
use forum_core::CoreError;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(
    edit_keeps_revisions_newest_first,
    edit_answer_has_no_title,
    edit_that_changes_nothing_is_refused,
    title_edit_changes_slug,
);

fn edit_keeps_revisions_newest_first(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let th = ask_with(
        c,
        &alice,
        "Original question title",
        "The original body text.",
        &cat.slug,
        "",
    )
    .unwrap();
    let q = question_of(c, &th);
    let a = actor(c, &alice);
    let input = EditInput {
        title: Some("Improved question title"),
        body: "The improved body text.",
        reason: " typo ",
    };
    let edited = tx(c, |cn| edit(cn, &a, q.id, &input)).unwrap();
    assert_eq!(edited.revision, 2);
    assert!(edited.edited_at.is_some());
    assert!(edited.edited_at.unwrap() >= q.created_at);
    assert_eq!(edited.body_raw, "The improved body text.");
    assert_eq!(edited.body_html, "<p>The improved body text.</p>\n");
    assert_eq!(edited.body_text, "The improved body text.");
    assert_eq!(post_now(c, &q).revision, 2);
    let revs = revisions(c, q.id).unwrap();
    assert_eq!(
        revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(revs[0].title.as_deref(), Some("Improved question title"));
    assert_eq!(revs[0].body_raw, "The improved body text.");
    assert_eq!(revs[0].reason, "typo", "the reason is trimmed");
    assert_eq!(revs[1].title.as_deref(), Some("Original question title"));
    assert_eq!(revs[1].body_raw, "The original body text.");
    // A body-only edit on a question keeps the current title in the new revision.
    let input = EditInput {
        title: None,
        body: "The third body text.",
        reason: "",
    };
    let third = tx(c, |cn| edit(cn, &a, q.id, &input)).unwrap();
    assert_eq!(third.revision, 3);
    let revs = revisions(c, q.id).unwrap();
    assert_eq!(
        revs.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![3, 2, 1]
    );
    assert_eq!(revs[0].title.as_deref(), Some("Improved question title"));
    assert_eq!(thread_now(c, &th).title, "Improved question title");
    // An over-long reason is refused.
    let long = "r".repeat(301);
    let input = EditInput {
        title: None,
        body: "A fourth body text.",
        reason: &long,
    };
    assert_eq!(
        invalid_field(tx(c, |cn| edit(cn, &a, q.id, &input))),
        "reason"
    );
    assert_eq!(post_now(c, &q).revision, 3);
}

fn edit_answer_has_no_title(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let th = ask_in(c, &alice, &cat);
    let ans = answer_by(c, &bob, &th);
    let revs = revisions(c, ans.id).unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].title, None);
    let b = actor(c, &bob);
    // A title on an answer edit is ignored.
    let input = EditInput {
        title: Some("Sneaky new thread title"),
        body: "A better answer body.",
        reason: "",
    };
    let edited = tx(c, |cn| edit(cn, &b, ans.id, &input)).unwrap();
    assert_eq!(edited.revision, 2);
    let revs = revisions(c, ans.id).unwrap();
    assert_eq!(revs[0].title, None);
    assert_eq!(revs[0].body_raw, "A better answer body.");
    assert_eq!(thread_now(c, &th).title, th.title);
    assert_eq!(thread_now(c, &th).slug, th.slug);
}

fn edit_that_changes_nothing_is_refused(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let th = ask_with(
        c,
        &alice,
        "Nothing changes here",
        "Same body as before.",
        &cat.slug,
        "",
    )
    .unwrap();
    let q = question_of(c, &th);
    let a = actor(c, &alice);
    for title in [
        None,
        Some("Nothing changes here"),
        Some("  Nothing   changes here "),
    ] {
        let input = EditInput {
            title,
            body: "Same body as before.",
            reason: "no-op",
        };
        let r = tx(c, |cn| edit(cn, &a, q.id, &input));
        match r {
            Err(CoreError::Validation { field, message }) => {
                assert_eq!(field, "body");
                assert_eq!(message, "Nothing changed");
            }
            other => panic!("expected 'nothing changed', got {other:?}"),
        }
    }
    assert_eq!(post_now(c, &q).revision, 1);
    assert_eq!(post_now(c, &q).edited_at, None);
    assert_eq!(revisions(c, q.id).unwrap().len(), 1);
}

fn title_edit_changes_slug(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let th = ask_with(
        c,
        &alice,
        "How to configure nginx",
        "Nginx keeps returning 502.",
        &cat.slug,
        "",
    )
    .unwrap();
    assert_eq!(th.slug, "how-to-configure-nginx");
    let q = question_of(c, &th);
    let a = actor(c, &alice);
    // Only the title changes: still a real edit.
    let input = EditInput {
        title: Some("Configuring Caddy as a reverse proxy"),
        body: &q.body_raw,
        reason: "",
    };
    let edited = tx(c, |cn| edit(cn, &a, q.id, &input)).unwrap();
    assert_eq!(edited.revision, 2);
    let now = thread_now(c, &th);
    assert_eq!(now.title, "Configuring Caddy as a reverse proxy");
    assert_eq!(now.slug, "configuring-caddy-as-a-reverse-proxy");
    let revs = revisions(c, q.id).unwrap();
    assert_eq!(
        revs[0].title.as_deref(),
        Some("Configuring Caddy as a reverse proxy")
    );
    assert_eq!(revs[0].body_raw, "Nginx keeps returning 502.");
    // A title that fails validation leaves everything alone.
    let input = EditInput {
        title: Some("short"),
        body: "Nginx keeps returning 503.",
        reason: "",
    };
    assert_eq!(
        invalid_field(tx(c, |cn| edit(cn, &a, q.id, &input))),
        "title"
    );
    assert_eq!(
        thread_now(c, &th).slug,
        "configuring-caddy-as-a-reverse-proxy"
    );
}
