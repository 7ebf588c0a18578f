//! Badges over HTTP on both databases: asking earns "First question" once, with a
//! notification; the badges pages and `GET /api/v1/badges[/{badge}]` show it and who earned it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};

forum_db::backend_tests!(backend: a_first_question_earns_a_badge_shown_everywhere);

fn a_first_question_earns_a_badge_shown_everywhere(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let asker = format!("bq{}", unique());
    s.create_user(&asker, "member", PASSWORD);
    let mut a = s.client();
    a.login(&asker, PASSWORD).expect_see_other("sign in");
    let before = s.client().get("/api/v1/badges").json();
    let count_of = |v: &serde_json::Value| {
        v["badges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["slug"] == "first_question")
            .map(|b| b["awarded_count"].as_i64().unwrap())
            .unwrap()
    };
    a.ask(
        "Invoices show the wrong currency",
        "Since this morning every invoice shows dollars instead of euros.",
        "getting-started",
        "",
    );
    a.ask(
        "Second question about invoices",
        "And the invoice date is one day off as well, for every invoice.",
        "getting-started",
        "",
    );
    let after = s.client().get("/api/v1/badges").json();
    assert_eq!(
        count_of(&after),
        count_of(&before) + 1,
        "once for two questions"
    );
    let token = token_for(&mut a, &asker);
    let mine = a
        .api("GET", "/api/v1/notifications", None, Some(&token))
        .json();
    let texts: Vec<_> = mine["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["text"].as_str())
        .collect();
    assert!(
        texts.contains(&"You earned the badge “First question”"),
        "{texts:?}"
    );
    let page = s.client().get("/badges");
    page.expect_status(200, "badges page");
    assert!(page.body.contains("First question") && page.body.contains("Tag gold"));
    let one = s.client().get("/badges/first_question");
    assert!(one.body.contains(&asker), "{}", one.body);
    let api = s.client().get("/api/v1/badges/first_question").json();
    assert!(api["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["username"] == asker.as_str()));
    s.client()
        .get("/api/v1/badges/no_such_badge")
        .expect_status(404, "an unknown badge");
    s.client()
        .get("/badges/no_such_badge")
        .expect_status(404, "an unknown badge page");
}
