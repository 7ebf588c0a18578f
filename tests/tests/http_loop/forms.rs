//! Failure paths of forms (CSRF, validation, sizes), canonical URLs, 404s and search.

use std::time::{Duration, Instant};

use crate::listed;
use forum_e2e::{html, unique_word, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(
    csrf_and_validation,
    canonical_urls_404_and_search,
    form_errors_are_announced
);

fn csrf_and_validation(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let word = unique_word();
    let title = format!("Invoice shows the wrong currency {word}");
    let body = format!("My invoice for March is in USD but my account is set to EUR. {word}");
    let fields = [
        ("title", title.as_str()),
        ("body", &body),
        ("category", "billing"),
        ("tags", ""),
    ];

    alice.get("/ask");
    // Refused without acting, the text kept on the page (the form a session-ended member sees).
    let page = alice.post_form_raw("/ask", &fields);
    page.expect_status(401, "POST /ask without csrf_token");
    assert!(page.body.contains(&word), "the text is kept");
    let mut forged = fields.to_vec();
    forged.push(("csrf_token", "not-the-token"));
    alice
        .post_form_raw("/ask", &forged)
        .expect_status(401, "POST /ask with a forged token");
    let home = alice.get("/");
    assert!(
        !home.body.contains(&word),
        "a CSRF-rejected question was created"
    );
    let search = alice.get(&format!("/search?q={word}"));
    assert!(
        !search.body.contains(&title),
        "a CSRF-rejected question is searchable"
    );

    let no_title = [
        ("title", ""),
        ("body", &body),
        ("category", "billing"),
        ("tags", ""),
    ];
    let page = alice.post_form("/ask", &no_title);
    page.expect_status(422, "empty title");
    assert!(
        page.body.contains(&body),
        "422 page lost the body text: {}",
        page.short()
    );

    let huge = "lorem ipsum ".repeat(1024 * 1024 / 12 + 1);
    let big = [
        ("title", title.as_str()),
        ("body", &huge),
        ("category", "billing"),
        ("tags", ""),
    ];
    let page = alice.post_form("/ask", &big);
    assert!(
        page.status == 413 || page.status == 422,
        "1 MB body: expected 413 or 422, got {}: {}",
        page.status,
        page.short()
    );
    assert!(
        !page.body.trim().is_empty(),
        "1 MB body: error response has no body"
    );
    alice.get("/").expect_status(200, "home after a 1 MB post");

    let bad_cat = [
        ("title", title.as_str()),
        ("body", &body),
        ("category", "no-such-cat"),
        ("tags", ""),
    ];
    let page = alice.post_form("/ask", &bad_cat);
    page.expect_status(422, "unknown category");
    assert!(
        page.body.contains(&title),
        "422 page lost the title: {}",
        page.short()
    );
    assert!(
        !alice.get("/").body.contains(&word),
        "an invalid question was created"
    );
}

fn canonical_urls_404_and_search(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let word = unique_word();
    let body = format!("Exports to CSV cut off after ten thousand rows {word} in every report.");
    let thread = alice.ask(
        "CSV export is truncated",
        &body,
        "getting-started",
        "export",
    );
    let id = forum_e2e::client::thread_id(&thread);

    let mut anon = server.client();
    for path in [format!("/t/{id}"), format!("/t/not-the-slug/{id}")] {
        let page = anon.get(&path);
        page.expect_status(301, "non-canonical thread URL");
        assert_eq!(
            page.location().as_deref(),
            Some(thread.as_str()),
            "{path} redirect target"
        );
    }
    anon.get(&thread).expect_status(200, "canonical thread URL");
    let missing = anon.get("/t/nothing-here/987654321");
    missing.expect_status(404, "unknown thread");
    let ctype = missing.header("content-type").unwrap_or_default();
    assert!(
        ctype.starts_with("text/html"),
        "404 is not an HTML page: {ctype}"
    );
    anon.get("/t/987654321")
        .expect_status(404, "unknown thread without slug");

    let cat = anon.get("/c/getting-started");
    assert!(
        listed(&html::thread_links(&cat.body), &thread),
        "thread missing from its category"
    );
    let tag = anon.get("/tags/export");
    assert!(
        listed(&html::thread_links(&tag.body), &thread),
        "thread missing from its tag page"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut found = false;
    while !found && Instant::now() < deadline {
        let page = anon.get(&format!("/search?q={word}"));
        page.expect_status(200, "search");
        found = page.body.contains(&thread);
        if !found {
            std::thread::sleep(Duration::from_millis(250));
        }
    }
    assert!(
        found,
        "search for a body word did not find {thread} within 10 s"
    );
    let other = anon.get(&format!("/search?q={}", unique_word()));
    assert!(
        !other.body.contains(&thread),
        "search for an unrelated word returned the thread"
    );
}

/// The `<title>` of a page.
fn title(body: &str) -> String {
    let start = body.find("<title>").map_or(0, |i| i + 7);
    let end = body[start..].find("</title>").map_or(start, |i| start + i);
    body[start..end].to_string()
}

fn form_errors_are_announced(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut alice = server.client();
    alice.register("alice", PASSWORD);
    let form = alice.get("/ask");
    assert!(
        !title(&form.body).starts_with("Error"),
        "{}",
        title(&form.body)
    );
    let fields = [
        ("title", ""),
        ("body", "x"),
        ("category", "billing"),
        ("tags", ""),
    ];
    let page = alice.post_form("/ask", &fields);
    page.expect_status(422, "an empty question");
    assert!(
        title(&page.body).starts_with("Error: "),
        "the title does not say there is an error: {}",
        title(&page.body)
    );

    let thread = alice.ask(
        "Cannot change my plan",
        "The plan page shows no button.",
        "billing",
        "",
    );
    let id = forum_e2e::client::thread_id(&thread);
    let page = alice.post_form(&format!("/t/{id}/answer"), &[("body", "")]);
    page.expect_status(422, "an empty answer");
    assert!(
        title(&page.body).starts_with("Error: "),
        "{}",
        title(&page.body)
    );
    let textarea = html::open_tags(&page.body, "textarea")
        .into_iter()
        .find(|t| html::attr(t, "id").as_deref() == Some("answer-body"))
        .expect("the answer textarea");
    assert_eq!(
        html::attr(textarea, "aria-invalid").as_deref(),
        Some("true")
    );
    let described = html::attr(textarea, "aria-describedby").unwrap_or_default();
    assert!(
        described.split(' ').any(|id| id == "answer-error"),
        "{described}"
    );
    assert!(
        page.body.contains("id=\"answer-error\""),
        "no error element"
    );
}
