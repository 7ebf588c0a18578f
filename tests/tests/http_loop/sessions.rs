//! Sessions that really end, registration that does not reveal emails, and text that survives
//! a refused comment, an ended session and a rate limit.

use forum_e2e::{html, unique_word, Backend, ForumServer, PASSWORD};
use serde_json::json;

forum_e2e::on_both_backends!(
    sign_out_ends_a_copied_cookie,
    sign_out_everywhere_ends_sessions_and_tokens,
    registration_does_not_reveal_emails,
    refused_and_expired_forms_keep_the_text
);

fn sign_out_ends_a_copied_cookie(backend: Backend) {
    let server = ForumServer::start(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let mut thief = alice.clone_cookies();
    assert!(
        thief.logged_in(),
        "a copy of the cookie works while signed in"
    );
    alice.logout().expect_see_other("logout");
    assert!(!alice.logged_in());
    assert!(
        !thief.logged_in(),
        "after sign-out a copy of the cookie no longer signs anyone in"
    );
}

fn sign_out_everywhere_ends_sessions_and_tokens(backend: Backend) {
    let server = ForumServer::start(backend);
    let mut laptop = server.client();
    laptop.register("dana", PASSWORD);
    let mut phone = server.client();
    phone
        .login("dana", PASSWORD)
        .expect_see_other("second sign-in");
    let token = phone
        .api(
            "POST",
            "/api/v1/tokens",
            Some(&json!({"login": "dana", "password": PASSWORD})),
            None,
        )
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    phone
        .api(
            "POST",
            "/api/v1/threads/1/answers",
            Some(&json!({"body": "x"})),
            Some(&token),
        )
        .status
        .ne(&401)
        .then_some(())
        .expect("the token works before");
    laptop.get("/");
    laptop
        .post_form("/logout/everywhere", &[])
        .expect_see_other("sign out everywhere");
    assert!(!laptop.logged_in());
    assert!(!phone.logged_in(), "the other browser is signed out too");
    phone
        .api(
            "POST",
            "/api/v1/threads/1/answers",
            Some(&json!({"body": "x"})),
            Some(&token),
        )
        .expect_status(401, "the API token is revoked");
    phone
        .login("dana", PASSWORD)
        .expect_see_other("signing in again works");
    assert!(phone.logged_in());
}

fn registration_does_not_reveal_emails(backend: Backend) {
    let server = ForumServer::start(backend);
    let mut first = server.client();
    first.get("/register");
    let fresh = first.post_form(
        "/register",
        &[
            ("username", "erin"),
            ("email", "erin@example.com"),
            ("password", PASSWORD),
        ],
    );
    let mut prober = server.client();
    prober.get("/register");
    let probe = prober.post_form(
        "/register",
        &[
            ("username", "mallory"),
            ("email", "ERIN@example.com"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(
        probe.status, fresh.status,
        "same status as a fresh registration"
    );
    assert_eq!(probe.location(), fresh.location(), "same redirect");
    let text = probe.body.to_lowercase();
    assert!(
        !text.contains("email"),
        "nothing about the email: {}",
        probe.short()
    );
    assert!(!prober.logged_in(), "no account was made for the prober");
}

fn refused_and_expired_forms_keep_the_text(backend: Backend) {
    let server =
        ForumServer::start_seeded_with(backend, &[("FORUM_NEW_USER_POSTS_PER_WINDOW", "1")]);
    let mut asker = server.client();
    asker.register("fiona", PASSWORD);
    let word = unique_word();
    let thread = asker.ask(
        &format!("Export stops half way {word}"),
        &format!("The CSV export stops at 50% every time. {word}"),
        "getting-started",
        "",
    );
    let id = forum_e2e::client::thread_id(&thread);
    let question = html::articles(&asker.get(&thread).body)[0].id;

    // A refused comment shows the thread again with the text in that post's form.
    let page = asker.post_form(&format!("/p/{question}/comment"), &[("body", "x")]);
    page.expect_status(422, "one-character comment");
    assert!(
        page.body.contains(">x</textarea>"),
        "comment text kept: {}",
        page.short()
    );
    assert!(page.body.contains("aria-invalid=\"true\""));

    // Over the pace: 429 with Retry-After, the answer text kept.
    let text = format!("Try the export from the desktop app instead {word}");
    let page = asker.post_form(&format!("/t/{id}/answer"), &[("body", &text)]);
    page.expect_status(429, "second post in the window");
    assert!(
        page.header("retry-after").is_some(),
        "429 carries Retry-After"
    );
    assert!(page.body.contains(&text), "answer text kept on 429");

    // The session ends (signed out elsewhere): the answer comes back with the text, a fresh
    // token and a request to sign in again.
    let mut other = server.client();
    other.register("gabe", PASSWORD);
    let stale = other.csrf_token();
    let mut copy = other.clone_cookies();
    other.logout();
    let text = format!("Check the file is not open in Excel {word}");
    let page = copy.post_form_raw(
        &format!("/t/{id}/answer"),
        &[("body", &text), ("csrf_token", &stale)],
    );
    assert!(
        page.status == 401 || page.status == 403,
        "status {}",
        page.status
    );
    assert!(
        page.body.contains(&text),
        "answer text kept after the session ended"
    );
    assert!(page.body.contains("Sign in again"), "{}", page.short());
    assert!(
        html::csrf_token(&page.body).is_some(),
        "a fresh token to send it with"
    );
}
