//! Accounts through the services: case-insensitive unique names, emails not revealed, sign-in
//! by name or email.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::accounts::{authenticate, register, Registered, Registration};
use forum_core::CoreError;
use forum_db::test_util::TestDb;

forum_db::backend_tests!(duplicate_accounts_conflict, authenticate_by_name_or_email);

fn duplicate_accounts_conflict(t: &TestDb) {
    let c = &mut conn(t);
    let reg = |username, email| Registration {
        username,
        email,
        password: PASSWORD,
    };
    let first = created(register(c, &reg("Alice_X", "Alice@Example.com")));
    assert_eq!(first.username, "Alice_X");
    assert_eq!(first.username_lower, "alice_x");
    assert_eq!(first.email_lower, "alice@example.com");
    assert_eq!(
        (first.role.as_str(), first.reputation, first.trust_level.0),
        ("member", 1, 0)
    );
    match register(c, &reg("alice_x", "other@example.com")) {
        Err(CoreError::Conflict(m)) => assert_eq!(m, "That username is taken"),
        other => panic!("expected a username conflict, got {other:?}"),
    }
    // A taken email is not told to the visitor (it would reveal who has an account).
    match register(c, &reg("someone", "alice@EXAMPLE.com")) {
        Ok(Registered::EmailInUse) => {}
        other => panic!("expected EmailInUse, got {other:?}"),
    }
    // Validation comes first and names its field.
    assert_eq!(
        invalid_field(register(c, &reg("ab", "ab@example.com"))),
        "username"
    );
    assert_eq!(
        invalid_field(register(c, &reg("bad name", "bn@example.com"))),
        "username"
    );
    assert_eq!(
        invalid_field(register(c, &reg("_under", "u@example.com"))),
        "username"
    );
    assert_eq!(
        invalid_field(register(c, &reg("goodname", "not-an-email"))),
        "email"
    );
    let short = Registration {
        username: "goodname",
        email: "g@example.com",
        password: "123456789",
    };
    assert_eq!(invalid_field(register(c, &short)), "password");
    let same = Registration {
        username: "samesame12",
        email: "s@example.com",
        password: "SAMESAME12",
    };
    assert_eq!(invalid_field(register(c, &same)), "password");
    let n: i64 = forum_db::schema::users::table
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(n, 1);
}

fn authenticate_by_name_or_email(t: &TestDb) {
    let c = &mut conn(t);
    let u = created(register(
        c,
        &Registration {
            username: "Dana",
            email: "Dana@Example.com",
            password: PASSWORD,
        },
    ));
    assert!(
        u.password_hash.starts_with("$argon2id$"),
        "{}",
        u.password_hash
    );
    assert!(!u.password_hash.contains(PASSWORD));
    assert_eq!(authenticate(c, "dana", PASSWORD).unwrap().id, u.id);
    assert_eq!(authenticate(c, "  DANA ", PASSWORD).unwrap().id, u.id);
    assert_eq!(
        authenticate(c, "dana@example.com", PASSWORD).unwrap().id,
        u.id
    );
    assert_eq!(
        authenticate(c, "DANA@EXAMPLE.COM", PASSWORD).unwrap().id,
        u.id
    );
    let wrong = authenticate(c, "dana", "wrong password!").unwrap_err();
    let unknown = authenticate(c, "nobody", PASSWORD).unwrap_err();
    let too_long = authenticate(c, "dana", &"p".repeat(300)).unwrap_err();
    for e in [&wrong, &unknown, &too_long] {
        match e {
            CoreError::Validation { field, .. } => assert_eq!(*field, "login"),
            other => panic!("expected a login validation error, got {other:?}"),
        }
    }
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), too_long.to_string());
    assert_eq!(wrong.to_string(), "Wrong username, email or password");
}
