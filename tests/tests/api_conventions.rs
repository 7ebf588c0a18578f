//! The API's conventions (docs/API.md) against the real binary, on SQLite and PostgreSQL:
//! cursor pagination beside page numbers, `ETag` and 304 on every read, reads as the token's
//! reader, and an OpenAPI document that lists exactly the API rows of the route table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use forum_e2e::cast::{answer, ask, token_for};
use forum_e2e::route_table::ROUTES;
use forum_e2e::{on_both_backends, Backend, Client, ForumServer, PASSWORD};
use serde_json::{json, Value};

on_both_backends!(
    cursors_walk_the_list_once,
    reads_send_etags_and_304,
    reads_are_the_readers,
    openapi_lists_the_table,
);

/// The ids of a list response.
fn ids(list: &Value) -> Vec<i64> {
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

fn member(server: &ForumServer, name: &str) -> (Client, String) {
    let mut web = server.client();
    web.register(name, PASSWORD);
    let token = token_for(&mut web, name);
    (web, token)
}

fn cursors_walk_the_list_once(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let (mut api, token) = member(&server, "pager");
    for _ in 0..35 {
        ask(&mut api, &token);
    }
    let first = api.api("GET", "/api/v1/threads", None, None).json();
    assert_eq!(first["page"], 1);
    assert_eq!(first["has_next"], true);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("next_cursor")
        .to_string();
    let by_page = api.api("GET", "/api/v1/threads?page=2", None, None).json();

    // New threads arrive between the two requests: page numbers shift, the cursor does not.
    ask(&mut api, &token);
    ask(&mut api, &token);
    let shifted = api.api("GET", "/api/v1/threads?page=2", None, None).json();
    let next = api
        .api(
            "GET",
            &format!("/api/v1/threads?cursor={cursor}"),
            None,
            None,
        )
        .json();
    assert_eq!(
        ids(&next),
        ids(&by_page),
        "the cursor goes on where page 1 ended"
    );
    assert_ne!(ids(&shifted), ids(&by_page), "page 2 moved under new rows");
    assert_eq!(next["next_cursor"], Value::Null, "the end of the list");
    assert_eq!(next["has_next"], false);

    let mut seen: Vec<i64> = ids(&first);
    seen.extend(ids(&next));
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no thread twice");
    assert_eq!(seen.len(), 35 + 3, "every thread once (35 asked, 3 seeded)");

    // Each tab has its own order, so its own cursors.
    let unanswered = api
        .api("GET", "/api/v1/threads?tab=unanswered", None, None)
        .json();
    let unanswered_cursor = unanswered["next_cursor"].as_str().unwrap().to_string();
    for (path, what) in [
        ("/api/v1/threads?cursor=not-a-cursor".to_string(), "garbage"),
        (
            format!("/api/v1/threads?tab=solved&cursor={cursor}"),
            "another tab's cursor",
        ),
        (
            format!("/api/v1/threads?cursor={unanswered_cursor}"),
            "another tab's cursor",
        ),
    ] {
        let page = api.api("GET", &path, None, None);
        page.expect_status(422, what);
        assert_eq!(page.json()["error"], "validation", "{what}");
    }
    let page = api.api(
        "GET",
        &format!("/api/v1/threads?tab=unanswered&cursor={unanswered_cursor}"),
        None,
        None,
    );
    page.expect_status(200, "the unanswered tab's own cursor");
}

/// A GET with `If-None-Match`, outside the harness client (which sends no extra headers).
fn conditional_get(server: &ForumServer, path: &str, tag: &str) -> (u16, String) {
    let res = reqwest::blocking::Client::new()
        .get(server.url(path))
        .header("if-none-match", tag)
        .send()
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().unwrap())
}

fn reads_send_etags_and_304(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let (mut api, asker) = member(&server, "asker");
    let (_, helper) = member(&server, "helper");
    let thread = ask(&mut api, &asker);
    let post = answer(&mut api, &helper, thread);
    for path in [
        "/api/v1/threads".to_string(),
        format!("/api/v1/threads/{thread}"),
        format!("/api/v1/posts/{post}/revisions"),
        "/api/v1/openapi.json".to_string(),
    ] {
        let page = api.api("GET", &path, None, None);
        page.expect_status(200, &path);
        let tag = page
            .header("etag")
            .unwrap_or_else(|| panic!("{path}: no ETag"));
        assert!(
            tag.starts_with('"') && tag.ends_with('"'),
            "{path}: strong tag {tag}"
        );
        assert_eq!(
            page.header("cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        let (status, body) = conditional_get(&server, &path, &tag);
        assert_eq!(status, 304, "{path}: the same tag again");
        assert!(body.is_empty(), "{path}: a 304 has no body");
        let (status, _) = conditional_get(&server, &path, &format!("W/{tag}"));
        assert_eq!(status, 304, "{path}: a weak If-None-Match compares weakly");
        let (status, _) = conditional_get(&server, &path, "\"something-else\"");
        assert_eq!(status, 200, "{path}: another tag");
    }
    // A change anyone can see changes the tag.
    let path = format!("/api/v1/threads/{thread}");
    let before = api.api("GET", &path, None, None).header("etag").unwrap();
    let vote = json!({"value": "up"});
    let voted = api.api(
        "POST",
        &format!("/api/v1/posts/{post}/vote"),
        Some(&vote),
        Some(&asker),
    );
    voted.expect_status(200, "vote");
    let (status, _) = conditional_get(&server, &path, &before);
    assert_eq!(status, 200, "the vote changed the thread");
    let after = api.api("GET", &path, None, None).header("etag").unwrap();
    assert_ne!(before, after);
}

fn reads_are_the_readers(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let (mut api, asker) = member(&server, "asker");
    let (_, helper) = member(&server, "helper");
    server.create_user("moderator1", "moderator", PASSWORD);
    let moderator = token_for(&mut api, "moderator1");
    let thread = ask(&mut api, &asker);
    let post = answer(&mut api, &helper, thread);
    let path = format!("/api/v1/threads/{thread}");

    let as_helper = api.api("GET", &path, None, Some(&helper)).json();
    assert_eq!(
        as_helper["answers"][0]["can_delete"], true,
        "the author may delete"
    );
    let anonymous = api.api("GET", &path, None, None).json();
    assert_eq!(anonymous["answers"][0]["can_delete"], false);

    let deleted = api.api(
        "DELETE",
        &format!("/api/v1/posts/{post}"),
        None,
        Some(&helper),
    );
    deleted.expect_status(200, "delete the answer");
    assert_eq!(
        deleted.json(),
        json!({"deleted": "answer", "thread_id": thread})
    );
    let anonymous = api.api("GET", &path, None, None).json();
    assert_eq!(anonymous["answers"], json!([]), "gone for the public");
    let as_mod = api.api("GET", &path, None, Some(&moderator)).json();
    assert_eq!(
        as_mod["answers"][0]["deleted"], true,
        "kept, marked, for moderators"
    );
    let revisions = format!("/api/v1/posts/{post}/revisions");
    api.api("GET", &revisions, None, None)
        .expect_status(404, "a deleted post's history, anonymously");
    api.api("GET", &revisions, None, Some(&moderator))
        .expect_status(200, "a deleted post's history, for a moderator");

    let page = api.api("GET", &path, None, Some("not.a.token"));
    page.expect_status(401, "a bad token is refused, not read as anonymous");
    assert_eq!(page.json()["error"], "unauthenticated");
}

fn openapi_lists_the_table(backend: Backend) {
    let server = ForumServer::start(backend);
    let mut api = server.client();
    let page = api.api("GET", "/api/v1/openapi.json", None, None);
    page.expect_status(200, "the OpenAPI document");
    let doc = page.json();
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3."), "openapi {version}");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let tabled: BTreeSet<(String, String)> = ROUTES
        .iter()
        .filter(|r| r.is_api())
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(
        documented, tabled,
        "the document and the route table list the same API"
    );
}
