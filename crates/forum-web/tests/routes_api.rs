//! The JSON API through the real application in process, on both databases: a token, a new
//! thread and an answer read back; bad tokens and passwords are 401; errors have the common
//! JSON shape (`error` code and `message`) for unknown threads, unknown routes and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use common::{Resp, TestApp, PASSWORD};
use forum_core::testing::user;
use serde_json::{json, Value};

route_tests!(
    token_ask_answer_and_read_back,
    bad_credentials_are_401,
    errors_are_json
);

#[track_caller]
fn expect_error(resp: &Resp, status: u16, code: &str, what: &str) {
    resp.expect(status, what);
    let ctype = resp.header("content-type").unwrap_or_default();
    assert!(ctype.starts_with("application/json"), "{what}: {ctype}");
    let body = resp.json();
    assert_eq!(body["error"], code, "{what}: {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: no message in {body}");
}

fn new_thread(category: &str) -> Value {
    json!({
        "title": "Webhook retries never stop quokka",
        "body": "A failing endpoint gets retried forever; is there a cap? quokka",
        "category": category,
        "tags": ["webhooks"],
    })
}

async fn token_ask_answer_and_read_back(app: TestApp) {
    let cat = app.category();
    let alice = user(&mut app.conn(), "alice");
    let bob = user(&mut app.conn(), "bob");
    let mut c = app.client();
    let alice_token = c.api_token(&alice.username).await;
    let bob_token = c.api_token(&bob.username).await;

    let body = new_thread(&cat.slug);
    let created = c
        .api(
            Method::POST,
            "/api/v1/threads",
            Some(&body),
            Some(&alice_token),
        )
        .await;
    created.expect(201, "POST /api/v1/threads");
    let id = created.json()["thread"]["id"].as_i64().expect("thread.id");

    let answer = json!({"body": "Retries stop after 24 hours with backoff, wombat."});
    let path = format!("/api/v1/threads/{id}/answers");
    let resp = c
        .api(Method::POST, &path, Some(&answer), Some(&bob_token))
        .await;
    resp.expect(201, "POST answers");
    assert!(resp.json()["answer"]["id"].is_i64(), "{}", resp.body);

    let read = c
        .api(Method::GET, &format!("/api/v1/threads/{id}"), None, None)
        .await;
    read.expect(200, "GET thread");
    let read = read.json();
    assert_eq!(read["thread"]["id"].as_i64(), Some(id), "{read}");
    assert!(read["question"].to_string().contains("quokka"), "{read}");
    let answers = read["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 1, "{read}");
    assert!(answers[0].to_string().contains("wombat"), "{read}");

    let list = c.api(Method::GET, "/api/v1/threads", None, None).await;
    list.expect(200, "GET threads");
    let ids: Vec<i64> = list.json()["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![id]);
}

async fn bad_credentials_are_401(app: TestApp) {
    let cat = app.category();
    let alice = user(&mut app.conn(), "alice");
    let mut c = app.client();
    let bad = json!({"login": alice.username, "password": "not-her-password"});
    let resp = c
        .api(Method::POST, "/api/v1/tokens", Some(&bad), None)
        .await;
    expect_error(&resp, 401, "unauthenticated", "bad password");
    let ghost = json!({"login": "ghost", "password": PASSWORD});
    let resp = c
        .api(Method::POST, "/api/v1/tokens", Some(&ghost), None)
        .await;
    expect_error(&resp, 401, "unauthenticated", "unknown user");
    let body = new_thread(&cat.slug);
    let resp = c
        .api(Method::POST, "/api/v1/threads", Some(&body), None)
        .await;
    expect_error(&resp, 401, "unauthenticated", "no token");
    let resp = c
        .api(
            Method::POST,
            "/api/v1/threads",
            Some(&body),
            Some("not.a.token"),
        )
        .await;
    expect_error(&resp, 401, "unauthenticated", "garbage token");
}

async fn errors_are_json(app: TestApp) {
    let cat = app.category();
    let alice = user(&mut app.conn(), "alice");
    let mut c = app.client();
    let alice_token = c.api_token(&alice.username).await;
    let resp = c
        .api(Method::GET, "/api/v1/threads/987654321", None, None)
        .await;
    expect_error(&resp, 404, "not_found", "unknown thread");
    let resp = c
        .api(Method::GET, "/api/v1/no-such-endpoint", None, None)
        .await;
    expect_error(&resp, 404, "not_found", "unknown API route");
    for (field, value, what) in [
        ("title", "", "empty title"),
        ("category", "no-such-category", "unknown category"),
    ] {
        let mut body = new_thread(&cat.slug);
        body[field] = json!(value);
        let resp = c
            .api(
                Method::POST,
                "/api/v1/threads",
                Some(&body),
                Some(&alice_token),
            )
            .await;
        expect_error(&resp, 422, "validation", what);
    }
    let answer = json!({"body": "Restart the integration and try the export once more."});
    let path = "/api/v1/threads/987654321/answers";
    let resp = c
        .api(Method::POST, path, Some(&answer), Some(&alice_token))
        .await;
    expect_error(&resp, 404, "not_found", "answer to an unknown thread");
}
