//! Test factories shared by every crate's tests (behind the `test-util` feature, so no release
//! build carries them): users with unique names, categories, questions and answers written
//! through the services inside `write_tx`, and small readers for the ledger. Each one panics with
//! what failed, because a factory that cannot build its fixture has nothing to return to a test.

// A factory's failure is the test's failure: panicking here is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::accounts::{create_user, Registered, Registration};
use crate::categories::{create_category, CategoryInput};
use crate::edit::EditInput;
use crate::lookup::{post_by_id, thread_by_id};
use crate::policy::NoContract;
use crate::reputation::events_for;
use crate::threads::AskInput;
use crate::visibility::Visibility;
use crate::votes::{vote, VoteChoice};
use crate::{Actor, CoreError, CoreResult, Role};
use diesel::prelude::*;
use forum_db::ids::{CommentId, PostId, ThreadId};
use forum_db::models::{Category, Post, ReputationEvent, Thread, User};
use forum_db::schema::{posts, users};
use forum_db::test_util::TestDb;
use forum_db::{write_tx, AnyConnection, DbConn};

/// Every test user gets this password.
pub const PASSWORD: &str = "correct horse battery";

static SEQ: AtomicUsize = AtomicUsize::new(1);

/// A number never handed out before in this test binary.
pub fn next_seq() -> usize {
    SEQ.fetch_add(1, Ordering::SeqCst)
}

/// A pooled connection to the test database.
pub fn conn(t: &TestDb) -> DbConn {
    t.db.conn().expect("pooled connection")
}

/// Runs service calls in one write transaction (services join it).
pub fn tx<T>(
    conn: &mut AnyConnection,
    f: impl FnMut(&mut AnyConnection) -> CoreResult<T>,
) -> CoreResult<T> {
    write_tx(conn, f)
}

/// A member with a unique username (`prefix` + a sequence number; keep `prefix` ≤ 12 chars).
pub fn user(conn: &mut AnyConnection, prefix: &str) -> User {
    user_with_role(conn, prefix, Role::Member)
}

/// An account with a role and a unique username.
pub fn user_with_role(conn: &mut AnyConnection, prefix: &str, role: Role) -> User {
    let n = next_seq();
    let username = format!("{prefix}{n}");
    let email = format!("{prefix}{n}@example.com");
    tx(conn, |c| {
        create_user(
            c,
            &Registration {
                username: &username,
                email: &email,
                password: PASSWORD,
            },
            role,
        )
    })
    .unwrap_or_else(|e| panic!("create user {username}: {e:?}"))
}

/// Awards `u` the badges a first question, answer or upvote earns and clears their
/// notifications, so a test of notifications sees only the ones it is about.
pub fn without_first_badges(conn: &mut AnyConnection, u: &User) {
    use crate::badges::award;
    use forum_db::schema::{notification_counts, notifications};
    use forum_db::types::Badge;
    for badge in [
        Badge::FirstQuestion,
        Badge::FirstAnswer,
        Badge::FirstAcceptedAnswer,
        Badge::Teacher,
    ] {
        tx(conn, |c| award(c, u.id, badge, 0)).expect("award");
    }
    diesel::delete(notifications::table.filter(notifications::user_id.eq(u.id)))
        .execute(conn)
        .expect("clear notifications");
    diesel::delete(notification_counts::table.filter(notification_counts::user_id.eq(u.id)))
        .execute(conn)
        .expect("clear the counter");
}

/// The user row as stored now (reputation and trust level change under the ledger).
pub fn reload(conn: &mut AnyConnection, u: &User) -> User {
    users::table
        .find(u.id)
        .select(User::as_select())
        .first(conn)
        .expect("reload user")
}

/// A fresh actor for a user (reloads it, because `Actor` caches reputation).
pub fn actor(conn: &mut AnyConnection, u: &User) -> Actor {
    let user = reload(conn, u);
    crate::actor::load(conn, &user).expect("load actor")
}

/// The cached reputation of a user.
pub fn rep(conn: &mut AnyConnection, u: &User) -> i64 {
    reload(conn, u).reputation
}

/// The cached trust level of a user.
pub fn trust(conn: &mut AnyConnection, u: &User) -> i32 {
    reload(conn, u).trust_level.0
}

/// A category of `kind` with a unique slug.
pub fn category(conn: &mut AnyConnection, kind: &str) -> Category {
    let slug = format!("{kind}-{}", next_seq());
    tx(conn, |c| {
        create_category(
            c,
            &CategoryInput {
                slug: &slug,
                name: &slug,
                description: "for tests",
                kind: kind.parse().expect("a category kind"),
                position: 0,
            },
        )
    })
    .unwrap_or_else(|e| panic!("create category {slug}: {e:?}"))
}

/// Asks a question with a unique title in `cat`.
pub fn ask_in(conn: &mut AnyConnection, u: &User, cat: &Category) -> Thread {
    ask_tagged(conn, u, cat, "")
}

/// Asks a question with tags.
pub fn ask_tagged(conn: &mut AnyConnection, u: &User, cat: &Category, tags: &str) -> Thread {
    let n = next_seq();
    let title = format!("How do I configure thing number {n}");
    let body = format!("I tried everything for thing {n} and it still fails.");
    let a = actor(conn, u);
    tx(conn, |c| {
        ask(
            c,
            &a,
            &AskInput {
                title: &title,
                body: &body,
                category_slug: &cat.slug,
                tags,
            },
        )
    })
    .unwrap_or_else(|e| panic!("ask: {e:?}"))
}

/// Answers a thread with a unique body.
pub fn answer_by(conn: &mut AnyConnection, u: &User, thread: &Thread) -> Post {
    let body = format!("Try turning it off and on again ({}).", next_seq());
    let a = actor(conn, u);
    tx(conn, |c| answer(c, &a, thread.id, &body)).unwrap_or_else(|e| panic!("answer: {e:?}"))
}

/// The question post of a thread.
pub fn question_of(conn: &mut AnyConnection, thread: &Thread) -> Post {
    posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::is_question.eq(true))
        .select(Post::as_select())
        .first(conn)
        .expect("question post")
}

/// A post as stored now.
pub fn post_now(conn: &mut AnyConnection, p: &Post) -> Post {
    post_by_id(conn, p.id).expect("post")
}

/// A thread as stored now.
pub fn thread_now(conn: &mut AnyConnection, t: &Thread) -> Thread {
    thread_by_id(conn, t.id).expect("thread")
}

/// Casts a vote with a freshly loaded actor, inside a write transaction.
pub fn cast(
    conn: &mut AnyConnection,
    voter: &User,
    post: &Post,
    choice: VoteChoice,
) -> CoreResult<i64> {
    let a = actor(conn, voter);
    tx(conn, |c| vote(c, &NoContract, &a, post.id, choice))
}

/// All ledger events of a user, newest first.
pub fn events(conn: &mut AnyConnection, u: &User) -> Vec<ReputationEvent> {
    events_for(conn, u.id, 10_000).expect("events")
}

/// `1 + Σ delta` of a user's ledger.
pub fn ledger_rep(conn: &mut AnyConnection, u: &User) -> i64 {
    1 + events(conn, u).iter().map(|e| e.delta).sum::<i64>()
}

/// The field of a validation error, or a panic naming what came instead.
pub fn invalid_field<T: std::fmt::Debug>(r: CoreResult<T>) -> &'static str {
    match r {
        Err(CoreError::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Asserts a result is `Forbidden`.
pub fn assert_forbidden<T: std::fmt::Debug>(r: CoreResult<T>) {
    match r {
        Err(CoreError::Forbidden(_)) => {}
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

/// Votes on a thread's question.
pub fn cast_q(
    conn: &mut AnyConnection,
    voter: &User,
    thread: &Thread,
    choice: VoteChoice,
) -> CoreResult<i64> {
    let q = question_of(conn, thread);
    cast(conn, voter, &q, choice)
}

/// The member a registration created (panics on `EmailInUse` or an error).
pub fn created(r: CoreResult<Registered>) -> User {
    match r {
        Ok(Registered::Created(u)) => *u,
        other => panic!("expected a new member, got {other:?}"),
    }
}

/// `threads::ask` under no contract (the contract's own tests live in `moderation`).
pub fn ask(c: &mut AnyConnection, actor: &Actor, input: &AskInput<'_>) -> CoreResult<Thread> {
    crate::threads::ask(c, &NoContract, actor, input)
}

/// `posts::answer` under no contract.
pub fn answer(
    c: &mut AnyConnection,
    actor: &Actor,
    thread_id: ThreadId,
    body: &str,
) -> CoreResult<Post> {
    crate::posts::answer(c, &NoContract, actor, thread_id, body)
}

/// `posts::comment` under no contract.
pub fn comment(
    c: &mut AnyConnection,
    actor: &Actor,
    post_id: PostId,
    body: &str,
) -> CoreResult<CommentId> {
    crate::posts::comment(c, &NoContract, actor, post_id, body)
}

/// `edit::edit` under no contract.
pub fn edit(
    c: &mut AnyConnection,
    actor: &Actor,
    post_id: PostId,
    input: &EditInput<'_>,
) -> CoreResult<Post> {
    match crate::edit::edit(c, &NoContract, actor, post_id, input)? {
        crate::edit::Edited::Applied(post) => Ok(post),
        crate::edit::Edited::Suggested(s) => Err(CoreError::forbidden(format!(
            "suggested instead (#{})",
            s.id.0
        ))),
    }
}

/// Every revision as the public sees them.
pub fn revisions(
    c: &mut AnyConnection,
    post_id: PostId,
) -> CoreResult<Vec<forum_db::models::PostRevision>> {
    crate::edit::revisions(c, Visibility::public(), post_id)
}

/// Asks with explicit title, body, category and tags (the validation tests vary each).
pub fn ask_with(
    conn: &mut AnyConnection,
    u: &forum_db::models::User,
    title: &str,
    body: &str,
    category_slug: &str,
    tags: &str,
) -> crate::CoreResult<Thread> {
    let a = actor(conn, u);
    tx(conn, |c| {
        ask(
            c,
            &a,
            &AskInput {
                title,
                body,
                category_slug,
                tags,
            },
        )
    })
}
