//! Writing content through the services: revisions, validation, accounts, sanitised Markdown,
//! and the outbox rows written in the same transaction.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::accept::accept;
use forum_core::categories::parse_tags;
use forum_core::edit::EditInput;
use forum_core::lookup::tag_by_name;
use forum_core::threads::AskInput;
use forum_core::votes::VoteChoice;
use forum_core::CoreError;
use forum_db::ids::ThreadId;
use forum_db::models::{Comment, Thread};
use forum_db::outbox::{after, count_after, TOPIC_SEARCH};
use forum_db::schema::{comments, outbox, post_revisions, posts, tags, thread_tags, threads};
use forum_db::test_util::TestDb;
use forum_db::{write_tx, AnyConnection};

forum_db::backend_tests!(
    ask_creates_first_revision,
    ask_validation_names_the_field,
    tags_are_parsed_and_stored,
    markdown_is_sanitised_on_write,
    outbox_rows_follow_writes,
    rolled_back_write_leaves_nothing,
);

fn ask_creates_first_revision(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let th = ask_with(
        c,
        &alice,
        "  Why   does cargo rebuild  ",
        "Every build starts from scratch.",
        &cat.slug,
        "",
    )
    .unwrap();
    assert_eq!(
        th.title, "Why does cargo rebuild",
        "whitespace is collapsed"
    );
    assert_eq!(th.slug, "why-does-cargo-rebuild");
    assert_eq!(
        (th.answer_count, th.score, th.accepted_post_id),
        (0, 0, None)
    );
    let q = question_of(c, &th);
    assert!(q.is_question);
    assert_eq!(q.revision, 1);
    assert_eq!(q.edited_at, None);
    let revs = revisions(c, q.id).unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].revision, 1);
    assert_eq!(revs[0].title.as_deref(), Some("Why does cargo rebuild"));
    assert_eq!(revs[0].body_raw, "Every build starts from scratch.");
    assert_eq!(revs[0].editor_id, alice.id);
    assert_eq!(revs[0].reason, "");
}

fn ask_validation_names_the_field(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "asker");
    let s = cat.slug.as_str();
    let body = "A perfectly reasonable body.";
    let title = "A perfectly fine title";
    assert_eq!(invalid_field(ask_with(c, &u, "", body, s, "")), "title");
    assert_eq!(
        invalid_field(ask_with(c, &u, "   \t ", body, s, "")),
        "title"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, "1234567", body, s, "")),
        "title"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, &"t".repeat(151), body, s, "")),
        "title"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, &"b".repeat(30_001), s, "")),
        "body"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, "too short", s, "")),
        "body"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, "          ", s, "")),
        "body"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, body, "no-such-category", "")),
        "category"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, body, s, "a b c d e f")),
        "tags"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, body, s, "rust bad!tag")),
        "tags"
    );
    assert_eq!(
        invalid_field(ask_with(c, &u, title, body, s, &"x".repeat(26))),
        "tags"
    );
    // Nothing was written by the refusals.
    let n: i64 = threads::table.count().get_result(c).unwrap();
    assert_eq!(n, 0);
    // The boundaries themselves are accepted: 8-char title, 30 000-char body, 5 tags.
    let ok = ask_with(c, &u, "12345678", &"b".repeat(30_000), s, "a b c d e").unwrap();
    assert_eq!(ok.title, "12345678");
    assert_eq!(question_of(c, &ok).body_raw.len(), 30_000);
    // Answers and comments have their own limits.
    let a = actor(c, &u);
    assert_eq!(
        invalid_field(tx(c, |cn| answer(cn, &a, ok.id, "short"))),
        "body"
    );
    assert_eq!(
        invalid_field(tx(c, |cn| answer(cn, &a, ok.id, &"b".repeat(30_001)))),
        "body"
    );
    let q = question_of(c, &ok);
    assert_eq!(
        invalid_field(tx(c, |cn| comment(cn, &a, q.id, "x"))),
        "comment"
    );
    assert_eq!(
        invalid_field(tx(c, |cn| comment(cn, &a, q.id, &"c".repeat(1_001)))),
        "comment"
    );
    assert!(matches!(
        tx(c, |cn| answer(
            cn,
            &a,
            ThreadId(999_999),
            "A long enough answer."
        )),
        Err(CoreError::NotFound(_))
    ));
}

fn tags_are_parsed_and_stored(t: &TestDb) {
    assert_eq!(
        parse_tags("Rust, #Diesel  rust c++").unwrap(),
        vec!["rust", "diesel", "c++"]
    );
    assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    assert_eq!(
        parse_tags("a,b,c,d,e,a").unwrap().len(),
        5,
        "duplicates do not count twice"
    );
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "asker");
    let t1 = ask_tagged(c, &u, &cat, "Rust diesel");
    let t2 = ask_tagged(c, &u, &cat, "rust sqlite");
    let rust = tag_by_name(c, "RUST").unwrap();
    assert_eq!(rust.name, "rust");
    let tag_count: i64 = tags::table.count().get_result(c).unwrap();
    assert_eq!(tag_count, 3, "an existing tag is reused");
    let mut on_rust: Vec<ThreadId> = thread_tags::table
        .filter(thread_tags::tag_id.eq(rust.id))
        .select(thread_tags::thread_id)
        .load(c)
        .unwrap();
    on_rust.sort();
    assert_eq!(on_rust, vec![t1.id, t2.id]);
}

/// The opening tags of an HTML string, lower-cased (`<a href=...>`, `<p>`, ...).
fn tags_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i..];
        let end = after.find('>').map_or(after.len(), |j| j + 1);
        out.push(after[..end].to_lowercase());
        rest = &after[end..];
    }
    out
}

fn assert_safe(html: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("javascript:"), "{html}");
    for tag in tags_in(html) {
        assert!(
            !tag.contains("onerror") && !tag.contains("onload"),
            "event handler in {tag} of {html}"
        );
        assert!(
            !tag.starts_with("<img") && !tag.starts_with("<script"),
            "user tag {tag} in {html}"
        );
    }
}

fn markdown_is_sanitised_on_write(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    let vectors = [
        "Look: <script>alert(1)</script> please help",
        "An image <img src=x onerror=alert(1)> in here",
        "A link [x](javascript:alert(1)) in here",
    ];
    let all = vectors.join("\n\n");
    let mut bodies: Vec<String> = vectors.iter().map(|s| s.to_string()).collect();
    bodies.push(all.clone());
    for body in &bodies {
        let th = ask_with(c, &alice, "A question with markup", body, &cat.slug, "").unwrap();
        let q = question_of(c, &th);
        assert_eq!(&q.body_raw, body, "the Markdown is kept verbatim");
        assert_safe(&q.body_html);
        let b = actor(c, &bob);
        let a = tx(c, |cn| answer(cn, &b, th.id, body)).unwrap();
        assert_eq!(&a.body_raw, body);
        assert_safe(&a.body_html);
        let cid = tx(c, |cn| comment(cn, &b, a.id, body)).unwrap();
        let stored: Comment = comments::table
            .find(cid)
            .select(Comment::as_select())
            .first(c)
            .unwrap();
        assert_eq!(&stored.body_raw, body);
        assert_safe(&stored.body_html);
        // Edits are cooked the same way.
        let a_actor = actor(c, &alice);
        let edited_body = format!("{body}\n\nedited");
        let input = EditInput {
            title: None,
            body: &edited_body,
            reason: "",
        };
        let e = tx(c, |cn| edit(cn, &a_actor, q.id, &input)).unwrap();
        assert_eq!(e.body_raw, edited_body);
        assert_safe(&e.body_html);
    }
    // The exact cooked forms: user HTML becomes text, a javascript: link loses its href.
    let th = ask_with(c, &alice, "Exact cooked forms", vectors[0], &cat.slug, "").unwrap();
    assert_eq!(
        question_of(c, &th).body_html,
        "<p>Look: &lt;script&gt;alert(1)&lt;/script&gt; please help</p>\n"
    );
    let th = ask_with(c, &alice, "Exact cooked link", vectors[2], &cat.slug, "").unwrap();
    let html = question_of(c, &th).body_html;
    assert!(html.contains(">x</a>"), "{html}");
    assert!(!html.contains("href"), "{html}");
    let th = ask_with(c, &alice, "Exact cooked image", vectors[1], &cat.slug, "").unwrap();
    let html = question_of(c, &th).body_html;
    assert!(html.contains("&lt;img"), "the tag is shown as text: {html}");
    // A low-trust author's links are nofollow.
    let th = ask_with(
        c,
        &alice,
        "Links from a new member",
        "See https://example.com/docs for more.",
        &cat.slug,
        "",
    )
    .unwrap();
    let html = question_of(c, &th).body_html;
    assert!(html.contains("href=\"https://example.com/docs\""), "{html}");
    assert!(html.contains("nofollow"), "{html}");
}

fn search_payloads(c: &mut AnyConnection) -> Vec<String> {
    after(c, TOPIC_SEARCH, 0, 1000)
        .unwrap()
        .into_iter()
        .map(|r| r.payload)
        .collect()
}

fn outbox_rows_follow_writes(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let bob = user(c, "bob");
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 0);
    let th = ask_in(c, &alice, &cat);
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 1);
    let a = answer_by(c, &bob, &th);
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 2);
    let b = actor(c, &bob);
    let input = EditInput {
        title: None,
        body: "An edited answer body.",
        reason: "",
    };
    tx(c, |cn| edit(cn, &b, a.id, &input)).unwrap();
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 3);
    let al = actor(c, &alice);
    tx(c, |cn| accept(cn, &al, a.id)).unwrap();
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 4);
    // A question vote changes the thread's score, which the index holds.
    cast_q(c, &bob, &th, VoteChoice::Up).unwrap();
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 5);
    // A comment does not touch the index.
    tx(c, |cn| comment(cn, &b, a.id, "Thanks, that worked!")).unwrap();
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 5);
    let id = th.id.to_string();
    assert_eq!(
        search_payloads(c),
        vec![id.clone(), id.clone(), id.clone(), id.clone(), id]
    );
    // A refused write enqueues nothing.
    let input = EditInput {
        title: None,
        body: "An edited answer body.",
        reason: "",
    };
    assert!(tx(c, |cn| edit(cn, &b, a.id, &input)).is_err());
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 5);
}

fn rolled_back_write_leaves_nothing(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let alice = user(c, "alice");
    let a = actor(c, &alice);
    let input = AskInput {
        title: "A question that never was",
        body: "This body is rolled back.",
        category_slug: &cat.slug,
        tags: "ghost",
    };
    let r: Result<Thread, CoreError> = write_tx(c, |cn| {
        ask(cn, &a, &input)?;
        assert_eq!(
            count_after(cn, TOPIC_SEARCH, 0).unwrap(),
            1,
            "visible inside the transaction"
        );
        Err(CoreError::Conflict("boom".into()))
    });
    assert!(matches!(r, Err(CoreError::Conflict(ref m)) if m == "boom"));
    let count = |c: &mut AnyConnection| -> [i64; 6] {
        [
            threads::table.count().get_result(c).unwrap(),
            posts::table.count().get_result(c).unwrap(),
            post_revisions::table.count().get_result(c).unwrap(),
            tags::table.count().get_result(c).unwrap(),
            thread_tags::table.count().get_result(c).unwrap(),
            outbox::table.count().get_result(c).unwrap(),
        ]
    };
    assert_eq!(count(c), [0; 6]);
    assert_eq!(count_after(c, TOPIC_SEARCH, 0).unwrap(), 0);
    // A failure part-way through a multi-step write also undoes the first step.
    let r: Result<(), CoreError> = write_tx(c, |cn| {
        let th = ask(cn, &a, &input)?;
        answer(cn, &a, th.id, "short")?;
        Ok(())
    });
    assert_eq!(invalid_field(r), "body");
    assert_eq!(count(c), [0; 6]);
    // The connection is usable afterwards and a committed write shows up.
    let th = write_tx(c, |cn| ask(cn, &a, &input)).unwrap();
    assert_eq!(count(c), [1, 1, 1, 1, 1, 1]);
    assert_eq!(search_payloads(c), vec![th.id.to_string()]);
}
