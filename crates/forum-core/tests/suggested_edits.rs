//! Editing others' posts on both databases: refused one level below the edit-others privilege
//! (the edit becomes a suggestion) and direct at it; a suggestion waits alone, is reviewed by
//! the author or a trusted member (never its suggester), becomes a revision by its suggester
//! when approved, is refused when the post changed since, and is reviewed once under parallel
//! verdicts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use diesel::prelude::*;
use forum_core::edit::{edit as edit_post, EditInput, Edited};
use forum_core::notifications::list;
use forum_core::policy::NoContract;
use forum_core::suggested_edits::{pending_for, review, SuggestedEdit};
use forum_core::CoreError;
use forum_db::models::User;
use forum_db::schema::users;
use forum_db::test_util::TestDb;
use forum_db::types::SuggestionState;
use forum_db::AnyConnection;

forum_db::backend_tests!(
    edit_others_is_a_suggestion_below_trust_level_3_and_direct_at_it,
    a_suggestion_is_reviewed_by_the_author_or_a_trusted_member,
    an_approval_never_overwrites_a_later_edit,
    parallel_verdicts_review_a_suggestion_once,
);

const NEW_TEXT: &str = "Open Settings, then Billing, then Company details to change it.";

fn at_level(c: &mut AnyConnection, u: &User, level: i32) {
    diesel::update(users::table.find(u.id))
        .set(users::trust_level.eq(level))
        .execute(c)
        .unwrap();
}

fn suggest(c: &mut AnyConnection, by: &User, post: forum_db::ids::PostId) -> SuggestedEdit {
    suggest_text(c, by, post, NEW_TEXT)
}

fn suggest_text(
    c: &mut AnyConnection,
    by: &User,
    post: forum_db::ids::PostId,
    body: &str,
) -> SuggestedEdit {
    let a = actor(c, by);
    let input = EditInput {
        title: None,
        body,
        reason: "clearer steps",
    };
    match edit_post(c, &NoContract, &a, post, &input).unwrap() {
        Edited::Suggested(s) => s,
        Edited::Applied(p) => panic!("applied: {p:?}"),
    }
}

fn edit_others_is_a_suggestion_below_trust_level_3_and_direct_at_it(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let author = user(c, "eauthor");
    let editor = user(c, "eeditor");
    let thread = ask_in(c, &author, &cat);
    let answer = answer_by(c, &author, &thread);
    at_level(c, &editor, 2);
    let s = suggest(c, &editor, answer.id);
    assert_eq!(s.state, SuggestionState::Pending);
    assert_ne!(post_now(c, &answer).body_raw, NEW_TEXT, "the post waits");
    let told = list(c, author.id, 1).unwrap();
    assert!(
        told.0[0].notification.message.contains("suggested an edit"),
        "{told:?}"
    );
    // Another suggestion waits behind it.
    let other = user(c, "eother");
    let o = actor(c, &other);
    let second = edit_post(
        c,
        &NoContract,
        &o,
        answer.id,
        &EditInput {
            title: None,
            body: "Something else entirely for this answer.",
            reason: "",
        },
    );
    assert!(matches!(second, Err(CoreError::Conflict(_))), "{second:?}");
    // At TL3 the same member edits directly.
    at_level(c, &editor, 3);
    let a = actor(c, &editor);
    let input = EditInput {
        title: None,
        body: "A direct edit by a trusted member, long enough.",
        reason: "",
    };
    assert!(matches!(
        edit_post(c, &NoContract, &a, answer.id, &input).unwrap(),
        Edited::Applied(_)
    ));
}

fn a_suggestion_is_reviewed_by_the_author_or_a_trusted_member(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let author = user(c, "rauthor");
    let suggester = user(c, "rsugg");
    let bystander = user(c, "rby");
    let thread = ask_in(c, &author, &cat);
    let answer = answer_by(c, &author, &thread);
    let s = suggest(c, &suggester, answer.id);
    let sa = actor(c, &suggester);
    assert_forbidden(review(c, &NoContract, &sa, s.id, true));
    let b = actor(c, &bystander);
    assert_forbidden(review(c, &NoContract, &b, s.id, true));
    let a = actor(c, &author);
    let done = review(c, &NoContract, &a, s.id, true).unwrap();
    assert_eq!(done.state, SuggestionState::Approved);
    let post = post_now(c, &answer);
    assert_eq!(post.body_raw, NEW_TEXT);
    let revs = revisions(c, answer.id).unwrap();
    assert_eq!(
        revs[0].editor_id, suggester.id,
        "published under the suggester"
    );
    assert!(pending_for(c, answer.id).unwrap().is_none());
    let told = list(c, suggester.id, 1).unwrap();
    assert!(
        told.0[0].notification.message.contains("approved"),
        "{told:?}"
    );
    assert!(matches!(
        review(c, &NoContract, &a, s.id, false),
        Err(CoreError::Conflict(_))
    ));
    // A trusted member (TL3) rejects the next one.
    let next = suggest_text(
        c,
        &bystander,
        answer.id,
        "A second idea for the wording here.",
    );
    let trusted = user(c, "rtrust");
    at_level(c, &trusted, 3);
    let tr = actor(c, &trusted);
    assert_eq!(
        review(c, &NoContract, &tr, next.id, false).unwrap().state,
        SuggestionState::Rejected
    );
    assert_eq!(post_now(c, &answer).body_raw, NEW_TEXT);
}

fn an_approval_never_overwrites_a_later_edit(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let author = user(c, "lauthor");
    let suggester = user(c, "lsugg");
    let thread = ask_in(c, &author, &cat);
    let answer = answer_by(c, &author, &thread);
    let s = suggest(c, &suggester, answer.id);
    let a = actor(c, &author);
    edit(
        c,
        &a,
        answer.id,
        &EditInput {
            title: None,
            body: "The author rewrote it meanwhile, at length.",
            reason: "",
        },
    )
    .unwrap();
    assert!(matches!(
        review(c, &NoContract, &a, s.id, true),
        Err(CoreError::Conflict(_))
    ));
    assert_eq!(
        review(c, &NoContract, &a, s.id, false).unwrap().state,
        SuggestionState::Rejected
    );
}

fn parallel_verdicts_review_a_suggestion_once(t: &TestDb) {
    let mut c = conn(t);
    let cat = category(&mut c, "questions");
    let author = user(&mut c, "pauthor");
    let suggester = user(&mut c, "psugg");
    let thread = ask_in(&mut c, &author, &cat);
    let answer = answer_by(&mut c, &author, &thread);
    let s = suggest(&mut c, &suggester, answer.id);
    let reviewers: Vec<_> = (0..4)
        .map(|i| {
            let u = user_with_role(&mut c, &format!("pmod{i}_"), forum_core::Role::Moderator);
            actor(&mut c, &u)
        })
        .collect();
    drop(c);
    let results: Vec<Result<(), String>> = std::thread::scope(|sc| {
        let handles: Vec<_> = reviewers
            .iter()
            .enumerate()
            .map(|(i, r)| {
                sc.spawn(move || {
                    let mut c = conn(t);
                    review(&mut c, &NoContract, r, s.id, i % 2 == 0)
                        .map(|_| ())
                        .map_err(|e| format!("{e:?}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let c = &mut conn(t);
    let revs = revisions(c, answer.id).unwrap();
    assert!(revs.len() <= 2, "approved at most once: {}", revs.len());
}
