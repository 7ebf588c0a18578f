//! Requests a browser would never make but an attacker or a broken client will: redirect targets
//! that leave the site, NUL bytes, over-size bodies, wrong methods, HEAD.

use std::io::{Read, Write};
use std::net::TcpStream;

use forum_e2e::{html, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(
    sign_in_never_redirects_off_site,
    nul_bytes_and_over_size_json,
    wrong_methods_and_head
);

/// The value of the hidden `next` field of the sign-in form.
fn next_field(body: &str) -> Option<String> {
    html::open_tags(body, "input")
        .into_iter()
        .find(|t| html::attr(t, "name").as_deref() == Some("next"))
        .and_then(|t| html::attr(t, "value"))
}

fn sign_in_never_redirects_off_site(backend: Backend) {
    let server = ForumServer::start(backend);
    let mut bob = server.client();
    bob.register("bob", PASSWORD);
    bob.logout().expect_see_other("logout");

    for query in [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%5Cevil.example",
        "%2F%2Fevil.example",
    ] {
        let page = bob.get(&format!("/login?next={query}"));
        page.expect_status(200, "sign-in form with a hostile next");
        assert_eq!(next_field(&page.body).as_deref(), Some("/"), "next={query}");
    }

    let hostile = [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\r\n/evil.example/",
        "/\\evil.example",
        "/\t\\evil.example",
        "//evil.example",
        "/%09/evil.example/",
        "https://evil.example/",
    ];
    for next in hostile {
        bob.get("/login");
        let page = bob.post_form(
            "/login",
            &[("login", "bob"), ("password", PASSWORD), ("next", next)],
        );
        let location = page.expect_see_other(&format!("sign in with next={next:?}"));
        assert_eq!(location, "/", "next={next:?}");
        bob.logout().expect_see_other("logout");
    }

    bob.get("/login?next=/u/bob");
    let page = bob.post_form(
        "/login",
        &[("login", "bob"), ("password", PASSWORD), ("next", "/u/bob")],
    );
    assert_eq!(page.expect_see_other("sign in with a good next"), "/u/bob");
}

fn nul_bytes_and_over_size_json(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let paths = [
        "/c/%00",
        "/c/billing%00",
        "/u/a%00b",
        "/tags/x%00",
        "/t/x%00/1",
        "/p/1%00/revisions",
        "/search?q=a%00b",
        "/?tab=%00",
        "/login?next=/%00",
        "/api/v1/threads/%00",
        "/api/v1/threads?tab=%00",
    ];
    for path in paths {
        for client in [&mut server.client(), &mut alice] {
            let page = client.get(path);
            assert!(
                page.status == 404 || page.status == 422,
                "{path}: expected 404 or 422, got {}: {}",
                page.status,
                page.short()
            );
            let ctype = page.header("content-type").unwrap_or_default();
            if path.starts_with("/api/") {
                assert!(page.json()["error"].is_string(), "{path}: {}", page.short());
            } else {
                assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
                assert!(
                    page.body.contains("error-page"),
                    "{path}: not the error page"
                );
            }
        }
    }

    let huge = format!(
        "{{\"login\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(3 * 1024 * 1024)
    );
    let page = alice.request(
        "POST",
        "/api/v1/tokens",
        Some(("application/json", huge.into_bytes())),
    );
    page.expect_status(413, "a 3 MB JSON body");
    assert_eq!(page.json()["error"], "payload_too_large");
    let page = alice.request(
        "POST",
        "/api/v1/tokens",
        Some(("application/json", b"{\"login\": 1}".to_vec())),
    );
    page.expect_status(422, "a JSON body of the wrong shape");
    alice
        .get("/")
        .expect_status(200, "the server after a 3 MB body");
}

/// A raw HTTP/1.1 HEAD: the status line and every byte after the header block.
fn raw_head(port: u16, path: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!("HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    (head, raw[end + 4..].to_vec())
}

fn allow(page: &forum_e2e::Page) -> Vec<String> {
    let mut methods: Vec<String> = page
        .header("allow")
        .unwrap_or_default()
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    methods.sort();
    methods
}

fn wrong_methods_and_head(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let thread = alice.ask(
        "Refund for a double charge",
        "I was charged twice in May.",
        "billing",
        "",
    );

    let cases: [(&str, &str, &[&str]); 8] = [
        ("POST", "/", &["GET", "HEAD"]),
        ("DELETE", "/", &["GET", "HEAD"]),
        ("PUT", "/login", &["GET", "HEAD", "POST"]),
        ("DELETE", &thread, &["GET", "HEAD"]),
        ("POST", "/c/billing", &["GET", "HEAD"]),
        ("GET", "/logout", &["POST"]),
        ("PUT", "/static/style.css", &["GET", "HEAD"]),
        ("PATCH", "/api/v1/threads", &["GET", "HEAD", "POST"]),
    ];
    for (method, path, methods) in cases {
        for client in [&mut server.client(), &mut alice] {
            let page = client.request(method, path, None);
            page.expect_status(405, &format!("{method} {path}"));
            assert_eq!(allow(&page), methods.to_vec(), "{method} {path}: Allow");
            if path.starts_with("/api/") {
                assert_eq!(page.json()["error"], "method_not_allowed");
            } else {
                let ctype = page.header("content-type").unwrap_or_default();
                assert!(ctype.starts_with("text/html"), "{method} {path}: {ctype}");
            }
        }
    }
    let page = alice.request("POST", "/no-such-page", None);
    page.expect_status(404, "POST to an address no route has");
    assert!(
        page.body.contains("href=\"/u/alice\""),
        "the 404 page still shows who is signed in"
    );
    alice
        .request("PUT", "/api/v1/nothing", None)
        .expect_status(404, "PUT to no API route");

    for path in ["/", &thread, "/c/billing", "/login", "/static/style.css"] {
        let (head, body) = raw_head(server.port, path);
        assert!(head.starts_with("HTTP/1.1 200"), "HEAD {path}: {head}");
        assert!(
            body.is_empty(),
            "HEAD {path} sent {} body bytes",
            body.len()
        );
        let get = server.client().get(path);
        get.expect_status(200, "GET after HEAD");
    }
    let (head, body) = raw_head(server.port, "/no-such-page");
    assert!(
        head.starts_with("HTTP/1.1 404"),
        "HEAD of a missing page: {head}"
    );
    assert!(body.is_empty());
}
