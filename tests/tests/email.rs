//! Email end to end, against a real SMTP server on 127.0.0.1 (aiosmtpd, `SmtpSink`) and the
//! real `forum serve` on both databases: the registration email's link confirms the address
//! once; a reset link works once, and an unknown address is answered like a known one; an
//! answer emails the asker exactly once, with the thread's link and one-click unsubscribe, and
//! unsubscribing stops the next one; a server killed with SIGKILL between queuing and sending
//! still sends exactly once after a restart; a dead SMTP server fails no request; a permanent
//! refusal marks the address undeliverable; a title with CR LF never makes a header.
//!
//! "Exactly once" is checked with a marker: the worker takes jobs in the order they were
//! queued, so once an email queued later has arrived, every earlier one was decided.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use forum_e2e::cast::token_for;
use forum_e2e::smtp::{Mail, SmtpSink};
use forum_e2e::{free_port, unique, Backend, Client, ForumServer, PASSWORD};

forum_db::backend_tests!(backend:
    the_registration_link_confirms_the_address_once,
    a_reset_link_works_once_and_unknown_addresses_are_answered_alike,
    an_answer_emails_the_asker_once_and_one_click_unsubscribe_stops_the_next,
    a_crash_between_queuing_and_sending_still_sends_exactly_once,
    a_dead_smtp_server_fails_no_request,
    a_refused_address_is_marked_undeliverable,
    with_confirmation_required_posts_wait_for_the_link,
);

const WAIT: Duration = Duration::from_secs(30);

fn server(backend: Backend, sink_url: &str, delay_secs: &str) -> ForumServer {
    ForumServer::start_seeded_with(
        backend,
        &[
            ("FORUM_EMAIL_TRANSPORT", "smtp"),
            ("FORUM_SMTP_URL", sink_url),
            ("FORUM_EMAIL_DELAY_SECS", delay_secs),
        ],
    )
}

fn address(name: &str) -> String {
    format!("{name}@example.com")
}

/// The path and query of an absolute link to `s`.
fn local(s: &ForumServer, link: &str) -> String {
    link.strip_prefix(&s.url(""))
        .unwrap_or_else(|| panic!("{link} is not on {}", s.url("")))
        .to_string()
}

/// Queues a reset email for `name` and waits for it: every email queued before has then been
/// sent or dropped. Returns how many reset emails `name` has now.
fn marker(s: &ForumServer, sink: &SmtpSink, name: &str) {
    let before = count(sink, name, "Reset your password");
    let mut anon = s.client();
    anon.get("/password/forgot");
    anon.post_form("/password/forgot", &[("email", &address(name))])
        .expect_status(200, "ask for a reset (marker)");
    let deadline = Instant::now() + WAIT;
    while count(sink, name, "Reset your password") == before {
        assert!(Instant::now() < deadline, "the marker email did not arrive");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count(sink: &SmtpSink, name: &str, subject: &str) -> usize {
    sink.messages_to(&address(name))
        .iter()
        .filter(|m| m.subject.contains(subject))
        .count()
}

fn signed_in(s: &ForumServer, name: &str) -> Client {
    s.create_user(name, "member", PASSWORD);
    let mut c = s.client();
    c.login(name, PASSWORD).expect_see_other("sign in");
    c
}

fn the_registration_link_confirms_the_address_once(backend: Backend) {
    let sink = SmtpSink::start();
    let s = server(backend, &sink.url(), "0");
    let name = format!("new{}", unique());
    let mut c = s.client();
    c.register(&name, PASSWORD);
    assert!(c.get("/settings").body.contains("not confirmed yet"));
    let mail = sink.wait_for(&address(&name), "Confirm your email address", WAIT);
    assert!(mail.html.contains("Confirm my address"), "{}", mail.html);
    let path = local(&s, &mail.link("/account/confirm?token="));
    let page = c.get(&path);
    page.expect_status(200, "confirm");
    assert!(page.body.contains("is confirmed"), "{}", page.body);
    assert!(c.get("/settings").body.contains("(confirmed)"));
    let again = s.client().get(&path);
    again.expect_status(400, "the same link again");
    assert!(again.body.contains("This link no longer works"));
    // A forged or truncated token says the same, and tells nothing.
    s.client()
        .get(&path[..path.len() - 3])
        .expect_status(400, "a truncated link");
}

fn a_reset_link_works_once_and_unknown_addresses_are_answered_alike(backend: Backend) {
    let sink = SmtpSink::start();
    let s = server(backend, &sink.url(), "0");
    let name = format!("forgot{}", unique());
    s.create_user(&name, "member", PASSWORD);
    let mut anon = s.client();
    anon.get("/password/forgot");
    let stranger = format!("nobody{}@example.com", unique());
    let unknown = anon.post_form("/password/forgot", &[("email", &stranger)]);
    let known = anon.post_form("/password/forgot", &[("email", &address(&name))]);
    unknown.expect_status(200, "unknown address");
    known.expect_status(200, "known address");
    assert_eq!(
        unknown.body.replace(&stranger, "ADDRESS"),
        known.body.replace(&address(&name), "ADDRESS"),
        "the page must not tell whether an account uses the address"
    );
    let malformed = anon.post_form("/password/forgot", &[("email", "a@b.com\r\nBcc: x@y.com")]);
    malformed.expect_status(422, "a malformed address");

    let mail = sink.wait_for(&address(&name), "Reset your password", WAIT);
    assert!(
        sink.messages_to(&stranger).is_empty(),
        "nothing goes to an unknown address"
    );
    let path = local(&s, &mail.link("/password/reset?token="));
    let token = path.split("token=").nth(1).unwrap().to_string();
    anon.get(&path).expect_status(200, "the reset form");
    let new_password = "a completely new password 7";
    let done = anon.post_form(
        "/password/reset",
        &[("token", &token), ("password", new_password)],
    );
    assert_eq!(done.expect_see_other("reset"), "/login?reset=done");
    let twice = anon.post_form(
        "/password/reset",
        &[("token", &token), ("password", "and yet another one 8")],
    );
    twice.expect_status(400, "the link a second time");
    s.client()
        .get(&path)
        .expect_status(400, "the used link's form");
    let mut c = s.client();
    c.login(&name, PASSWORD)
        .expect_status(422, "the old password");
    c.login(&name, new_password)
        .expect_see_other("the new password");
}

fn an_answer_emails_the_asker_once_and_one_click_unsubscribe_stops_the_next(backend: Backend) {
    let sink = SmtpSink::start();
    let s = server(backend, &sink.url(), "0");
    let (asker, helper) = (format!("asker{}", unique()), format!("helper{}", unique()));
    let mut a = signed_in(&s, &asker);
    let mut h = signed_in(&s, &helper);
    // A title with CR LF in it: it must never become a header of its own.
    let thread = a.ask(
        "Export fails\r\nBcc: victim@example.com",
        "The export stops at 99% with no error in the log.",
        "getting-started",
        "",
    );
    h.answer(&thread, "Clear the export cache and run it again.");
    let mail: Mail = sink.wait_for(&address(&asker), "answered your question", WAIT);
    assert!(mail.text.contains(&s.url(&thread)), "{}", mail.text);
    assert_eq!(mail.envelope_to, address(&asker), "one recipient only");
    assert!(mail.header("Bcc").is_none(), "{:?}", mail.headers);
    assert!(!mail.subject.contains('\r') && !mail.subject.contains('\n'));
    assert!(mail
        .header("Message-ID")
        .is_some_and(|id| id.starts_with('<')));
    assert_eq!(
        mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let unsubscribe = mail
        .header("List-Unsubscribe")
        .unwrap()
        .trim_matches(['<', '>'])
        .to_string();
    marker(&s, &sink, &asker);
    assert_eq!(
        count(&sink, &asker, "answered your question"),
        1,
        "exactly once"
    );

    // A mail client's one-click unsubscribe: a POST without cookies or form token.
    let mut outsider = s.client();
    let page = outsider.request(
        "POST",
        &local(&s, &unsubscribe),
        Some((
            "application/x-www-form-urlencoded",
            b"List-Unsubscribe=One-Click".to_vec(),
        )),
    );
    page.expect_status(200, "one-click unsubscribe");
    assert!(page.body.contains("gets no more"), "{}", page.body);
    let other = format!("second{}", unique());
    let mut o = signed_in(&s, &other);
    o.answer(
        &thread,
        "Another idea: check the disk space of the export volume.",
    );
    marker(&s, &sink, &asker);
    assert_eq!(
        count(&sink, &asker, "answered your question"),
        1,
        "no answer email after unsubscribing"
    );
    // The in-app notification still came.
    let token = token_for(&mut a, &asker);
    let list = a.api("GET", "/api/v1/notifications", None, Some(&token));
    // Both answers (and the "First question" badge) in the app.
    let answers = list.json()["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "answer" && n["read"] == false)
        .count();
    assert_eq!(answers, 2, "{}", list.body);
}

fn a_crash_between_queuing_and_sending_still_sends_exactly_once(backend: Backend) {
    let sink = SmtpSink::start();
    let mut s = server(backend, &sink.url(), "3");
    let (asker, helper) = (format!("crash{}", unique()), format!("helper{}", unique()));
    let mut a = signed_in(&s, &asker);
    let mut h = signed_in(&s, &helper);
    let thread = a.ask(
        "Sync stops after the upgrade",
        "Since version 4.2 the sync stops after a minute.",
        "getting-started",
        "",
    );
    h.answer(&thread, "Turn off the legacy connector in the admin panel.");
    // The email is queued with the answer and held back 3 s; the server dies before that.
    std::thread::sleep(Duration::from_millis(500));
    s.kill();
    assert!(
        sink.messages_to(&address(&asker)).is_empty(),
        "not sent yet"
    );
    s.restart();
    let mail = sink.wait_for(&address(&asker), "answered your question", WAIT);
    assert!(mail.text.contains(&thread), "{}", mail.text);
    marker(&s, &sink, &asker);
    let answers: Vec<Mail> = sink
        .messages_to(&address(&asker))
        .into_iter()
        .filter(|m| m.subject.contains("answered your question"))
        .collect();
    assert_eq!(answers.len(), 1, "exactly once after the crash");
}

fn a_dead_smtp_server_fails_no_request(backend: Backend) {
    // Nothing listens on this port: every attempt fails and is retried later.
    let dead = format!("smtp://127.0.0.1:{}", free_port());
    let s = server(backend, &dead, "0");
    let name = format!("nomail{}", unique());
    let mut c = s.client();
    c.register(&name, PASSWORD);
    assert!(
        c.logged_in(),
        "registration succeeded although mail cannot leave"
    );
    let mut anon = s.client();
    anon.get("/password/forgot");
    anon.post_form("/password/forgot", &[("email", &address(&name))])
        .expect_status(200, "a reset request with a dead mail server");
    let deadline = Instant::now() + WAIT;
    while !s.log_tail(400).contains("job failed; it will be retried") {
        assert!(
            Instant::now() < deadline,
            "no retry logged:\n{}",
            s.log_tail(40)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn a_refused_address_is_marked_undeliverable(backend: Backend) {
    let sink = SmtpSink::start();
    let s = server(backend, &sink.url(), "0");
    // The sink refuses every address starting with "bounce" with a permanent 550.
    let name = format!("bounce{}", unique());
    let mut c = signed_in(&s, &name);
    let token = token_for(&mut c, &name);
    let mut anon = s.client();
    anon.get("/password/forgot");
    anon.post_form("/password/forgot", &[("email", &address(&name))])
        .expect_status(200, "reset request");
    let deadline = Instant::now() + WAIT;
    loop {
        let me = c.api("GET", "/api/v1/me/settings", None, Some(&token));
        me.expect_status(200, "my settings");
        if me.json()["email_undeliverable"] == true {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never marked:\n{}",
            s.log_tail(40)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(sink.messages_to(&address(&name)).is_empty());
    assert!(c
        .get("/settings")
        .body
        .contains("was refused by its mail server"));
}

fn with_confirmation_required_posts_wait_for_the_link(backend: Backend) {
    let sink = SmtpSink::start();
    let s = ForumServer::start_seeded_with(
        backend,
        &[
            ("FORUM_EMAIL_TRANSPORT", "smtp"),
            ("FORUM_SMTP_URL", &sink.url()),
            ("FORUM_REQUIRE_VERIFIED_EMAIL", "true"),
        ],
    );
    let name = format!("wait{}", unique());
    let mut c = s.client();
    c.register(&name, PASSWORD);
    let title = format!("Printer queue {} is stuck", unique());
    c.get("/ask");
    let held = c.post_form(
        "/ask",
        &[
            ("title", &title),
            ("body", "Every job stays in the queue since this morning."),
            ("category", "getting-started"),
            ("tags", ""),
        ],
    );
    held.expect_status(202, "a post that waits");
    assert!(
        held.body.contains("as soon as you confirm"),
        "{}",
        held.body
    );
    assert!(
        !s.client().get("/?tab=latest").body.contains(&title),
        "not public yet"
    );
    let settings = c.get("/settings");
    assert!(settings.body.contains("Waiting for your confirmation"));
    assert!(settings.body.contains(&title), "visible to its author");
    let mail = sink.wait_for(&address(&name), "Confirm your email address", WAIT);
    c.get(&local(&s, &mail.link("/account/confirm?token=")))
        .expect_status(200, "confirm");
    assert!(
        s.client().get("/?tab=latest").body.contains(&title),
        "published"
    );
    assert!(!c
        .get("/settings")
        .body
        .contains("Waiting for your confirmation"));
}
