//! The audit log over HTTP on both databases: staff's champion grant and trust level 4 are
//! recorded; moderators read them on the page and through the API with filters and as CSV;
//! members are refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};
use serde_json::json;

forum_db::backend_tests!(backend: moderators_read_what_staff_did);

fn moderators_read_what_staff_did(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let (boss, moderator, member) = (
        format!("ab{}", unique()),
        format!("am{}", unique()),
        format!("au{}", unique()),
    );
    s.create_user(&boss, "staff", PASSWORD);
    s.create_user(&moderator, "moderator", PASSWORD);
    s.create_user(&member, "member", PASSWORD);
    let mut b = s.client();
    b.login(&boss, PASSWORD).expect_see_other("sign in");
    let staff = token_for(&mut b, &boss);
    b.api(
        "POST",
        "/api/v1/champions",
        Some(&json!({"username": member})),
        Some(&staff),
    )
    .expect_status(201, "grant");
    b.api(
        "PUT",
        &format!("/api/v1/users/{member}/leader"),
        Some(&json!({"granted": true})),
        Some(&staff),
    )
    .expect_status(200, "TL4");

    let mut m = s.client();
    m.login(&moderator, PASSWORD).expect_see_other("sign in");
    let token = token_for(&mut m, &moderator);
    let all = m
        .api("GET", "/api/v1/moderation/audit", None, Some(&token))
        .json();
    let actions: Vec<&str> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["trust.grant_leader", "champion.grant"], "{all}");
    assert_eq!(all["entries"][0]["actor"], boss.as_str());
    let filtered = m
        .api(
            "GET",
            &format!("/api/v1/moderation/audit?action=champion.&actor={boss}"),
            None,
            Some(&token),
        )
        .json();
    assert_eq!(filtered["entries"].as_array().unwrap().len(), 1);
    let page = m.get("/moderation/audit?action=trust.");
    page.expect_status(200, "audit page");
    assert!(page.body.contains("trust.grant_leader") && !page.body.contains("champion.grant</td>"));
    let csv = m.get("/moderation/audit?format=csv");
    assert!(csv.body.starts_with("id,when,actor,action"), "{}", csv.body);
    assert!(csv.body.contains("\"champion.grant\""));
    m.get("/moderation/audit?from=yesterday")
        .expect_status(422, "a bad date");

    let mut u = s.client();
    u.login(&member, PASSWORD).expect_see_other("sign in");
    u.get("/moderation/audit").expect_status(403, "members");
    let mine = token_for(&mut u, &member);
    u.api("GET", "/api/v1/moderation/audit", None, Some(&mine))
        .expect_status(403, "members, API");
}
