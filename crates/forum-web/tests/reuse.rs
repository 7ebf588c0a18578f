//! Pieces of members' pages are reused across requests and members (rendered posts, list rows
//! and headers; thread contents and list pages kept per data generation), so these check what
//! reuse must never do: show one member another's CSRF token, name or kept text, leak a
//! placeholder or slot marker, or show anything older than the last write. On both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use forum_core::testing::{answer_by, ask_in, user};
use forum_core::Role;

route_tests!(
    each_member_gets_their_own_token_and_header,
    writes_show_at_once_on_pages_already_seen,
    a_kept_comment_stays_with_its_member,
    the_header_marks_the_tab_and_leaves_search_to_the_search_page,
);

/// Every `csrf_token` value in the page's forms.
fn tokens(html: &str) -> Vec<&str> {
    html.split("name=\"csrf_token\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect()
}

/// No placeholder or slot marker got through (both are a word plus 32 hex digits).
fn assert_no_markers(html: &str) {
    for word in ["csrf", "slot"] {
        let leaked = html.match_indices(word).any(|(at, _)| {
            let rest = &html[at + word.len()..];
            rest.len() >= 32 && rest[..32].bytes().all(|b| b.is_ascii_hexdigit())
        });
        assert!(!leaked, "a {word} marker reached the page");
    }
}

async fn each_member_gets_their_own_token_and_header(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    for i in 0..3 {
        let helper = user(&mut app.conn(), &format!("helper{i}"));
        answer_by(&mut app.conn(), &helper, &thread);
    }
    let path = format!("/t/{}/{}", thread.slug, thread.id.0);
    let (alice, mut a) = app.with_user("alice", Role::Member).await;
    let (bob, mut b) = app.with_user("bob", Role::Member).await;
    // Twice each, interleaved: the second views come from the stores.
    for _ in 0..2 {
        for (who, client) in [(&alice, &mut a), (&bob, &mut b)] {
            let page = client.get(&path).await;
            page.expect(200, "thread page");
            assert_no_markers(&page.body);
            let own = client.csrf_token().await;
            let found = tokens(&page.body);
            // Sign-out, three votes, an accept form or not, comments, the answer form.
            assert!(found.len() >= 8, "forms on the page: {}", found.len());
            assert!(
                found.iter().all(|t| *t == own),
                "{}: a token not theirs",
                who.username
            );
            assert!(page
                .body
                .contains(&format!(">{} <span class=\"user-link-rep\"", who.username)));
        }
    }
    // Lists too: the rows are shared, the header is each member's.
    let home_a = a.get("/").await;
    let home_b = b.get("/").await;
    assert_no_markers(&home_a.body);
    assert!(home_a.body.contains(&thread.title) && home_b.body.contains(&thread.title));
    assert!(!home_a.body.contains(">bob <span") && !home_b.body.contains(">alice <span"));
}

async fn writes_show_at_once_on_pages_already_seen(app: TestApp) {
    let cat = app.category();
    let (asker, mut owner) = app.with_user("asker", Role::Member).await;
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let helper = user(&mut app.conn(), "helper");
    let answer = answer_by(&mut app.conn(), &helper, &thread);
    let path = format!("/t/{}/{}", thread.slug, thread.id.0);
    let (_, mut voter) = app.with_user("voter", Role::Member).await;
    let score = |html: &str| {
        let at = html.find(&format!("id=\"post-{}\"", answer.id.0)).unwrap();
        let rest = &html[at..];
        let s = rest.find("class=\"post-score\" title=\"Score\">").unwrap() + 33;
        rest[s..s + rest[s..].find('<').unwrap()].to_string()
    };
    assert_eq!(score(&owner.get(&path).await.body), "0");
    assert_eq!(score(&voter.get(&path).await.body), "0");
    voter
        .post_form(&format!("/p/{}/vote", answer.id.0), &[("value", "up")])
        .await
        .expect(303, "vote");
    // Both the voter and a member who saw the page before see the new score, and the voter
    // sees their vote pressed.
    let seen_by_voter = voter.get(&path).await;
    assert_eq!(score(&seen_by_voter.body), "1");
    assert!(seen_by_voter
        .body
        .contains("vote-up\" name=\"value\" value=\"up\" aria-pressed=\"true\""));
    assert_eq!(score(&owner.get(&path).await.body), "1");
    // A new thread is on the home page at once.
    let before = owner.get("/").await;
    let second = ask_in(&mut app.conn(), &asker, &cat);
    assert!(!before.body.contains(&second.title));
    assert!(owner.get("/").await.body.contains(&second.title));
    // The helper's reputation moved with the vote (1 to 11), on the answer's author chip.
    let page = owner.get(&path).await.body;
    let chip = format!("href=\"/u/{}\">{}</a>", helper.username, helper.username);
    let at = page.find(&chip).unwrap();
    let rep = &page[at..at + 200];
    assert!(rep.contains("reputation </span>11</span>"), "{rep}");
}

async fn a_kept_comment_stays_with_its_member(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let path = format!("/t/{}/{}", thread.slug, thread.id.0);
    let (_, mut a) = app.with_user("alice", Role::Member).await;
    let (_, mut b) = app.with_user("bob", Role::Member).await;
    a.get(&path).await;
    b.get(&path).await;
    // Too short a comment is refused and shown again in its form, with its text.
    let question = thread_question_id(&a.get(&path).await.body);
    let refused = a
        .post_form(&format!("/p/{question}/comment"), &[("body", "x")])
        .await;
    assert_eq!(refused.status, 422, "a one-letter comment is refused");
    assert!(refused.body.contains(">x</textarea>"));
    assert_no_markers(&refused.body);
    let own = a.csrf_token().await;
    assert!(tokens(&refused.body).iter().all(|t| *t == own));
    // Bob's page has an empty comment form, and so has Alice's next plain view.
    assert!(!b.get(&path).await.body.contains(">x</textarea>"));
    assert!(!a.get(&path).await.body.contains(">x</textarea>"));
}

/// The question's post id on a thread page (its first article).
fn thread_question_id(html: &str) -> String {
    let at = html.find("<article id=\"post-").unwrap() + 18;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

async fn the_header_marks_the_tab_and_leaves_search_to_the_search_page(app: TestApp) {
    let (_, mut member) = app.with_user("reader", Role::Member).await;
    let solved = member.get("/?tab=solved").await;
    assert!(solved
        .body
        .contains("href=\"/?tab=solved\" aria-current=\"page\">Solved</a>"));
    let latest = member.get("/").await;
    assert!(!latest.body.contains("aria-current=\"page\">Solved"));
    assert!(latest.body.contains("id=\"site-search-q\""));
    let search = member.get("/search?q=export").await;
    search.expect(200, "search page");
    assert!(!search.body.contains("id=\"site-search-q\""));
    assert!(search.body.contains("id=\"search-q\""));
}
