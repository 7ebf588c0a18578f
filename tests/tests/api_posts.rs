//! The post actions over JSON (vote, accept, comment, edit, revisions, delete), on SQLite and
//! PostgreSQL: each does what its page does (they share one service), so its effect shows on
//! the thread page, and its refusals are the page's, with JSON error codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::{answer, ask, token_for};
use forum_e2e::{html, on_both_backends, Backend, Client, ForumServer, Page, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(actions_show_on_the_page, refusals_are_the_pages);

struct World {
    server: ForumServer,
    api: Client,
    asker: String,
    helper: String,
    thread: i64,
    question: i64,
    answer: i64,
}

fn world(backend: Backend) -> World {
    let server = ForumServer::start_seeded(backend);
    let mut api = server.client();
    let mut tokens = Vec::new();
    for name in ["asker", "helper"] {
        let mut web = server.client();
        web.register(name, PASSWORD);
        tokens.push(token_for(&mut api, name));
    }
    let (asker, helper) = (tokens[0].clone(), tokens[1].clone());
    let thread = ask(&mut api, &asker);
    let read = api.api("GET", &format!("/api/v1/threads/{thread}"), None, None);
    let question = read.json()["question"]["id"].as_i64().unwrap();
    let answer = answer(&mut api, &helper, thread);
    World {
        server,
        api,
        asker,
        helper,
        thread,
        question,
        answer,
    }
}

impl World {
    fn call(&mut self, method: &str, path: &str, body: Option<Value>, token: &str) -> Page {
        self.api.api(method, path, body.as_ref(), Some(token))
    }

    /// The thread page's article for a post.
    fn article(&mut self, post: i64) -> html::Article {
        let page = self
            .server
            .client()
            .get_follow(&format!("/t/{}", self.thread));
        page.expect_status(200, "the thread page");
        html::articles(&page.body)
            .into_iter()
            .find(|a| a.id == post)
            .unwrap_or_else(|| panic!("post {post} not on the page"))
    }
}

fn actions_show_on_the_page(backend: Backend) {
    let mut w = world(backend);
    let (asker, helper, answer, question) =
        (w.asker.clone(), w.helper.clone(), w.answer, w.question);

    let vote = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        Some(json!({"value": "up"})),
        &asker,
    );
    vote.expect_status(200, "vote up");
    assert_eq!(vote.json(), json!({"score": 1}));
    let withdrawn = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        Some(json!({"value": "none"})),
        &asker,
    );
    assert_eq!(withdrawn.json(), json!({"score": 0}));
    w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        Some(json!({"value": "up"})),
        &asker,
    );

    let accept = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/accept"),
        None,
        &asker,
    );
    accept.expect_status(200, "accept");
    assert_eq!(accept.json(), json!({"accepted": true}));
    let article = w.article(answer);
    let labelled = article.has_class("accepted") || html::text(&article.html).contains("Accepted");
    assert!(labelled, "accepted on the page");

    let text = "Which version of the sync agent is this?";
    let comment = w.call(
        "POST",
        &format!("/api/v1/posts/{question}/comments"),
        Some(json!({"body": text})),
        &helper,
    );
    comment.expect_status(201, "comment");
    assert_eq!(comment.json()["comment"]["post_id"], question);
    assert!(comment.json()["comment"]["id"].is_i64());
    assert!(
        w.article(question).html.contains(text),
        "the comment is on the page"
    );

    let new_body = "Raise the export limit under Settings, then Exports, and retry.";
    let edit = json!({"body": new_body, "reason": "where the setting lives"});
    let edited = w.call(
        "PATCH",
        &format!("/api/v1/posts/{answer}"),
        Some(edit.clone()),
        &helper,
    );
    edited.expect_status(200, "edit");
    assert_eq!(edited.json()["post"]["revision"], 2);
    assert!(
        w.article(answer).html.contains("then Exports"),
        "the edit is on the page"
    );
    let again = w.call(
        "PATCH",
        &format!("/api/v1/posts/{answer}"),
        Some(edit),
        &helper,
    );
    again.expect_status(422, "an edit that changes nothing");

    let history = w.api.api(
        "GET",
        &format!("/api/v1/posts/{answer}/revisions"),
        None,
        None,
    );
    history.expect_status(200, "revisions");
    let history = history.json();
    let revs = history["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2, "{history}");
    assert_eq!(revs[0]["revision"], 2, "newest first");
    assert_eq!(revs[0]["reason"], "where the setting lives");
    assert_eq!(revs[0]["body_raw"], new_body);
    assert_eq!(revs[0]["editor"]["username"], "helper");

    let title = json!({"body": "Exports stop at row 512 whatever the file format.", "reason": "", "title": "Exports stop at row 512"});
    let retitled = w.call(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        Some(title),
        &asker,
    );
    retitled.expect_status(200, "a question's edit with a title");
    let read = w
        .api
        .api("GET", &format!("/api/v1/threads/{}", w.thread), None, None)
        .json();
    assert_eq!(read["thread"]["title"], "Exports stop at row 512");

    let deleted = w.call("DELETE", &format!("/api/v1/posts/{answer}"), None, &helper);
    deleted.expect_status(200, "delete");
    let read = w
        .api
        .api("GET", &format!("/api/v1/threads/{}", w.thread), None, None)
        .json();
    assert_eq!(read["answers"], json!([]), "the answer left the thread");
    assert_eq!(
        read["thread"]["solved"], false,
        "and the thread is no longer solved"
    );
}

#[track_caller]
fn refused(page: &Page, status: u16, code: &str, what: &str) {
    page.expect_status(status, what);
    assert_eq!(page.json()["error"], code, "{what}: {}", page.body);
}

fn refusals_are_the_pages(backend: Backend) {
    let mut w = world(backend);
    let (asker, helper, answer, question) =
        (w.asker.clone(), w.helper.clone(), w.answer, w.question);
    let vote = |v: &str| Some(json!({"value": v}));

    let own = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        vote("up"),
        &helper,
    );
    refused(&own, 403, "forbidden", "a vote on one's own post");
    let down = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        vote("down"),
        &asker,
    );
    refused(&down, 403, "forbidden", "a downvote without the reputation");
    let odd = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/vote"),
        vote("sideways"),
        &asker,
    );
    refused(
        &odd,
        422,
        "validation",
        "a vote that is not up, down or none",
    );
    let missing = w.call("POST", "/api/v1/posts/987654321/vote", vote("up"), &asker);
    refused(&missing, 404, "not_found", "a vote on no post");

    let q = w.call(
        "POST",
        &format!("/api/v1/posts/{question}/accept"),
        None,
        &asker,
    );
    refused(&q, 422, "validation", "accepting a question");
    let not_asker = w.call(
        "POST",
        &format!("/api/v1/posts/{answer}/accept"),
        None,
        &helper,
    );
    refused(
        &not_asker,
        403,
        "forbidden",
        "accepting on someone else's thread",
    );

    let short = w.call(
        "POST",
        &format!("/api/v1/posts/{question}/comments"),
        Some(json!({"body": "x"})),
        &helper,
    );
    refused(&short, 422, "validation", "a one-letter comment");
    let others = w.call(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        Some(json!({"body": "A different question body entirely.", "reason": ""})),
        &helper,
    );
    others.expect_status(202, "editing someone else's post suggests the edit");
    assert_eq!(others.json()["suggested_edit"]["state"], "pending");
    let again = w.call(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        Some(json!({"body": "Yet another body for the same question.", "reason": ""})),
        &asker.clone(),
    );
    again.expect_status(200, "the author still edits while a suggestion waits");
    let third = w.call(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        Some(json!({"body": "A third body, suggested while one waits.", "reason": ""})),
        &helper,
    );
    refused(
        &third,
        409,
        "conflict",
        "a second suggestion while one waits",
    );
    let answered = w.call("DELETE", &format!("/api/v1/posts/{question}"), None, &asker);
    refused(&answered, 403, "forbidden", "deleting an answered question");

    let anonymous = w
        .api
        .api("DELETE", &format!("/api/v1/posts/{answer}"), None, None);
    refused(
        &anonymous,
        401,
        "unauthenticated",
        "deleting without a token",
    );
    let after = w
        .api
        .api("GET", &format!("/api/v1/threads/{}", w.thread), None, None)
        .json();
    assert_eq!(after["answers"][0]["score"], 0, "no refused vote counted");
    assert_eq!(after["thread"]["solved"], false);
}
