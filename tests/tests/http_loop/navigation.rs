//! Dead ends a reader can reach by following or editing a link: odd page numbers, pages past the
//! end of a list or of search results, and the way from sign-in to registration and back.

use std::time::{Duration, Instant};

use forum_e2e::{html, unique_word, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(
    page_numbers_never_dead_end,
    next_survives_registration,
    wording_and_favicon
);

/// Text a parser error would put on a page.
const PARSER_TEXT: [&str; 4] = [
    "invalid digit",
    "Invalid query",
    "ParseIntError",
    "deserialize",
];

fn no_parser_text(page: &forum_e2e::Page) {
    for text in PARSER_TEXT {
        assert!(!page.body.contains(text), "{}: shows {text:?}", page.path);
    }
}

fn page_numbers_never_dead_end(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let word = unique_word();
    let thread = alice.ask(
        &format!("Printer driver will not install {word}"),
        &format!("The installer stops at 80% on version 4.2 of the driver. {word}"),
        "getting-started",
        "",
    );

    let mut anon = server.client();
    let first = html::thread_links(&anon.get("/").body);
    for path in [
        "/?page=abc",
        "/?page=0",
        "/?page=-3",
        "/?page=1.5",
        "/?page=",
        "/c/getting-started?page=x",
    ] {
        let page = anon.get(path);
        page.expect_status(200, "a page number that is not one");
        no_parser_text(&page);
        if path.starts_with("/?") {
            assert_eq!(
                html::thread_links(&page.body),
                first,
                "{path} is not page 1"
            );
        }
    }
    let api = anon.get("/api/v1/threads?page=abc");
    if api.status != 200 {
        api.expect_status(422, "API page=abc");
        no_parser_text(&api);
    }

    for path in [
        "/?page=999",
        "/?tab=solved&page=999",
        "/c/getting-started?page=999",
        "/?page=99999999999",
    ] {
        let page = anon.get(path);
        page.expect_status(200, "a page past the end");
        let text = html::text(&page.body);
        if path.ends_with("=999") {
            assert!(
                text.contains("There are no more questions on this page"),
                "{path}: {}",
                page.short()
            );
            assert!(
                !text.contains("No questions here yet"),
                "{path} says the list is empty"
            );
        }
    }
    let past = anon.get("/?tab=solved&page=999");
    let back = html::open_tags(&past.body, "a")
        .into_iter()
        .filter_map(|t| html::attr(t, "href"))
        .any(|h| h == "/?tab=solved");
    assert!(back, "no link back to the first page of the list");

    // Search: one hit; page 5 is past the end and says so, without contradicting itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !anon
        .get(&format!("/search?q={word}"))
        .body
        .contains(&thread)
    {
        assert!(Instant::now() < deadline, "search never found {thread}");
        std::thread::sleep(Duration::from_millis(250));
    }
    let page = anon.get(&format!("/search?q={word}"));
    assert!(
        html::text(&page.body).contains("1 result for"),
        "{}",
        page.short()
    );
    let page = anon.get(&format!("/search?q={word}&page=5"));
    page.expect_status(200, "search page 5");
    let text = html::text(&page.body);
    assert!(
        text.contains("There are no more results on this page"),
        "{}",
        page.short()
    );
    assert!(
        !text.contains("No results"),
        "page 5 says nothing matched: {}",
        page.short()
    );
    for path in [
        format!("/search?q={word}&page=abc"),
        format!("/search?q={word}&page=0"),
    ] {
        let page = anon.get(&path);
        page.expect_status(200, "search with an odd page number");
        no_parser_text(&page);
        assert!(page.body.contains(&thread), "{path} is not page 1");
    }
    let none = anon.get(&format!("/search?q={}", unique_word()));
    assert!(
        html::text(&none.body).contains("No results for"),
        "{}",
        none.short()
    );
}

fn next_survives_registration(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut carol = server.client();
    let login = carol.get("/login?next=/ask");
    let register_link = "/register?next=%2Fask";
    let linked = html::open_tags(&login.body, "a")
        .into_iter()
        .filter_map(|t| html::attr(t, "href"))
        .any(|h| h == register_link);
    assert!(linked, "the sign-in page's registration link lost next");
    let form = carol.get(register_link);
    form.expect_status(200, "registration form with next");
    let next = html::open_tags(&form.body, "input")
        .into_iter()
        .find(|t| html::attr(t, "name").as_deref() == Some("next"))
        .and_then(|t| html::attr(t, "value"));
    assert_eq!(next.as_deref(), Some("/ask"), "registration form lost next");
    let sign_in_link = html::open_tags(&form.body, "a")
        .into_iter()
        .filter_map(|t| html::attr(t, "href"))
        .any(|h| h == "/login?next=%2Fask");
    assert!(
        sign_in_link,
        "the sign-in link on the registration form lost next"
    );
    let fields = [
        ("username", "carol"),
        ("email", "carol@example.com"),
        ("password", PASSWORD),
        ("next", "/ask"),
    ];
    let done = carol.post_form("/register", &fields);
    assert_eq!(done.expect_see_other("register with next"), "/ask");

    let mut dave = server.client();
    dave.get("/register?next=//evil.example");
    let fields = [
        ("username", "dave"),
        ("email", "dave@example.com"),
        ("password", PASSWORD),
        ("next", "/\t/evil.example"),
    ];
    let done = dave.post_form("/register", &fields);
    assert_eq!(done.expect_see_other("register with a hostile next"), "/");
}

fn wording_and_favicon(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut anon = server.client();
    for path in ["/", "/login", "/register"] {
        let text = html::text(&anon.get(path).body);
        assert!(
            !text.contains("Log in") && !text.contains("Log out"),
            "{path} says Log in/out"
        );
    }
    assert!(html::text(&anon.get("/").body).contains("Sign in"));
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let home = html::text(&alice.get("/").body);
    assert!(home.contains("Sign out"), "signed-in header lacks Sign out");
    let ask = html::text(&alice.get("/ask").body);
    for wrong in ["compiler", "borrow", "```rust"] {
        assert!(!ask.contains(wrong), "the ask page talks about {wrong}");
    }
    assert!(
        ask.contains("steps to reproduce"),
        "the ask page does not ask for steps"
    );
    // A domain message written in lower case reaches the page with a capital.
    let thread = alice.ask(
        "Where is my receipt",
        "I paid but got no receipt.",
        "billing",
        "",
    );
    let id = forum_e2e::client::thread_id(&thread);
    let page = alice.post_form(&format!("/t/{id}/answer"), &[("body", "")]);
    page.expect_status(422, "an empty answer");
    let alert = html::text_of_class(&page.body, "alert-error").expect("an .alert-error");
    let first = alert.trim().chars().next().expect("a message in the alert");
    assert!(
        !first.is_lowercase(),
        "error message starts in lower case: {alert}"
    );

    let home = anon.get("/");
    let icon = html::open_tags(&home.body, "link")
        .into_iter()
        .find(|t| html::attr(t, "rel").as_deref() == Some("icon"))
        .and_then(|t| html::attr(t, "href"))
        .expect("a <link rel=icon>");
    for path in [icon.as_str(), "/favicon.ico"] {
        let page = anon.get(path);
        page.expect_status(200, "the favicon");
        let ctype = page.header("content-type").unwrap_or_default();
        assert!(ctype.starts_with("image/svg+xml"), "{path}: {ctype}");
        assert!(page.body.contains("<svg"), "{path} is not an SVG");
    }
}
