//! Soft deletion through the one visibility rule, on both databases: a deleted post leaves the
//! thread page, lists, the profile, search hits and the indexer's view for everyone but
//! moderators; its ledger events are reversed; permissions hold.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use forum_core::deletion::{delete_post, Deleted};
use forum_core::queries::indexable_threads;
use forum_core::queries::profile;
use forum_core::queries::{list_threads, ThreadFilter};
use forum_core::queries::{thread_links, thread_page};
use forum_core::visibility::Visibility;
use forum_core::votes::VoteChoice;
use forum_core::{Actor, CoreError, Role};
use forum_db::test_util::TestDb;

forum_db::backend_tests!(
    deleted_answer_leaves_every_read_path,
    deleted_question_removes_the_thread,
    who_may_delete,
    deleted_posts_take_no_more_actions
);

fn staff_view() -> Visibility {
    Visibility {
        include_deleted: true,
    }
}

fn deleted_answer_leaves_every_read_path(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    cast(c, &asker, &answer, VoteChoice::Up).unwrap();
    let a = actor(c, &asker);
    tx(c, |cn| forum_core::accept::accept(cn, &a, answer.id)).unwrap();
    assert_eq!(rep(c, &helper), 1 + 10 + 15);

    let h = actor(c, &helper);
    let gone = delete_post(c, &h, answer.id).unwrap();
    assert_eq!(
        gone,
        Deleted::Answer {
            thread_id: thread.id
        }
    );

    assert_eq!(rep(c, &helper), 1, "upvote and acceptance reversed");
    assert_eq!(
        rep(c, &asker),
        1,
        "the asker's +2 for accepting reversed too"
    );
    assert_eq!(ledger_rep(c, &helper), 1);
    let now = thread_now(c, &thread);
    assert_eq!((now.answer_count, now.accepted_post_id), (0, None));
    assert!(now.solved_at.is_none());

    let public = thread_page(c, thread.id, None).unwrap();
    assert!(public.answers.is_empty(), "anonymous readers do not see it");
    let asker_now = actor(c, &asker);
    let member = thread_page(c, thread.id, Some(&asker_now)).unwrap();
    assert!(member.answers.is_empty(), "members do not see it");
    let moder_now = actor(c, &moder);
    let staff = thread_page(c, thread.id, Some(&moder_now)).unwrap();
    assert_eq!(staff.answers.len(), 1, "moderators still see it");
    assert!(staff.answers[0].post.deleted_at.is_some());

    let p = profile(c, Visibility::public(), &helper.username).unwrap();
    assert_eq!((p.answer_count, p.answers.len()), (0, 0));
    assert!(p.event_threads.is_empty(), "events link to no deleted post");
    let p = profile(c, staff_view(), &helper.username).unwrap();
    assert_eq!(p.answer_count, 1);

    let doc = &indexable_threads(c, &[thread.id]).unwrap()[0];
    assert!(
        !doc.body.contains("Try turning it off"),
        "the index loses its text"
    );
    assert!(!doc.solved);
}

fn deleted_question_removes_the_thread(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let voter = user(c, "voter");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &asker, &cat);
    let other = ask_in(c, &voter, &cat);
    cast_q(c, &voter, &thread, VoteChoice::Up).unwrap();
    assert_eq!(rep(c, &asker), 6);
    let a = actor(c, &asker);
    let question = question_of(c, &thread);
    assert_eq!(
        delete_post(c, &a, question.id).unwrap(),
        Deleted::Thread {
            thread_id: thread.id
        }
    );
    assert_eq!(rep(c, &asker), 1, "the question's upvote is reversed");

    let listed = |c: &mut forum_db::AnyConnection, vis| {
        let f = ThreadFilter {
            category_id: Some(cat.id),
            visibility: vis,
            page: 1,
            per_page: 30,
            ..Default::default()
        };
        let ids: Vec<forum_db::ids::ThreadId> = list_threads(c, &f)
            .unwrap()
            .0
            .iter()
            .map(|s| s.thread.id)
            .collect();
        ids
    };
    assert_eq!(listed(c, Visibility::public()), vec![other.id]);
    assert_eq!(listed(c, staff_view()).len(), 2);
    assert!(matches!(
        thread_page(c, thread.id, None),
        Err(CoreError::NotFound(_))
    ));
    let (asker_now, moder_now) = (actor(c, &asker), actor(c, &moder));
    assert!(matches!(
        thread_page(c, thread.id, Some(&asker_now)),
        Err(CoreError::NotFound(_))
    ));
    assert!(thread_page(c, thread.id, Some(&moder_now)).is_ok());
    let links = thread_links(c, Visibility::public(), &[thread.id, other.id]).unwrap();
    assert!(!links.contains_key(&thread.id) && links.contains_key(&other.id));
    assert!(indexable_threads(c, &[thread.id]).unwrap().is_empty());
    let p = profile(c, Visibility::public(), &asker.username).unwrap();
    assert_eq!((p.question_count, p.questions.len()), (0, 0));
}

fn who_may_delete(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let stranger = user(c, "stranger");
    let moder = user_with_role(c, "mod", Role::Moderator);
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let question = question_of(c, &thread);
    let s = actor(c, &stranger);
    assert_forbidden(delete_post(c, &s, answer.id));
    assert_forbidden(delete_post(c, &s, question.id));
    let a = actor(c, &asker);
    assert_forbidden(delete_post(c, &a, question.id));
    let m: Actor = actor(c, &moder);
    delete_post(c, &m, question.id).unwrap();
    delete_post(c, &m, question.id).unwrap();
    assert!(matches!(
        delete_post(c, &a, question.id),
        Err(CoreError::NotFound(_))
    ));
}

fn deleted_posts_take_no_more_actions(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "asker");
    let helper = user(c, "helper");
    let thread = ask_in(c, &asker, &cat);
    let answer = answer_by(c, &helper, &thread);
    let h = actor(c, &helper);
    delete_post(c, &h, answer.id).unwrap();
    assert!(matches!(
        cast(c, &asker, &answer, VoteChoice::Up),
        Err(CoreError::NotFound(_))
    ));
    let a = actor(c, &asker);
    assert!(matches!(
        tx(c, |cn| forum_core::accept::accept(cn, &a, answer.id)),
        Err(CoreError::NotFound(_))
    ));
    assert!(matches!(
        comment(c, &a, answer.id, "Still there?"),
        Err(CoreError::NotFound(_))
    ));
    assert!(matches!(
        revisions(c, answer.id),
        Err(CoreError::NotFound(_))
    ));
    let q = question_of(c, &thread);
    delete_post(c, &a, q.id).unwrap();
    assert!(matches!(
        answer_maybe(c, &helper, &thread),
        Err(CoreError::NotFound(_))
    ));
}

fn answer_maybe(
    c: &mut forum_db::AnyConnection,
    u: &forum_db::models::User,
    thread: &forum_db::models::Thread,
) -> forum_core::CoreResult<forum_db::models::Post> {
    let a = actor(c, u);
    answer(c, &a, thread.id, "A late answer to a deleted question.")
}
