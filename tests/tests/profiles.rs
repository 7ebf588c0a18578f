//! Profiles and the leaderboard over HTTP on both databases: the profile's reputation chart
//! (SVG with a text alternative), badges, top tags, accepted-answer rate and champion status;
//! `GET /api/v1/users/{username}`; the leaderboard by period and category, page and API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};
use serde_json::json;

forum_db::backend_tests!(backend: profile_api_and_leaderboard_show_standing);

fn profile_api_and_leaderboard_show_standing(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let (asker, helper, boss) = (
        format!("pa{}", unique()),
        format!("ph{}", unique()),
        format!("ps{}", unique()),
    );
    s.create_user(&asker, "member", PASSWORD);
    s.create_user(&helper, "member", PASSWORD);
    s.create_user(&boss, "staff", PASSWORD);
    let mut a = s.client();
    a.login(&asker, PASSWORD).expect_see_other("sign in");
    let mut h = s.client();
    h.login(&helper, PASSWORD).expect_see_other("sign in");
    let thread = a.ask(
        "Invoices are sent twice",
        "Every customer gets each invoice twice since the update.",
        "getting-started",
        "invoices",
    );
    let answer = h.answer(&thread, "Turn off the legacy mailer under Settings, Email.");
    a.vote(answer, "up").expect_see_other("upvote");
    a.accept(answer).expect_see_other("accept");
    let mut b = s.client();
    b.login(&boss, PASSWORD).expect_see_other("sign in");
    let token = token_for(&mut b, &boss);
    b.api(
        "POST",
        "/api/v1/champions",
        Some(&json!({"username": helper, "categories": ["getting-started"]})),
        Some(&token),
    )
    .expect_status(201, "grant");

    let page = s.client().get(&format!("/u/{helper}"));
    page.expect_status(200, "profile");
    let body = &page.body;
    assert!(body.contains(r#"id="reputation-chart""#) && body.contains(r#"role="img""#));
    assert!(
        body.contains("The numbers"),
        "a table of the chart's numbers"
    );
    assert!(
        body.contains("First accepted answer"),
        "badges on the profile"
    );
    assert!(body.contains("profile-top-tags") && body.contains(">invoices<"));
    assert!(body.contains("100%"), "accepted-answer rate");
    assert!(body.contains("profile-champion"), "champion status");

    let api = s
        .client()
        .get(&format!("/api/v1/users/{}", helper.to_uppercase()));
    api.expect_status(200, "user API, any case");
    let u = api.json();
    assert_eq!(u["username"], helper.as_str());
    assert_eq!(u["reputation"], 1 + 10 + 15);
    assert!(u["trust_level"].as_i64().unwrap() >= 1);
    let names: Vec<&str> = u["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"First answer") && names.contains(&"Champion"),
        "{names:?}"
    );
    assert_eq!(
        u["champion"]["scope"]["categories"],
        json!(["getting-started"])
    );
    assert!(u["champion"]["term_end"].is_string());
    assert_eq!(u["accepted_rate"], 1.0);
    let asker_api = s.client().get(&format!("/api/v1/users/{asker}")).json();
    assert!(asker_api["champion"].is_null());
    s.client()
        .get("/api/v1/users/nobody-at-all")
        .expect_status(404, "no such member");

    let board = s.client().get("/leaderboard?period=week");
    board.expect_status(200, "leaderboard");
    assert!(board.body.contains(&helper));
    let api = s
        .client()
        .get("/api/v1/leaderboard?period=all&category=getting-started")
        .json();
    assert!(api["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["username"] == helper.as_str() && l["reputation"] == 25));
    s.client()
        .get("/api/v1/leaderboard?period=decade")
        .expect_status(422, "a bad period");
    s.client()
        .get("/leaderboard?category=no-such-category")
        .expect_status(404, "a bad category");
}
