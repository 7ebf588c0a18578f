//! Requests a browser would never make but an attacker or a broken client will: redirect targets
//! that leave the site, NUL bytes, over-size bodies, wrong methods, HEAD.

use forum_e2e::{html, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(
    sign_in_never_redirects_off_site,
    nul_bytes_and_over_size_json
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
