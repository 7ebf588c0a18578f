//! The JSON API (`/api/v1`) with bearer tokens, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::client::Client;
use forum_e2e::{jwt, on_both_backends, unique_word, Backend, ForumServer, Page, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(tokens_threads_answers, bad_tokens_are_rejected, json_errors);

#[track_caller]
fn expect_error(page: &Page, status: u16, code: &str, what: &str) {
    page.expect_status(status, what);
    let ctype = page.header("content-type").unwrap_or_default();
    assert!(
        ctype.starts_with("application/json"),
        "{what}: content-type {ctype}"
    );
    let body = page.json();
    assert_eq!(body["error"], code, "{what}: error code in {body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: no message in {body}");
}

fn token(client: &mut Client, login: &str) -> String {
    let body = json!({"login": login, "password": PASSWORD});
    let page = client.api("POST", "/api/v1/tokens", Some(&body), None);
    page.expect_status(200, "POST /api/v1/tokens");
    let json = page.json();
    assert_eq!(json["token_type"], "Bearer", "{json}");
    assert!(
        json["expires_in"].as_i64().is_some_and(|s| s > 0),
        "expires_in: {json}"
    );
    let token = json["token"].as_str().expect("token string").to_string();
    assert_eq!(token.split('.').count(), 3, "token is not a JWT: {token}");
    token
}

fn setup(backend: Backend) -> (ForumServer, Client, String) {
    let server = ForumServer::start_seeded(backend);
    let mut web = server.client();
    web.register("alice", PASSWORD);
    let mut api = server.client();
    let alice = token(&mut api, "alice");
    (server, api, alice)
}

fn new_thread(word: &str) -> Value {
    json!({
        "title": format!("Webhook retries never stop {word}"),
        "body": format!("A failing endpoint gets retried forever; is there a cap? {word}"),
        "category": "integrations",
        "tags": ["webhooks"],
    })
}

fn tokens_threads_answers(backend: Backend) {
    let (server, mut api, alice) = setup(backend);
    let bad = json!({"login": "alice", "password": "not-her-password"});
    let page = api.api("POST", "/api/v1/tokens", Some(&bad), None);
    expect_error(&page, 401, "unauthenticated", "token with a bad password");
    let ghost = json!({"login": "ghost", "password": PASSWORD});
    let page = api.api("POST", "/api/v1/tokens", Some(&ghost), None);
    expect_error(&page, 401, "unauthenticated", "token for an unknown user");

    let list = api.api("GET", "/api/v1/threads", None, None);
    list.expect_status(200, "GET /api/v1/threads");
    let list = list.json();
    assert!(
        list["threads"].as_array().is_some_and(|t| !t.is_empty()),
        "no seeded threads: {list}"
    );
    assert!(list["has_next"].is_boolean(), "has_next: {list}");

    let word = unique_word();
    let created = api.api(
        "POST",
        "/api/v1/threads",
        Some(&new_thread(&word)),
        Some(&alice),
    );
    created.expect_status(201, "POST /api/v1/threads");
    let thread = created.json()["thread"].clone();
    let id = thread["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("thread.id in {thread}"));
    assert!(
        thread["title"].as_str().is_some_and(|t| t.contains(&word)),
        "{thread}"
    );

    let mut web = server.client();
    web.register("bob", PASSWORD);
    let bob = token(&mut api, "bob");
    let answer = json!({"body": format!("Retries stop after 24 hours with backoff. {word}ans")});
    let path = format!("/api/v1/threads/{id}/answers");
    let page = api.api("POST", &path, Some(&answer), Some(&bob));
    page.expect_status(201, "POST answers");
    assert!(
        page.json()["answer"]["id"].is_i64(),
        "answer.id: {}",
        page.body
    );

    let read = api.api("GET", &format!("/api/v1/threads/{id}"), None, None);
    read.expect_status(200, "GET /api/v1/threads/{id}");
    let read = read.json();
    assert_eq!(read["thread"]["id"].as_i64(), Some(id), "{read}");
    assert!(
        read["question"].to_string().contains(&word),
        "question body: {read}"
    );
    let answers = read["answers"].as_array().expect("answers array");
    assert_eq!(answers.len(), 1, "{read}");
    assert!(
        answers[0].to_string().contains(&format!("{word}ans")),
        "answer body: {read}"
    );

    let listed = api
        .api("GET", "/api/v1/threads?tab=latest", None, None)
        .json();
    let ids: Vec<i64> = listed["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert!(ids.contains(&id), "new thread {id} not in latest: {ids:?}");
    let page = web.get(&format!("/t/{id}"));
    page.expect_status(301, "the API's thread on the HTML side");
}

fn bad_tokens_are_rejected(backend: Backend) {
    let (_server, mut api, alice) = setup(backend);
    let word = unique_word();
    let body = new_thread(&word);
    let page = api.api("POST", "/api/v1/threads", Some(&body), None);
    expect_error(&page, 401, "unauthenticated", "no token");
    let forged = [
        ("alg none", jwt::alg_none(&alice)),
        ("tampered signature", jwt::tampered_signature(&alice)),
        (
            "tampered claim",
            jwt::tampered_claim(&alice, "sub", json!("999999")),
        ),
        ("garbage", "not.a.token".to_string()),
    ];
    for (what, token) in forged {
        let page = api.api("POST", "/api/v1/threads", Some(&body), Some(&token));
        expect_error(&page, 401, "unauthenticated", what);
    }
    let list = api.api("GET", "/api/v1/threads", None, None).body;
    assert!(
        !list.contains(&word),
        "a thread was created with a forged token"
    );
    let page = api.api("POST", "/api/v1/threads", Some(&body), Some(&alice));
    page.expect_status(201, "the genuine token still works");
}

fn json_errors(backend: Backend) {
    let (_server, mut api, alice) = setup(backend);
    let page = api.api("GET", "/api/v1/threads/987654321", None, None);
    expect_error(&page, 404, "not_found", "unknown thread");
    let page = api.api("GET", "/api/v1/no-such-endpoint", None, None);
    expect_error(&page, 404, "not_found", "unknown API route");
    let mut body = new_thread(&unique_word());
    body["title"] = json!("");
    let page = api.api("POST", "/api/v1/threads", Some(&body), Some(&alice));
    expect_error(&page, 422, "validation", "empty title");
    body["title"] = json!("A perfectly fine title here");
    body["category"] = json!("no-such-category");
    let page = api.api("POST", "/api/v1/threads", Some(&body), Some(&alice));
    expect_error(&page, 422, "validation", "unknown category");
    let answer = json!({"body": "Restart the integration and try the export once more."});
    let path = "/api/v1/threads/987654321/answers";
    let page = api.api("POST", path, Some(&answer), Some(&alice));
    expect_error(&page, 404, "not_found", "answer to an unknown thread");
}
