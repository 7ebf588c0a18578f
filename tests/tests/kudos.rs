//! Kudos over HTTP on both databases: the button on a post thanks its author, shows the count,
//! moves their reputation by 2 and back, and shows on their profile; the API does the same.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};

forum_db::backend_tests!(backend: the_thanks_button_and_the_api_thank_the_author);

fn reputation(body: &str) -> i64 {
    let start = body.find("profile-reputation\">").unwrap() + "profile-reputation\">".len();
    body[start..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn the_thanks_button_and_the_api_thank_the_author(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let (asker, helper) = (format!("ka{}", unique()), format!("kh{}", unique()));
    s.create_user(&asker, "member", PASSWORD);
    s.create_user(&helper, "member", PASSWORD);
    let mut a = s.client();
    a.login(&asker, PASSWORD).expect_see_other("sign in");
    let mut h = s.client();
    h.login(&helper, PASSWORD).expect_see_other("sign in");
    let thread = a.ask(
        "The dashboard shows yesterday's numbers",
        "Since this morning the dashboard is a day behind.",
        "getting-started",
        "",
    );
    let answer = h.answer(
        &thread,
        "The nightly job failed; rerun it from the admin page.",
    );
    let before = reputation(&s.client().get(&format!("/u/{helper}")).body);
    let page = a.get(&thread);
    assert!(page
        .body
        .contains(&format!("formaction=\"/p/{answer}/kudos\"")));
    assert!(
        page.body.contains("id=\"kudos-form\""),
        "the one form the buttons submit"
    );
    a.post_form(&format!("/p/{answer}/kudos"), &[("action", "give")])
        .expect_see_other("give kudos");
    assert!(a.get(&thread).body.contains("Thanked · 1"));
    let profile = s.client().get(&format!("/u/{helper}")).body;
    assert_eq!(reputation(&profile), before + 2);
    assert!(profile.contains("title=\"Kudos received\">1<"), "{profile}");
    // The author has no button on their own post.
    assert!(!h
        .get(&thread)
        .body
        .contains(&format!("action=\"/p/{answer}/kudos\"")));
    // The API: withdraw, then give again.
    let token = token_for(&mut a, &asker);
    let path = format!("/api/v1/posts/{answer}/kudos");
    let back = a.api("DELETE", &path, None, Some(&token));
    back.expect_status(200, "withdraw");
    assert_eq!(back.json()["kudos"], 0);
    assert_eq!(
        reputation(&s.client().get(&format!("/u/{helper}")).body),
        before
    );
    let again = a.api("POST", &path, None, Some(&token));
    assert_eq!(again.json()["given"], true, "{}", again.body);
    let helper_token = token_for(&mut h, &helper);
    let own = h.api("POST", &path, None, Some(&helper_token));
    own.expect_status(403, "kudos on one's own post");
}
