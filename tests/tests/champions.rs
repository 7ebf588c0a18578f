//! The champion programme over HTTP on both databases: a member's nomination (the text kept on
//! a refusal), staff's grant from the manage page with a scope and a perk, the flair on the
//! champion's posts in scope only, the perk at work, the public list and the API's scope and
//! term end, the impact page, and the term clock from the CLI telling a champion whose term
//! ends within a week.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::token_for;
use forum_e2e::{unique, Backend, ForumServer, PASSWORD};
use serde_json::json;

forum_db::backend_tests!(backend: nominate_grant_flair_and_terms);

fn nominate_grant_flair_and_terms(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let (member, champ, boss) = (
        format!("nm{}", unique()),
        format!("ch{}", unique()),
        format!("st{}", unique()),
    );
    s.create_user(&member, "member", PASSWORD);
    s.create_user(&champ, "member", PASSWORD);
    s.create_user(&boss, "staff", PASSWORD);
    let mut m = s.client();
    m.login(&member, PASSWORD).expect_see_other("sign in");
    let mut c = s.client();
    c.login(&champ, PASSWORD).expect_see_other("sign in");
    let mut b = s.client();
    b.login(&boss, PASSWORD).expect_see_other("sign in");

    // Nominating oneself is refused, with the reason kept.
    m.get("/champions");
    let why = "Answers every export question with patience and detail.";
    let own = m.post_form(
        "/champions/nominations",
        &[("username", member.as_str()), ("reason", why)],
    );
    own.expect_status(403, "nominating oneself");
    assert!(own.body.contains(why), "the reason is kept");
    m.post_form(
        "/champions/nominations",
        &[("username", champ.as_str()), ("reason", why)],
    )
    .expect_see_other("a nomination");
    let again = m.post_form(
        "/champions/nominations",
        &[("username", boss.as_str()), ("reason", why)],
    );
    again.expect_status(409, "a second nomination this term");

    // Staff see it and grant it from the manage page: scope getting-started, perk edit_others.
    m.get("/champions/manage")
        .expect_status(403, "members do not manage");
    let manage = b.get("/champions/manage");
    assert!(manage.body.contains(why), "{}", manage.body);
    let token = token_for(&mut b, &boss);
    let pending = b
        .api("GET", "/api/v1/champions/nominations", None, Some(&token))
        .json();
    let nomination = pending["nominations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["nominee"] == champ.as_str())
        .expect("the nomination")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    b.post_form(
        "/champions",
        &[
            ("username", champ.as_str()),
            ("nomination_id", nomination.as_str()),
            ("category_getting-started", "1"),
            ("perk_edit_others", "1"),
            ("term_end", tomorrow.as_str()),
        ],
    )
    .expect_see_other("grant");
    let listed = s.client().get("/api/v1/champions").json();
    let me = listed["champions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["username"] == champ.as_str())
        .expect("listed")
        .clone();
    assert_eq!(
        me["scope"],
        json!({"all": false, "categories": ["getting-started"]})
    );
    assert_eq!(me["perks"], json!(["edit_others"]));
    assert!(me["term_end"].as_str().unwrap().starts_with(&tomorrow));
    assert!(s.client().get("/champions").body.contains(&champ));

    // The flair, in scope only.
    let thread = m.ask(
        "Exports time out after a minute",
        "Large exports stop after sixty seconds with a timeout error.",
        "getting-started",
        "",
    );
    c.answer(
        &thread,
        "Split the export by month; each part finishes in time.",
    );
    let page = s.client().get(&thread).body;
    assert!(page.contains("badge-champion"), "the flair in scope");
    // The perk: a TL0 champion edits someone else's question directly.
    let question = m
        .api(
            "GET",
            &format!("/api/v1/threads/{}", forum_e2e::client::thread_id(&thread)),
            None,
            None,
        )
        .json()["question"]["id"]
        .as_i64()
        .unwrap();
    let ctoken = token_for(&mut c, &champ);
    let edit = c.api(
        "PATCH",
        &format!("/api/v1/posts/{question}"),
        Some(&json!({"body": "Large exports stop after exactly sixty seconds with a timeout.", "reason": "precise"})),
        Some(&ctoken),
    );
    edit.expect_status(200, "a champion's perk edits directly");

    // The impact page for staff and the champion, not for others.
    let id = me["id"].as_i64().unwrap();
    let impact = b.get(&format!("/champions/{id}/impact"));
    impact.expect_status(200, "impact for staff");
    assert!(impact.body.contains("impact-answers"));
    c.get(&format!("/champions/{id}/impact"))
        .expect_status(200, "impact for the champion");
    m.get(&format!("/champions/{id}/impact"))
        .expect_status(403, "impact for others");

    // The term ends tomorrow: the clock tells the champion.
    let out = s.run_cli_ok(&["champions", "run-terms"], None);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("1 noticed"), "{said}");
    let mine = c
        .api("GET", "/api/v1/notifications", None, Some(&ctoken))
        .json();
    assert!(
        mine.to_string().contains("Your champion term ends on"),
        "{mine}"
    );
}
