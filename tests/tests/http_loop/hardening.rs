//! Requests a browser would never make but an attacker or a broken client will: redirect targets
//! that leave the site, NUL bytes, over-size bodies, wrong methods, HEAD.

use forum_e2e::{html, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(sign_in_never_redirects_off_site);

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
