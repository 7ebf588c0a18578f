//! The privilege table over HTTP on both databases: a TL0 member's downvote is refused on the
//! page and through the API (one level below the Downvote privilege), the profile shows the
//! level, what it unlocks and what the next one needs; one upvoted answer later (TL1) the same
//! downvote goes through on both. With a ladder configured to need visits and posts read,
//! reading threads as a signed-in member earns the level (recorded off the request path).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};
use serde_json::json;

forum_db::backend_tests!(
    backend: downvoting_unlocks_at_trust_level_1_on_pages_and_the_api,
    reading_threads_earns_a_level_set_by_the_settings,
);

fn downvoting_unlocks_at_trust_level_1_on_pages_and_the_api(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let (newbie, author, fan) = (
        format!("nb{}", unique()),
        format!("au{}", unique()),
        format!("fa{}", unique()),
    );
    for name in [&newbie, &author, &fan] {
        s.create_user(name, "member", PASSWORD);
    }
    let mut n = s.client();
    n.login(&newbie, PASSWORD).expect_see_other("sign in");
    let mut a = s.client();
    a.login(&author, PASSWORD).expect_see_other("sign in");
    let mut f = s.client();
    f.login(&fan, PASSWORD).expect_see_other("sign in");
    let thread = a.ask(
        "Reports export empty files",
        "Every CSV export is empty since Monday.",
        "getting-started",
        "",
    );
    let target = a.answer(&thread, "Answering my own question with a workaround.");
    let profile = s.client().get(&format!("/u/{newbie}")).body;
    assert!(profile.contains("Trust level 0"), "{profile}");
    assert!(profile.contains("Next: trust level 1, to"), "{profile}");
    let token = token_for(&mut n, &newbie);
    let vote = format!("/api/v1/posts/{target}/vote");
    n.post_form(&format!("/p/{target}/vote"), &[("value", "down")])
        .expect_status(403, "a TL0 downvote on the page");
    let api = n.api("POST", &vote, Some(&json!({"value": "down"})), Some(&token));
    api.expect_status(403, "a TL0 downvote through the API");
    assert!(api.body.contains("trust level 1"), "{}", api.body);
    // One upvoted answer: 11 reputation, TL1.
    let other = f.ask(
        "Where do I change the invoice address?",
        "I cannot find the invoice address anywhere in the settings.",
        "getting-started",
        "",
    );
    let helpful = n.answer(&other, "Billing, then Company details, then Edit.");
    f.post_form(&format!("/p/{helpful}/vote"), &[("value", "up")])
        .expect_see_other("upvote");
    assert!(s
        .client()
        .get(&format!("/u/{newbie}"))
        .body
        .contains("Trust level 1"));
    n.post_form(&format!("/p/{target}/vote"), &[("value", "down")])
        .expect_see_other("a TL1 downvote on the page");
    let token = token_for(&mut n, &newbie);
    let ok = n.api("POST", &vote, Some(&json!({"value": "none"})), Some(&token));
    ok.expect_status(200, "withdraw");
    let again = n.api("POST", &vote, Some(&json!({"value": "down"})), Some(&token));
    again.expect_status(200, "a TL1 downvote through the API");
}

fn reading_threads_earns_a_level_set_by_the_settings(backend: Backend) {
    let s = ForumServer::start_seeded_with(
        backend,
        &[
            ("FORUM_TRUST_TL1_REPUTATION", "1"),
            ("FORUM_TRUST_TL1_DAYS_VISITED", "1"),
            ("FORUM_TRUST_TL1_POSTS_READ", "3"),
        ],
    );
    let (reader, author) = (format!("rd{}", unique()), format!("au{}", unique()));
    for name in [&reader, &author] {
        s.create_user(name, "member", PASSWORD);
    }
    let mut a = s.client();
    a.login(&author, PASSWORD).expect_see_other("sign in");
    let thread = a.ask(
        "Sync stops after the update",
        "Since the last update the desktop app stops syncing after a minute.",
        "getting-started",
        "",
    );
    let target = a.answer(
        &thread,
        "Signing out and in again restarts the sync for me.",
    );
    let mut r = s.client();
    r.login(&reader, PASSWORD).expect_see_other("sign in");
    let own = r.get(&format!("/u/{reader}")).body;
    assert!(own.contains("Trust level 0"), "{own}");
    assert!(
        own.contains("Posts read"),
        "the member sees their progress: {own}"
    );
    let public = s.client().get(&format!("/u/{reader}")).body;
    assert!(!public.contains("Posts read"), "others do not: {public}");
    r.post_form(&format!("/p/{target}/vote"), &[("value", "down")])
        .expect_status(403, "a TL0 downvote");
    // Two posts read (the question and its answer): one short.
    r.get(&thread).expect_status(200, "read");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert!(r
        .get(&format!("/u/{reader}"))
        .body
        .contains("Trust level 0"));
    a.answer(
        &thread,
        "Also check that the clock of the machine is right.",
    );
    r.get(&thread).expect_status(200, "read again");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !s
        .client()
        .get(&format!("/u/{reader}"))
        .body
        .contains("Trust level 1")
    {
        assert!(std::time::Instant::now() < deadline, "no TL1 after reading");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    r.post_form(&format!("/p/{target}/vote"), &[("value", "down")])
        .expect_see_other("a TL1 downvote");
}
