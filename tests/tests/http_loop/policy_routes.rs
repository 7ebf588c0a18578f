//! The social contract on every write route. Every POST route documented in docs/ROUTES.md is
//! in the table below, either as a route that creates content (then a new member's post with
//! too many links must be refused there, on the page and over the API alike) or as one that
//! creates none, with the reason. A route added to the docs without a row here fails the test.

use forum_e2e::{html, repo_root, unique_word, Backend, Client, ForumServer, PASSWORD};
use serde_json::json;

forum_e2e::on_both_backends!(contract_applies_on_every_write_route);

/// How a route is reached with a body of text.
#[derive(Clone, Copy, Debug)]
enum Send {
    /// A page form: fields, with `body` set to the text.
    Form(&'static [(&'static str, &'static str)]),
    /// A JSON API call with a bearer token: `{..., "body": text}`.
    Api,
    /// Creates no content; the reason says why the contract's content rules do not apply.
    NoContent(&'static str),
}

/// Every POST route of docs/ROUTES.md.
const ROUTES: &[(&str, Send)] = &[
    (
        "/ask",
        Send::Form(&[
            ("title", "Links everywhere in this question"),
            ("category", "getting-started"),
            ("tags", ""),
        ]),
    ),
    ("/t/{thread}/answer", Send::Form(&[])),
    ("/p/{question}/comment", Send::Form(&[])),
    (
        "/p/{answer}/edit",
        Send::Form(&[("reason", "adding links")]),
    ),
    ("/api/v1/threads", Send::Api),
    ("/api/v1/threads/{thread}/answers", Send::Api),
    (
        "/p/{answer}/vote",
        Send::NoContent("a vote carries no text"),
    ),
    (
        "/p/{answer}/accept",
        Send::NoContent("acceptance carries no text"),
    ),
    (
        "/p/{answer}/delete",
        Send::NoContent("deleting removes content"),
    ),
    ("/register", Send::NoContent("an account, not a post")),
    ("/login", Send::NoContent("signing in")),
    ("/logout", Send::NoContent("signing out")),
    ("/logout/everywhere", Send::NoContent("signing out")),
    ("/api/v1/tokens", Send::NoContent("a token, not a post")),
];

/// The POST paths documented in docs/ROUTES.md, with `{id}` as written there.
fn documented_post_routes() -> Vec<String> {
    let doc = std::fs::read_to_string(repo_root().join("docs/ROUTES.md")).unwrap();
    doc.lines()
        .filter(|l| l.starts_with("| POST") || l.starts_with("| GET/POST"))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect()
}

/// `/p/{answer}/edit` → `/p/{id}/edit`, to compare with the docs.
fn generic(path: &str) -> String {
    ["{thread}", "{question}", "{answer}"]
        .iter()
        .fold(path.to_string(), |p, v| p.replace(v, "{id}"))
}

fn contract_applies_on_every_write_route(backend: Backend) {
    let mut documented = documented_post_routes();
    documented.sort();
    let mut tabled: Vec<String> = ROUTES.iter().map(|(p, _)| generic(p)).collect();
    tabled.sort();
    assert_eq!(
        tabled, documented,
        "every documented POST route has a row here"
    );

    let server = ForumServer::start_seeded(backend);
    let mut newcomer = server.client();
    newcomer.register("newcomer", PASSWORD);
    let word = unique_word();
    let thread = newcomer.ask(
        &format!("Where are the export settings {word}"),
        &format!("I cannot find the export settings anywhere {word}."),
        "getting-started",
        "",
    );
    let thread_id = forum_e2e::client::thread_id(&thread);
    let question = html::articles(&newcomer.get(&thread).body)[0].id;
    let answer = newcomer.answer(&thread, &format!("Found them under Settings {word}"));
    let token = token_for(&mut newcomer, "newcomer");
    let spam =
        format!("Look: https://a.example/{word} https://b.example/{word} https://c.example/{word}");
    for (path, send) in ROUTES {
        let path = path
            .replace("{thread}", &thread_id.to_string())
            .replace("{question}", &question.to_string())
            .replace("{answer}", &answer.to_string());
        match send {
            Send::Form(fields) => {
                newcomer.get(&thread);
                let mut all: Vec<(&str, &str)> = fields.to_vec();
                all.push(("body", &spam));
                let page = newcomer.post_form(&path, &all);
                page.expect_status(422, &format!("{path}: too many links"));
                assert!(page.body.contains("links"), "{path}: {}", page.short());
                assert!(page.body.contains(&word), "{path}: the text is kept");
            }
            Send::Api => {
                let body = json!({"title": "Links everywhere in this question", "category": "getting-started", "body": spam});
                let page = newcomer.api("POST", &path, Some(&body), Some(&token));
                page.expect_status(422, &format!("{path}: too many links"));
                assert_eq!(page.json()["error"], "validation", "{path}");
            }
            Send::NoContent(reason) => assert!(!reason.is_empty()),
        }
    }
    let page = newcomer.get(&thread);
    assert!(
        !page.body.contains("https://a.example"),
        "nothing with the links was stored"
    );
}

fn token_for(client: &mut Client, login: &str) -> String {
    client
        .api(
            "POST",
            "/api/v1/tokens",
            Some(&json!({"login": login, "password": PASSWORD})),
            None,
        )
        .json()["token"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}
