//! The social contract on every write route, from the one route table
//! (`forum_e2e::route_table`). Every POST route documented in docs/ROUTES.md, and every route
//! of its JSON API section, is a row there; a row that creates content must refuse a new
//! member's post with too many links, on the page and over the API alike. A route added to the
//! docs without a row fails here; a row whose route is not documented fails too.

use forum_e2e::cast::{make_target, token_for};
use forum_e2e::route_table::{Kind, Send, ROUTES};
use forum_e2e::{repo_root, unique_word, Backend, ForumServer, PASSWORD};
use serde_json::Value;

forum_e2e::on_both_backends!(contract_applies_on_every_write_route);

/// `(method, path)` of every POST row of the pages' table (`GET/POST` rows count as POST) and
/// every row of the JSON API table in docs/ROUTES.md, with `{id}` as written there.
fn documented_routes() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(repo_root().join("docs/ROUTES.md")).unwrap();
    let mut out = Vec::new();
    let mut in_api = false;
    for line in doc.lines() {
        if line.starts_with("## ") {
            in_api = line.contains("JSON API");
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(method), Some(path)) = (cells.get(1), line.split('`').nth(1)) else {
            continue;
        };
        let method = match *method {
            "POST" | "GET/POST" => "POST",
            m if in_api && ["GET", "PUT", "PATCH", "DELETE"].contains(&m) => m,
            _ => continue,
        };
        out.push((method.to_string(), path.to_string()));
    }
    out.sort();
    out
}

fn contract_applies_on_every_write_route(backend: Backend) {
    let mut tabled: Vec<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    tabled.sort();
    assert_eq!(
        tabled,
        documented_routes(),
        "every documented write route and API route has a row in the route table"
    );

    let server = ForumServer::start_seeded(backend);
    let mut newcomer = server.client();
    newcomer.register("newcomer", PASSWORD);
    let token = token_for(&mut newcomer, "newcomer");
    let mut other = server.client();
    other.register("bystander", PASSWORD);
    let other_token = token_for(&mut other, "bystander");
    let word = unique_word();
    let spam =
        format!("Look: https://a.example/{word} https://b.example/{word} https://c.example/{word}");
    let mut content_routes = 0;
    for route in ROUTES.iter().filter(|r| r.kind == Kind::Content) {
        content_routes += 1;
        let path = route.concrete_path(make_target(&mut other, route.target, &token, &other_token));
        match route.send {
            Send::Form(fields) => {
                newcomer.get("/");
                let mut all: Vec<(&str, &str)> = fields.to_vec();
                all.push(("body", &spam));
                let page = newcomer.post_form(&path, &all);
                page.expect_status(422, &format!("{path}: too many links"));
                assert!(page.body.contains("links"), "{path}: {}", page.short());
                assert!(page.body.contains(&word), "{path}: the text is kept");
            }
            Send::Json(template) => {
                let mut body: Value = serde_json::from_str(template).unwrap();
                body["body"] = Value::String(spam.clone());
                let page = newcomer.api(route.method, &path, Some(&body), Some(&token));
                page.expect_status(422, &format!("{} {path}: too many links", route.method));
                assert_eq!(page.json()["error"], "validation", "{path}");
            }
            Send::Bare => panic!("{path}: a content route sends its text"),
        }
    }
    assert!(
        content_routes >= 8,
        "pages and API: ask, answer, comment, edit"
    );
    for route in ROUTES {
        if let Kind::NoContent(reason) | Kind::Session(reason) = route.kind {
            assert!(!reason.is_empty(), "{}: why no content", route.path);
        }
    }
    for id in every_thread(&mut newcomer) {
        let page = newcomer.api("GET", &format!("/api/v1/threads/{id}"), None, None);
        assert!(
            !page.body.contains("a.example"),
            "nothing with the links was stored: thread {id}"
        );
    }
}

/// Every thread id, walking the latest list by cursor.
fn every_thread(client: &mut forum_e2e::Client) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut path = "/api/v1/threads".to_string();
    for _ in 0..100 {
        let list = client.api("GET", &path, None, None).json();
        let threads = list["threads"].as_array().cloned().unwrap_or_default();
        ids.extend(threads.iter().filter_map(|t| t["id"].as_i64()));
        match list["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/threads?cursor={cursor}"),
            None => return ids,
        }
    }
    panic!("the list did not end");
}
