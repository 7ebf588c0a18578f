//! Input the databases cannot store: NUL bytes. PostgreSQL refuses them in text, SQLite would
//! keep them; both backends answer them as invalid input on every write and login, and as
//! "not found" for a lookup key, never as a database error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::accounts::{authenticate, register, Registration};
use forum_core::threads::AskInput;
use forum_core::CoreError;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(nul_bytes_are_invalid_input);

/// PostgreSQL refuses NUL in text; both backends answer it as invalid input (or "not found"
/// for a lookup key), never as a database error.
fn nul_bytes_are_invalid_input(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let u = user(c, "nul");
    let a = actor(c, &u);
    let good_title = "A perfectly good title";
    let good_body = "A perfectly good body text.";
    for (title, body, tags, field) in [
        ("Title with \0 inside", good_body, "", "title"),
        (good_title, "Body with \0 inside it", "", "body"),
        (good_title, good_body, "ok bad\0tag", "tags"),
    ] {
        let input = AskInput {
            title,
            body,
            category_slug: &cat.slug,
            tags,
        };
        assert_eq!(invalid_field(tx(c, |cn| ask(cn, &a, &input))), field);
    }
    let thread = ask_in(c, &u, &cat);
    assert_eq!(
        invalid_field(answer(c, &a, thread.id, "An answer \0 here")),
        "body"
    );
    let reg = Registration {
        username: "nulname",
        email: "nul\0@example.com",
        password: PASSWORD,
    };
    assert_eq!(invalid_field(register(c, &reg)), "email");
    assert!(matches!(
        authenticate(c, "some\0one", PASSWORD),
        Err(CoreError::Validation { field: "login", .. })
    ));
    assert!(matches!(
        forum_core::lookup::user_by_username(c, "a\0b"),
        Err(CoreError::NotFound(_))
    ));
    assert!(matches!(
        forum_core::lookup::category_by_slug(c, "x\0"),
        Err(CoreError::NotFound(_))
    ));
}
