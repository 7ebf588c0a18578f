//! The happy path and who may do what: ask, answer, vote, accept, edit, revisions.

use crate::{labelled_accepted, listed};
use forum_e2e::{html, unique_word, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(full_loop, permissions_and_revisions);

fn full_loop(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let (mut alice, mut bob) = (server.client(), server.client());
    alice.register("alice", PASSWORD);
    bob.register("bob", PASSWORD);

    let word = unique_word();
    let title = format!("How do I rotate my API key {word}");
    let body = format!("I created a key last week and now need to rotate it safely. {word}");
    let thread = alice.ask(&title, &body, "getting-started", "api-keys");
    let segments: Vec<&str> = thread.trim_start_matches('/').split('/').collect();
    assert!(
        segments.len() == 3 && segments[0] == "t",
        "thread URL {thread} is not /t/slug/id"
    );
    assert!(
        segments[2].parse::<i64>().is_ok(),
        "thread URL {thread} has no numeric id"
    );

    let page = alice.get(&thread);
    page.expect_status(200, "new thread");
    assert!(
        page.body.contains(&title),
        "thread page lacks the title: {}",
        page.short()
    );
    let question = html::articles(&page.body)
        .first()
        .cloned()
        .expect("question <article>");
    assert!(
        question.html.contains(&word),
        "first article is not the question"
    );
    let unanswered = html::thread_links(&alice.get("/?tab=unanswered").body);
    assert!(
        listed(&unanswered, &thread),
        "new question missing from ?tab=unanswered"
    );

    let answer_text =
        format!("Open settings, create a second key, then revoke the old one. {word}ans");
    let answer = bob.answer(&thread, &answer_text);
    assert_ne!(answer, question.id);
    alice.vote(answer, "up");
    bob.vote(question.id, "up");

    let before = alice.get(&thread);
    let art = html::articles(&before.body)
        .into_iter()
        .find(|a| a.id == answer)
        .expect("answer");
    assert!(
        !labelled_accepted(&art),
        "answer labelled accepted before accepting"
    );
    assert!(
        html::text_of_class(&before.body, "badge-solved").is_none(),
        "solved too early"
    );
    assert!(
        before.body.contains("accept-button"),
        "asker sees no .accept-button"
    );

    alice.accept(answer);
    let after = alice.get(&thread);
    after.expect_status(200, "thread after accept");
    let badge = html::text_of_class(&after.body, "badge-solved");
    assert!(
        badge.as_deref().is_some_and(|t| t.contains("Solved")),
        "badge-solved: {badge:?}"
    );
    let art = html::articles(&after.body)
        .into_iter()
        .find(|a| a.id == answer)
        .expect("answer");
    assert!(
        labelled_accepted(&art),
        "accepted answer not labelled: {}",
        art.tag
    );

    let solved = html::thread_links(&alice.get("/?tab=solved").body);
    assert!(
        listed(&solved, &thread),
        "solved thread missing from ?tab=solved: {solved:?}"
    );
    let unanswered = html::thread_links(&alice.get("/?tab=unanswered").body);
    assert!(
        !listed(&unanswered, &thread),
        "answered thread still in ?tab=unanswered"
    );

    let anon = &mut server.client();
    let bob_page = anon.get("/u/bob");
    bob_page.expect_status(200, "bob's profile");
    let rep = html::profile_reputation(&bob_page.body);
    assert_eq!(
        rep,
        Some(26),
        "bob: 1 + 10 (upvote) + 15 (accepted); {}",
        bob_page.short()
    );
    let alice_page = anon.get("/u/alice");
    let rep = html::profile_reputation(&alice_page.body);
    assert_eq!(
        rep,
        Some(8),
        "alice: 1 + 5 (upvote) + 2 (accepting); {}",
        alice_page.short()
    );
}

fn permissions_and_revisions(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let (mut alice, mut bob, mut carol) = (server.client(), server.client(), server.client());
    alice.register("alice", PASSWORD);
    bob.register("bob", PASSWORD);
    carol.register("carol", PASSWORD);
    let word = unique_word();
    let body_v1 = format!("Our Slack integration stopped posting new tickets yesterday. {word}one");
    let title = format!("Slack integration stopped posting {word}");
    let thread = alice.ask(&title, &body_v1, "integrations", "slack");
    let question = html::articles(&alice.get(&thread).body)[0].id;
    let answer = bob.answer(
        &thread,
        &format!("Reconnect the app from the integrations page. {word}"),
    );

    carol.get(&thread);
    let page = carol.post_form(&format!("/p/{answer}/accept"), &[]);
    page.expect_status(403, "carol accepting an answer on alice's question");
    assert!(
        page.body.contains("href=\"/u/carol\""),
        "the error page still shows who is signed in"
    );
    let page = carol.get("/no-such-page");
    page.expect_status(404, "an unknown path");
    assert!(
        page.body.contains("href=\"/u/carol\""),
        "the 404 page still shows who is signed in"
    );
    let page = bob.post_form(&format!("/p/{answer}/accept"), &[]);
    page.expect_status(403, "bob accepting his own answer on alice's question");
    let page = alice.get(&thread);
    assert!(
        html::text_of_class(&page.body, "badge-solved").is_none(),
        "solved by a non-asker"
    );

    let hijack = format!("Hijacked by bob {word}bob");
    // Below trust level 3 an edit of someone else's post is only suggested.
    let page = bob.edit(question, Some(&title), &hijack, "mine now");
    page.expect_see_other("bob suggesting an edit of alice's question");
    assert_eq!(
        page.location(),
        Some(format!("/p/{question}/suggested-edit"))
    );
    let page = carol.edit(answer, None, &hijack, "mine now");
    page.expect_see_other("carol suggesting an edit of bob's answer");
    assert!(
        !alice.get(&thread).body.contains(&hijack),
        "a suggested edit was applied"
    );
    let review = alice.get(&format!("/p/{question}/suggested-edit"));
    assert!(review.body.contains(&hijack) && review.body.contains("approve-edit"));
    let own = bob.get(&format!("/p/{question}/suggested-edit"));
    assert!(
        !own.body.contains("approve-edit"),
        "no one reviews their own"
    );

    let body_v2 = format!("Update: it stops only for private channels. {word}two");
    alice
        .edit(question, Some(&title), &body_v2, "narrowed it down")
        .expect_see_other("edit");
    let page = alice.get(&thread);
    assert!(
        page.body.contains(&body_v2),
        "thread does not show the edited body"
    );
    let revisions = server.client().get(&format!("/p/{question}/revisions"));
    revisions.expect_status(200, "revisions page");
    for (v, text) in [("v1", &body_v1), ("v2", &body_v2)] {
        assert!(
            revisions.body.contains(text.as_str()),
            "revisions page lacks {v}"
        );
    }
    let (i1, i2) = (revisions.body.find(&body_v1), revisions.body.find(&body_v2));
    assert!(i2 < i1, "revisions are not newest first");

    server.create_user("stella", "staff", PASSWORD);
    let mut staff = server.client();
    staff
        .login("stella", PASSWORD)
        .expect_see_other("staff login (user made by the CLI)");
    staff.get(&thread);
    staff.accept(answer);
    let badge = html::text_of_class(&alice.get(&thread).body, "badge-solved");
    assert!(
        badge.is_some_and(|t| t.contains("Solved")),
        "staff accept did not solve the thread"
    );
}
