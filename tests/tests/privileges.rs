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
    editing_and_commenting_on_others_posts_unlock_at_their_levels,
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

/// Sets a member's trust level behind the services' back (as an admin tool would).
fn set_level(s: &ForumServer, username: &str, level: i32) {
    use diesel::RunQueryDsl;
    let db = forum_db::Db::connect(&s.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    diesel::sql_query(format!(
        "UPDATE users SET trust_level = {level} WHERE username = '{username}'"
    ))
    .execute(&mut *conn)
    .unwrap();
}

fn editing_and_commenting_on_others_posts_unlock_at_their_levels(backend: Backend) {
    let s = ForumServer::start_seeded_with(backend, &[("FORUM_PRIVILEGE_COMMENT_EVERYWHERE", "1")]);
    let (author, editor, boss) = (
        format!("ea{}", unique()),
        format!("ed{}", unique()),
        format!("eb{}", unique()),
    );
    s.create_user(&author, "member", PASSWORD);
    s.create_user(&editor, "member", PASSWORD);
    s.create_user(&boss, "staff", PASSWORD);
    let mut a = s.client();
    a.login(&author, PASSWORD).expect_see_other("sign in");
    let mut e = s.client();
    e.login(&editor, PASSWORD).expect_see_other("sign in");
    let thread = a.ask(
        "Calendar sync shows events twice",
        "Every event from the shared calendar appears twice in the app.",
        "getting-started",
        "",
    );
    let post = a.answer(
        &thread,
        "Removing and adding the calendar again fixed it for me.",
    );
    let token = token_for(&mut e, &editor);

    // Comment everywhere at TL1 here: refused at TL0 on someone else's thread, page and API.
    let page = e.post_form(
        &format!("/p/{post}/comment"),
        &[("body", "Did you also clear the cache?")],
    );
    page.expect_status(403, "a TL0 comment elsewhere");
    assert!(
        page.body.contains("Did you also clear the cache?"),
        "the text is kept"
    );
    let api = e.api(
        "POST",
        &format!("/api/v1/posts/{post}/comments"),
        Some(&json!({"body": "Did you also clear the cache?"})),
        Some(&token),
    );
    api.expect_status(403, "a TL0 comment elsewhere, API");
    set_level(&s, &editor, 1);
    e.post_form(
        &format!("/p/{post}/comment"),
        &[("body", "Did you also clear the cache?")],
    )
    .expect_see_other("a TL1 comment");

    // Editing others: suggested at TL2, direct at TL3, on the page and through the API.
    set_level(&s, &editor, 2);
    let edit = |c: &mut forum_e2e::Client, text: &str| c.edit(post, None, text, "clearer");
    let suggested = edit(
        &mut e,
        "Remove the calendar, then add it again: the duplicates go.",
    );
    suggested.expect_see_other("a TL2 edit is suggested");
    assert!(suggested.location().unwrap().ends_with("/suggested-edit"));
    let api = e.api(
        "PATCH",
        &format!("/api/v1/posts/{post}"),
        Some(&json!({"body": "Another wording of the same fix, suggested.", "reason": ""})),
        Some(&token),
    );
    api.expect_status(409, "one suggestion waits already");
    set_level(&s, &editor, 3);
    let direct = edit(
        &mut e,
        "Remove the shared calendar and add it again; duplicates vanish.",
    );
    direct.expect_see_other("a TL3 edit applies");
    assert!(direct.location().unwrap().contains("#post-"));
    let api = e.api(
        "PATCH",
        &format!("/api/v1/posts/{post}"),
        Some(&json!({"body": "Remove the shared calendar, add it again: no more duplicates.", "reason": ""})),
        Some(&token),
    );
    api.expect_status(200, "a TL3 edit through the API");

    // Trust level 4 by staff only.
    let leader = format!("/api/v1/users/{author}/leader");
    e.api(
        "PUT",
        &leader,
        Some(&json!({"granted": true})),
        Some(&token),
    )
    .expect_status(403, "a member grants nothing");
    let mut b = s.client();
    b.login(&boss, PASSWORD).expect_see_other("sign in");
    let staff = token_for(&mut b, &boss);
    let granted = b.api(
        "PUT",
        &leader,
        Some(&json!({"granted": true})),
        Some(&staff),
    );
    granted.expect_status(200, "staff grant TL4");
    assert_eq!(granted.json()["trust_level"], 4);
    assert!(s
        .client()
        .get(&format!("/u/{author}"))
        .body
        .contains("Trust level 4"));
    let back = b.api(
        "PUT",
        &leader,
        Some(&json!({"granted": false})),
        Some(&staff),
    );
    assert!(back.json()["trust_level"].as_i64().unwrap() < 4);
}
