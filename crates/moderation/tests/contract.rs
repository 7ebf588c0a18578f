//! The contract applied through the domain's write services, on both databases: a new member's
//! pace holds under parallel requests, comments count towards it, an edit meets the same link
//! limit as a new post, and the system actor and moderators are exempt.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use diesel::prelude::*;
use forum_core::edit::EditInput;
use forum_core::testing::{category, user, user_with_role};
use forum_core::threads::AskInput;
use forum_core::{Actor, CoreError, Role};
use forum_db::models::{Thread, User};
use forum_db::schema::posts;
use forum_db::test_util::TestDb;
use forum_db::{AnyConnection, Db};
use moderation::limits::PostingLimits;
use moderation::ContractPolicy;

forum_db::backend_tests!(
    parallel_posts_respect_the_new_member_quota,
    comments_count_towards_the_pace,
    edits_meet_the_link_limit,
    system_actor_and_moderators_are_exempt
);

fn setup(c: &mut AnyConnection) -> (User, Thread) {
    let cat = category(c, "questions");
    let newcomer = user(c, "newcomer");
    let old = user_with_role(c, "oldtimer", Role::Moderator);
    let thread = forum_core::threads::ask(
        c,
        &ContractPolicy::default(),
        &Actor::from_user(&old),
        &AskInput {
            title: "Where do I find the invoices?",
            body: "I cannot find last month's invoice anywhere.",
            category_slug: &cat.slug,
            tags: "",
        },
    )
    .unwrap();
    (newcomer, thread)
}

fn parallel_posts_respect_the_new_member_quota(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let (newcomer, thread) = setup(c);
    let policy = ContractPolicy::default();
    let quota = PostingLimits::default().new_user_posts_per_window as usize;
    let actor = Actor::from_user(&newcomer);
    let db = Db::connect_without_migrating(&t.url, 22).unwrap();
    let gate = Arc::new(Barrier::new(20));
    let outcomes: Vec<Result<(), CoreError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let (db, gate, actor, policy) = (db.clone(), gate.clone(), &actor, &policy);
                s.spawn(move || {
                    let mut conn = db.conn().unwrap();
                    gate.wait();
                    let body = format!("Answer number {i}: look under Settings, then Billing.");
                    forum_core::posts::answer(&mut conn, policy, actor, thread.id, &body)
                        .map(|_| ())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(accepted, quota, "exactly the quota gets through");
    for o in outcomes.iter().filter(|o| o.is_err()) {
        assert!(
            matches!(o, Err(CoreError::RateLimited { retry_after_secs, .. }) if *retry_after_secs > 0),
            "{o:?}"
        );
    }
    let stored: i64 = posts::table
        .filter(posts::author_id.eq(newcomer.id))
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(stored as usize, quota);
}

fn comments_count_towards_the_pace(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let (newcomer, thread) = setup(c);
    let policy = ContractPolicy::default();
    let actor = Actor::from_user(&newcomer);
    let question = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .select(posts::id)
        .first::<forum_db::ids::PostId>(c)
        .unwrap();
    let quota = PostingLimits::default().new_user_posts_per_window;
    for i in 0..quota {
        forum_core::posts::comment(c, &policy, &actor, question, &format!("Me too ({i})")).unwrap();
    }
    let refused = forum_core::posts::comment(c, &policy, &actor, question, "One more comment");
    assert!(
        matches!(refused, Err(CoreError::RateLimited { .. })),
        "{refused:?}"
    );
    let answer = forum_core::posts::answer(
        c,
        &policy,
        &actor,
        thread.id,
        "An answer after five comments is over the pace too.",
    );
    assert!(
        matches!(answer, Err(CoreError::RateLimited { .. })),
        "{answer:?}"
    );
}

fn edits_meet_the_link_limit(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let (newcomer, thread) = setup(c);
    let policy = ContractPolicy::default();
    let actor = Actor::from_user(&newcomer);
    let post = forum_core::posts::answer(
        c,
        &policy,
        &actor,
        thread.id,
        "Look in the billing section of the settings.",
    )
    .unwrap();
    let spam = "See https://a.example https://b.example https://c.example for details.";
    let new_post = forum_core::posts::answer(c, &policy, &actor, thread.id, spam);
    assert!(
        matches!(&new_post, Err(CoreError::Validation { field: "body", .. })),
        "{new_post:?}"
    );
    let edit = forum_core::edit::edit(
        c,
        &policy,
        &actor,
        post.id,
        &EditInput {
            title: None,
            body: spam,
            reason: "",
        },
    );
    assert!(
        matches!(&edit, Err(CoreError::Validation { field: "body", .. })),
        "an edit may not add what a new post may not have: {edit:?}"
    );
}

fn system_actor_and_moderators_are_exempt(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let (newcomer, thread) = setup(c);
    let policy = ContractPolicy::default();
    let system = Actor::system_as(&newcomer);
    let spam = "Imported: https://a.example https://b.example https://c.example and more.";
    for i in 0..8 {
        forum_core::posts::answer(c, &policy, &system, thread.id, &format!("{spam} ({i})"))
            .unwrap();
    }
    let moderator = user_with_role(c, "keeper", Role::Moderator);
    let m = Actor::from_user(&moderator);
    for i in 0..8 {
        forum_core::posts::answer(c, &policy, &m, thread.id, &format!("{spam} [{i}]")).unwrap();
    }
}
