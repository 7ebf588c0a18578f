//! HTML pages and forms through the real application in process, on both databases: lists
//! render, a thread's canonical address, the ask form keeps what was typed when it is refused,
//! a form without its CSRF token is refused, votes and acceptance redirect back to the post,
//! a deleted answer is gone for members but shown to moderators, a wrong password is a 422,
//! registering signs in and logging out signs out, and error pages carry the security headers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use forum_core::testing::{answer_by, ask_in, ask_tagged, user};
use forum_core::Role;

route_tests!(
    lists_render,
    thread_page_and_canonical_redirect,
    refused_ask_keeps_the_text,
    an_edit_after_the_session_ended_keeps_the_text,
    forms_without_csrf_are_refused,
    vote_and_accept_redirect_to_the_post,
    deleted_answer_hidden_from_members_not_moderators,
    wrong_password_is_422,
    register_then_logout,
    errors_are_pages_with_security_headers,
);

async fn lists_render(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_tagged(&mut app.conn(), &asker, &cat, "webhooks");
    let mut anon = app.client();
    for path in [
        "/".to_string(),
        format!("/c/{}", cat.slug),
        "/tags/webhooks".into(),
    ] {
        let page = anon.get(&path).await;
        page.expect(200, &path);
        assert!(page.body.contains(&thread.title), "{path} lists the thread");
    }
    anon.get("/c/no-such-category")
        .await
        .expect(404, "unknown category");
}

async fn thread_page_and_canonical_redirect(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let canonical = format!("/t/{}/{}", thread.slug, thread.id.0);
    let mut anon = app.client();
    let page = anon.get(&canonical).await;
    page.expect(200, "thread page");
    assert!(page.body.contains(&thread.title));
    let short = anon.get(&format!("/t/{}", thread.id.0)).await;
    short.expect(301, "/t/{id}");
    assert!(
        short.location().ends_with(&canonical),
        "{}",
        short.location()
    );
    anon.get("/t/x/987654321")
        .await
        .expect(404, "unknown thread");
}

async fn refused_ask_keeps_the_text(app: TestApp) {
    let cat = app.category();
    let (_, mut member) = app.with_user("asker", Role::Member).await;
    member.get("/ask").await.expect(200, "ask form");
    let body = "The export button does nothing when I click it, marker7731.";
    let fields = [
        ("title", "Hi"),
        ("body", body),
        ("category", cat.slug.as_str()),
        ("tags", ""),
    ];
    let page = member.post_form("/ask", &fields).await;
    page.expect(422, "too short a title");
    assert!(page.body.contains("marker7731"), "the body is kept");
}

async fn forms_without_csrf_are_refused(app: TestApp) {
    let cat = app.category();
    let (_, mut member) = app.with_user("asker", Role::Member).await;
    member.get("/ask").await;
    let fields = [
        ("title", "How do I export my invoices as CSV?"),
        ("body", "I need the invoices of last year in a spreadsheet."),
        ("category", cat.slug.as_str()),
    ];
    // Without the session's token nothing is created, and the question comes back with the
    // text kept (as when a session ends while the member writes).
    let page = member.post_form_raw("/ask", &fields).await;
    page.expect(401, "no token");
    assert!(page
        .body
        .contains("I need the invoices of last year in a spreadsheet."));
    let mut forged = fields.to_vec();
    forged.push(("csrf_token", "forged"));
    let page = member.post_form_raw("/ask", &forged).await;
    page.expect(401, "a forged token");
    assert!(page.body.contains("How do I export my invoices as CSV?"));
    assert!(!member
        .get("/")
        .await
        .body
        .contains("How do I export my invoices"));
    member
        .post_form("/ask", &fields)
        .await
        .expect(303, "the real token");
}

async fn vote_and_accept_redirect_to_the_post(app: TestApp) {
    let cat = app.category();
    let (asker, mut asker_client) = app.with_user("asker", Role::Member).await;
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let helper = user(&mut app.conn(), "helper");
    let answer = answer_by(&mut app.conn(), &helper, &thread);
    let (_, mut voter) = app.with_user("voter", Role::Member).await;
    let canonical = format!("/t/{}/{}", thread.slug, thread.id.0);
    voter.get(&canonical).await.expect(200, "thread");
    let path = format!("/p/{}/vote", answer.id.0);
    let page = voter.post_form(&path, &[("value", "up")]).await;
    page.expect(303, "vote");
    assert!(
        page.location().starts_with(&canonical),
        "{}",
        page.location()
    );
    asker_client.get(&canonical).await;
    let page = asker_client
        .post_form(&format!("/p/{}/accept", answer.id.0), &[])
        .await;
    page.expect(303, "accept");
    assert!(
        page.location().starts_with(&canonical),
        "{}",
        page.location()
    );
    let page = voter
        .post_form(&format!("/p/{}/accept", answer.id.0), &[])
        .await;
    page.expect(403, "only the asker accepts");
}

async fn deleted_answer_hidden_from_members_not_moderators(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let helper = user(&mut app.conn(), "helper");
    let answer = answer_by(&mut app.conn(), &helper, &thread);
    let canonical = format!("/t/{}/{}", thread.slug, thread.id.0);
    let (_, mut member) = app.with_user("reader", Role::Member).await;
    let page = member.get(&canonical).await;
    assert!(
        page.body.contains(&answer.body_raw),
        "shown before the delete"
    );
    let (_, mut moderator) = app.with_user("mod", Role::Moderator).await;
    moderator.get(&canonical).await;
    let path = format!("/p/{}/delete", answer.id.0);
    moderator.post_form(&path, &[]).await.expect(303, "delete");
    let page = member.get(&canonical).await;
    page.expect(200, "thread for a member");
    assert!(
        !page.body.contains(&answer.body_raw),
        "a member sees no deleted answer"
    );
    let page = moderator.get(&canonical).await;
    page.expect(200, "thread for a moderator");
    assert!(
        page.body.contains("is-deleted"),
        "the moderator sees it, marked"
    );
}

async fn wrong_password_is_422(app: TestApp) {
    let u = user(&mut app.conn(), "login");
    let mut c = app.client();
    let page = c.login(&u.username, "not the password").await;
    page.expect(422, "wrong password");
    assert!(!page.body.contains("action=\"/logout\""), "not signed in");
    c.login(&u.username, common::PASSWORD)
        .await
        .expect(303, "right password");
}

async fn register_then_logout(app: TestApp) {
    let mut c = app.client();
    c.get("/register").await.expect(200, "register form");
    let fields = [
        ("username", "newperson"),
        ("email", "newperson@example.com"),
        ("password", common::PASSWORD),
    ];
    c.post_form("/register", &fields)
        .await
        .expect(303, "register");
    let home = c.get("/").await;
    assert!(home.body.contains("action=\"/logout\""), "signed in");
    c.get("/u/newperson").await.expect(200, "profile");
    c.post_form("/logout", &[]).await.expect(303, "logout");
    let home = c.get("/").await;
    assert!(!home.body.contains("action=\"/logout\""), "signed out");
}

async fn errors_are_pages_with_security_headers(app: TestApp) {
    let mut anon = app.client();
    anon.get("/healthz").await.expect(200, "healthz");
    let page = anon.get("/no/such/page").await;
    page.expect(404, "unknown page");
    let ctype = page.header("content-type").unwrap_or_default();
    assert!(ctype.starts_with("text/html"), "{ctype}");
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert_eq!(csp, forum_web::app::CSP);
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let put = anon
        .send(actix_web::test::TestRequest::put().uri("/"))
        .await;
    put.expect(405, "PUT on a page");
}

async fn an_edit_after_the_session_ended_keeps_the_text(app: TestApp) {
    let cat = app.category();
    let (author, mut member) = app.with_user("author", Role::Member).await;
    let thread = ask_in(&mut app.conn(), &author, &cat);
    let question = forum_core::testing::question_of(&mut app.conn(), &thread);
    let path = format!("/p/{}/edit", question.id.0);
    member.get(&path).await.expect(200, "edit form");
    let fields = [
        ("title", thread.title.as_str()),
        (
            "body",
            "A much better description of the problem, marker5521.",
        ),
        ("reason", "clarify"),
        ("csrf_token", "not-the-token"),
    ];
    // A token that no longer matches (the session ended elsewhere): nothing changes, the text
    // comes back with a fresh token.
    let page = member.post_form_raw(&path, &fields).await;
    page.expect(401, "stale token");
    assert!(page.body.contains("marker5521"), "the text is kept");
    assert!(common::client::csrf_in(&page.body).is_some_and(|t| t != "not-the-token"));
    let stored = forum_core::testing::post_now(&mut app.conn(), &question);
    assert!(!stored.body_raw.contains("marker5521"));
    // Signed out entirely: the same, and the stored source is never shown.
    let mut stranger = app.client();
    let page = stranger.post_form_raw(&path, &fields).await;
    page.expect(401, "no session");
    assert!(page.body.contains("marker5521"));
    assert!(!page.body.contains(&stored.body_raw));
    stranger
        .get(&path)
        .await
        .expect(303, "the form itself asks to sign in");
}
