//! Notifications through the real application in process, on both databases: the bell counts
//! an answer to the member's question, the page lists it and marks it read (one or all), the
//! API reads and marks the caller's own only, and anonymous readers are sent to sign in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use actix_web::http::Method;
use common::TestApp;
use forum_core::testing::{answer_by, ask_in, user, without_first_badges};
use forum_core::Role;
use serde_json::json;

route_tests!(
    the_bell_counts_and_the_page_marks_read,
    the_api_reads_and_marks_only_ones_own,
    anonymous_readers_are_sent_to_sign_in,
    the_watch_forms_and_api_set_the_level,
    a_new_member_may_mention_two,
);

/// The bell's count in a page's header.
fn bell(html: &str) -> i64 {
    let at = html.find("id=\"bell-count\">").expect("a bell") + 16;
    html[at..at + html[at..].find('<').unwrap()]
        .parse()
        .unwrap()
}

async fn the_bell_counts_and_the_page_marks_read(app: TestApp) {
    let cat = app.category();
    let (asker, mut me) = app.with_user("asker", Role::Member).await;
    without_first_badges(&mut app.conn(), &asker);
    assert_eq!(bell(&me.get("/").await.body), 0);
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let helper = user(&mut app.conn(), "helper");
    let first = answer_by(&mut app.conn(), &helper, &thread);
    answer_by(&mut app.conn(), &helper, &thread);
    assert_eq!(bell(&me.get("/").await.body), 2, "two answers");
    let page = me.get("/notifications").await;
    page.expect(200, "notifications page");
    let sentence = format!(
        "{} answered your question “{}”",
        helper.username, thread.title
    );
    let linked = format!(">{sentence}</a>");
    assert_eq!(page.body.matches(&linked).count(), 2, "{}", page.body);
    let link = format!("/t/{}/{}#post-{}", thread.slug, thread.id.0, first.id.0);
    assert!(page.body.contains(&link));
    // Mark the first one read by its own button.
    let id = page
        .body
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    me.post_form("/notifications/read", &[("id", &id)])
        .await
        .expect(303, "mark one read");
    assert_eq!(bell(&me.get("/notifications").await.body), 1);
    me.post_form("/notifications/read", &[("all", "true")])
        .await
        .expect(303, "mark all read");
    let after = me.get("/notifications").await;
    assert_eq!(bell(&after.body), 0);
    assert!(!after.body.contains("id=\"mark-all-read\""));
    assert!(after.body.contains(&sentence), "read ones stay listed");
}

async fn the_api_reads_and_marks_only_ones_own(app: TestApp) {
    let cat = app.category();
    let (asker, mut c) = app.with_user("asker", Role::Member).await;
    let (other, _) = app.with_user("other", Role::Member).await;
    without_first_badges(&mut app.conn(), &asker);
    without_first_badges(&mut app.conn(), &other);
    let helper = user(&mut app.conn(), "helper");
    let mine = ask_in(&mut app.conn(), &asker, &cat);
    let theirs = ask_in(&mut app.conn(), &other, &cat);
    answer_by(&mut app.conn(), &helper, &mine);
    answer_by(&mut app.conn(), &helper, &theirs);
    let token = c.api_token(&asker.username).await;
    let their_token = c.api_token(&other.username).await;
    let list = c
        .api(Method::GET, "/api/v1/notifications", None, Some(&token))
        .await;
    list.expect(200, "GET notifications");
    let body = list.json();
    assert_eq!(body["unread"], 1, "{body}");
    assert_eq!(body["notifications"][0]["kind"], "answer");
    assert_eq!(body["notifications"][0]["read"], false);
    let my_id = body["notifications"][0]["id"].as_i64().unwrap();
    let theirs_list = c
        .api(
            Method::GET,
            "/api/v1/notifications",
            None,
            Some(&their_token),
        )
        .await
        .json();
    let their_id = theirs_list["notifications"][0]["id"].as_i64().unwrap();
    // Someone else's id is ignored; one's own is marked.
    let r = c
        .api(
            Method::POST,
            "/api/v1/notifications/read",
            Some(&json!({"ids": [their_id]})),
            Some(&token),
        )
        .await;
    r.expect(200, "mark another's");
    assert_eq!(r.json(), json!({"marked": 0, "unread": 1}));
    let r = c
        .api(
            Method::POST,
            "/api/v1/notifications/read",
            Some(&json!({"ids": [my_id, their_id]})),
            Some(&token),
        )
        .await;
    assert_eq!(r.json(), json!({"marked": 1, "unread": 0}));
    assert_eq!(theirs_list["unread"], 1);
    let still = c
        .api(
            Method::GET,
            "/api/v1/notifications",
            None,
            Some(&their_token),
        )
        .await
        .json();
    assert_eq!(still["unread"], 1, "the other member's stays unread");
    // Neither ids nor all, or both: 422 with the common error shape.
    for bad in [json!({}), json!({"ids": [my_id], "all": true})] {
        let r = c
            .api(
                Method::POST,
                "/api/v1/notifications/read",
                Some(&bad),
                Some(&token),
            )
            .await;
        r.expect(422, "bad read body");
        assert_eq!(r.json()["error"], "validation");
    }
}

async fn anonymous_readers_are_sent_to_sign_in(app: TestApp) {
    let mut anon = app.client();
    let page = anon.get("/notifications").await;
    page.expect(303, "anonymous");
    assert_eq!(page.location(), "/login?next=/notifications");
    let api = anon
        .api(Method::GET, "/api/v1/notifications", None, None)
        .await;
    api.expect(401, "anonymous API");
}

/// The selected option of a page's watch form.
fn selected_level(html: &str) -> &str {
    let form = &html[html.find("id=\"watch-form\"").expect("a watch form")..];
    let at = form.find(" selected>").unwrap();
    let start = form[..at].rfind("value=\"").unwrap() + 7;
    &form[start..at - 1]
}

async fn the_watch_forms_and_api_set_the_level(app: TestApp) {
    let cat = app.category();
    let (asker, mut me) = app.with_user("asker", Role::Member).await;
    without_first_badges(&mut app.conn(), &asker);
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let path = format!("/t/{}/{}", thread.slug, thread.id.0);
    assert_eq!(
        selected_level(&me.get(&path).await.body),
        "watch",
        "askers watch"
    );
    me.post_form(&format!("/t/{}/watch", thread.id.0), &[("level", "mute")])
        .await
        .expect(303, "mute");
    assert_eq!(selected_level(&me.get(&path).await.body), "mute");
    let helper = user(&mut app.conn(), "helper");
    answer_by(&mut app.conn(), &helper, &thread);
    assert_eq!(bell(&me.get("/").await.body), 0, "muted: no notification");
    // The same through the API; a wrong level is refused; an unknown category is 404.
    let token = me.api_token(&asker.username).await;
    let put = |path: String, level: &str| (path, json!({"level": level}));
    let (p, body) = put(format!("/api/v1/threads/{}/watch", thread.id.0), "normal");
    let r = me.api(Method::PUT, &p, Some(&body), Some(&token)).await;
    r.expect(200, "PUT watch");
    assert_eq!(r.json(), json!({"level": "normal"}));
    assert_eq!(selected_level(&me.get(&path).await.body), "normal");
    let (p, body) = put(format!("/api/v1/threads/{}/watch", thread.id.0), "loud");
    let r = me.api(Method::PUT, &p, Some(&body), Some(&token)).await;
    r.expect(422, "unknown level");
    assert_eq!(r.json()["error"], "validation");
    let (p, body) = put("/api/v1/categories/no-such-category/watch".into(), "watch");
    me.api(Method::PUT, &p, Some(&body), Some(&token))
        .await
        .expect(404, "unknown category");
    // A category's page: the form for members, none for anonymous readers.
    let cat_path = format!("/c/{}", cat.slug);
    me.post_form(&format!("{cat_path}/watch"), &[("level", "watch")])
        .await
        .expect(303, "watch the category");
    assert_eq!(selected_level(&me.get(&cat_path).await.body), "watch");
    assert!(!app
        .client()
        .get(&cat_path)
        .await
        .body
        .contains("watch-form"));
    let other = user(&mut app.conn(), "other");
    ask_in(&mut app.conn(), &other, &cat);
    assert_eq!(
        bell(&me.get("/").await.body),
        1,
        "a new thread in the watched category"
    );
}

async fn a_new_member_may_mention_two(app: TestApp) {
    let cat = app.category();
    let asker = user(&mut app.conn(), "asker");
    let thread = ask_in(&mut app.conn(), &asker, &cat);
    let names: Vec<String> = (0..3)
        .map(|i| user(&mut app.conn(), &format!("m{i}")).username)
        .collect();
    let (_, mut newbie) = app.with_user("newbie", Role::Member).await;
    let path = format!("/t/{}/{}", thread.slug, thread.id.0);
    newbie.get(&path).await;
    let three = format!(
        "Ping @{} @{} @{} about this marker8812.",
        names[0], names[1], names[2]
    );
    let refused = newbie
        .post_form(&format!("/t/{}/answer", thread.id.0), &[("body", &three)])
        .await;
    refused.expect(422, "three mentions from a new member");
    assert!(
        refused.body.contains("mention at most 2"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("marker8812"), "the text is kept");
    newbie.get(&path).await;
    let two = format!("Ping @{} and @{} about this.", names[0], names[1]);
    newbie
        .post_form(&format!("/t/{}/answer", thread.id.0), &[("body", &two)])
        .await
        .expect(303, "two mentions");
    let page = newbie.get(&path).await;
    assert!(page
        .body
        .contains(&format!("<a class=\"mention\" href=\"/u/{}\"", names[1])));
}
