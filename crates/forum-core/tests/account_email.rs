//! The account lifecycle and the email it queues, on both databases: emailed links refused when
//! expired, reused, meant for another purpose, tampered with or outdated by a password or
//! address change; registration, resets and address changes queue the right email in their own
//! transaction and tell nobody whether an address has an account; notifications queue email by
//! preference; unsubscribe scopes; digests queued once per period; profile rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use diesel::prelude::*;
use forum_core::account_settings::{
    change_email, change_password, profile, update_profile, AddressChange, Profile,
};
use forum_core::accounts::{register, Registered, Registration};
use forum_core::email::digests::{content, last_send_moment, queue_due};
use forum_core::email::prefs::{self, Unsubscribe};
use forum_core::email::Email;
use forum_core::jobs::Job;
use forum_core::links::{check, issue, LinkKey, Purpose};
use forum_core::policy::NoContract;
use forum_core::recovery::{confirm_address, request_reset, reset_password};
use forum_core::{sessions, watching, CoreError};
use forum_db::models::User;
use forum_db::schema::{email_digests, outbox};
use forum_db::test_util::TestDb;
use forum_db::time::now;
use forum_db::types::{DigestPeriod, EmailFrequency, NotificationKind, WatchLevel, WatchTarget};
use forum_db::AnyConnection;

forum_db::backend_tests!(
    links_refuse_every_kind_of_bad_link,
    registration_queues_confirmation_and_tells_the_owner_of_a_taken_address,
    a_reset_asked_for_an_unknown_address_queues_nothing,
    a_reset_works_once_and_signs_out_everywhere,
    parallel_resets_with_one_link_succeed_once,
    notifications_queue_email_by_preference,
    unsubscribe_stops_what_its_scope_names,
    digests_are_queued_once_per_period_and_hold_watched_places,
    an_address_change_needs_the_password_and_is_confirmed_again,
    a_password_change_ends_sessions_and_reset_links,
    profile_fields_are_checked,
    unconfirmed_members_posts_wait_and_confirmation_publishes_them,
    parallel_password_changes_succeed_once,
);

fn parallel_password_changes_succeed_once(t: &TestDb) {
    let mut c = conn(t);
    let u = user(&mut c, "pwrace");
    drop(c);
    let results: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|i| {
                s.spawn(move || {
                    let mut c = conn(t);
                    let new = format!("racing new password {i}");
                    change_password(&mut c, u.id, PASSWORD, &new).is_ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
}

fn key() -> LinkKey {
    LinkKey::derive(b"test secret for account links, long enough to matter")
}

/// The email jobs queued so far, oldest first.
fn emails(c: &mut AnyConnection) -> Vec<Email> {
    let payloads: Vec<String> = outbox::table
        .filter(outbox::topic.eq(Email::TOPIC))
        .order(outbox::id.asc())
        .select(outbox::payload)
        .load(c)
        .unwrap();
    payloads.iter().map(|p| Email::decode(p).unwrap()).collect()
}

fn registered(c: &mut AnyConnection, name: &str) -> User {
    let n = next_seq();
    let username = format!("{name}{n}");
    let email = format!("{name}{n}@example.com");
    created(register(
        c,
        &Registration {
            username: &username,
            email: &email,
            password: PASSWORD,
        },
    ))
}

fn is_link_invalid<T: std::fmt::Debug>(r: Result<T, CoreError>) -> bool {
    matches!(r, Err(CoreError::LinkInvalid))
}

fn links_refuse_every_kind_of_bad_link(t: &TestDb) {
    let c = &mut conn(t);
    let k = key();
    let u = registered(c, "linker");
    let t0 = now();
    let confirm = issue(&k, &u, Purpose::ConfirmEmail, "", t0);
    // Wrong purpose, another key, a changed character, garbage: refused.
    assert!(is_link_invalid(check(
        c,
        &k,
        &confirm,
        Purpose::ResetPassword,
        t0
    )));
    let other = LinkKey::derive(b"another secret");
    assert!(is_link_invalid(check(
        c,
        &other,
        &confirm,
        Purpose::ConfirmEmail,
        t0
    )));
    let mut tampered = confirm.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == '0' { '1' } else { '0' });
    assert!(is_link_invalid(check(
        c,
        &k,
        &tampered,
        Purpose::ConfirmEmail,
        t0
    )));
    assert!(is_link_invalid(check(
        c,
        &k,
        "c.1.2",
        Purpose::ConfirmEmail,
        t0
    )));
    assert!(is_link_invalid(check(c, &k, "", Purpose::ConfirmEmail, t0)));
    // Someone else's id with this signature: refused.
    let forged = confirm.replacen(&format!("c.{}.", u.id.0), &format!("c.{}.", u.id.0 + 1), 1);
    assert!(is_link_invalid(check(
        c,
        &k,
        &forged,
        Purpose::ConfirmEmail,
        t0
    )));
    // Expired: a reset link after an hour, a confirmation link after a week.
    let old_reset = issue(
        &k,
        &u,
        Purpose::ResetPassword,
        "",
        t0 - Duration::minutes(61),
    );
    assert!(is_link_invalid(check(
        c,
        &k,
        &old_reset,
        Purpose::ResetPassword,
        t0
    )));
    let fresh_reset = issue(
        &k,
        &u,
        Purpose::ResetPassword,
        "",
        t0 - Duration::minutes(59),
    );
    assert!(check(c, &k, &fresh_reset, Purpose::ResetPassword, t0).is_ok());
    let old_confirm = issue(&k, &u, Purpose::ConfirmEmail, "", t0 - Duration::days(8));
    assert!(is_link_invalid(confirm_address(
        c,
        &NoContract,
        &k,
        &old_confirm,
        t0
    )));
    // The good one works once.
    let confirmed = confirm_address(c, &NoContract, &k, &confirm, t0).unwrap();
    assert!(confirmed.email_verified_at.is_some());
    assert!(reload(c, &u).email_verified_at.is_some());
    assert!(is_link_invalid(confirm_address(
        c,
        &NoContract,
        &k,
        &confirm,
        t0
    )));
    // Unsubscribe links carry their scope and do not expire.
    let unsub = issue(
        &k,
        &u,
        Purpose::Unsubscribe,
        "answer",
        t0 - Duration::days(400),
    );
    let checked = check(c, &k, &unsub, Purpose::Unsubscribe, t0).unwrap();
    assert_eq!(checked.scope, "answer");
    assert_eq!(checked.user.id, u.id);
}

fn registration_queues_confirmation_and_tells_the_owner_of_a_taken_address(t: &TestDb) {
    let c = &mut conn(t);
    let u = registered(c, "newbie");
    assert!(
        u.email_verified_at.is_none(),
        "a registration waits for confirmation"
    );
    assert!(matches!(
        emails(c).as_slice(),
        [Email::ConfirmAddress { user, .. }] if *user == u.id
    ));
    let again = register(
        c,
        &Registration {
            username: "someone_else",
            email: &u.email.to_uppercase(),
            password: PASSWORD,
        },
    )
    .unwrap();
    assert!(matches!(again, Registered::EmailInUse));
    assert!(matches!(
        emails(c).last(),
        Some(Email::AddressInUse { user }) if *user == u.id
    ));
    // Accounts made by staff or the CLI count as confirmed and get no confirmation email.
    let before = emails(c).len();
    let staff = user(c, "staffmade");
    assert!(staff.email_verified_at.is_some());
    assert_eq!(emails(c).len(), before);
}

fn a_reset_asked_for_an_unknown_address_queues_nothing(t: &TestDb) {
    let c = &mut conn(t);
    let u = user(c, "resetter");
    request_reset(c, "nobody-here@example.com", now()).unwrap();
    assert!(emails(c).is_empty());
    request_reset(c, &format!("  {}  ", u.email.to_uppercase()), now()).unwrap();
    assert!(matches!(
        emails(c).as_slice(),
        [Email::ResetPassword { user, .. }] if *user == u.id
    ));
    assert_eq!(
        invalid_field(request_reset(c, "not an address", now())),
        "email"
    );
    assert_eq!(
        invalid_field(request_reset(c, "a@b.com\r\nBcc: x@y.com", now())),
        "email"
    );
}

fn a_reset_works_once_and_signs_out_everywhere(t: &TestDb) {
    let c = &mut conn(t);
    let k = key();
    let u = user(c, "forgetful");
    let session = sessions::start(c, &u).unwrap();
    let link = issue(&k, &u, Purpose::ResetPassword, "", now());
    assert_eq!(
        invalid_field(reset_password(c, &NoContract, &k, &link, "short", now())),
        "password"
    );
    let after = reset_password(c, &NoContract, &k, &link, "a brand new password", now()).unwrap();
    assert_eq!(after.token_version, u.token_version + 1);
    assert!(sessions::resolve(c, &session).unwrap().is_none());
    assert!(is_link_invalid(reset_password(
        c,
        &NoContract,
        &k,
        &link,
        "yet another password",
        now()
    )));
    forum_core::accounts::authenticate(c, &u.username, "a brand new password").unwrap();
}

fn parallel_resets_with_one_link_succeed_once(t: &TestDb) {
    let mut c = conn(t);
    let k = key();
    let u = user(&mut c, "racer");
    let link = issue(&k, &u, Purpose::ResetPassword, "", now());
    drop(c);
    let results: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let (k, link) = (k.clone(), link.clone());
                s.spawn(move || {
                    let mut c = conn(t);
                    let pw = format!("parallel password {i}");
                    reset_password(&mut c, &NoContract, &k, &link, &pw, now()).is_ok()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
}

fn notifications_queue_email_by_preference(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let asker = user(c, "mailasker");
    let helper = user(c, "mailhelper");
    let thread = ask_in(c, &asker, &cat);
    answer_by(c, &helper, &thread);
    let queued: Vec<_> = emails(c)
        .into_iter()
        .filter(|e| matches!(e, Email::Notification { .. }))
        .collect();
    assert_eq!(
        queued.len(),
        1,
        "an answer emails the asker (immediately by default)"
    );
    prefs::set(c, asker.id, NotificationKind::Answer, EmailFrequency::Daily).unwrap();
    let another = user(c, "another");
    answer_by(c, &another, &thread);
    let after = emails(c)
        .into_iter()
        .filter(|e| matches!(e, Email::Notification { .. }))
        .count();
    assert_eq!(after, 1, "a daily choice queues no immediate email");
    assert_eq!(
        prefs::frequency(c, asker.id, NotificationKind::Answer).unwrap(),
        EmailFrequency::Daily
    );
    assert_eq!(
        prefs::frequency(c, asker.id, NotificationKind::Mention).unwrap(),
        EmailFrequency::Immediately
    );
    // Unknown names refuse the whole change.
    let bad = vec![
        ("mention".to_string(), "never".to_string()),
        ("answer".to_string(), "hourly".to_string()),
    ];
    assert_eq!(
        invalid_field(prefs::save_named(c, asker.id, &bad)),
        "notifications"
    );
    assert_eq!(
        prefs::frequency(c, asker.id, NotificationKind::Mention).unwrap(),
        EmailFrequency::Immediately
    );
}

fn unsubscribe_stops_what_its_scope_names(t: &TestDb) {
    let c = &mut conn(t);
    let u = user(c, "unsub");
    let freq = |c: &mut AnyConnection, k| prefs::frequency(c, u.id, k).unwrap();
    prefs::unsubscribe(c, u.id, Unsubscribe::parse("answer").unwrap()).unwrap();
    assert_eq!(freq(c, NotificationKind::Answer), EmailFrequency::Never);
    assert_eq!(
        freq(c, NotificationKind::Mention),
        EmailFrequency::Immediately
    );
    prefs::unsubscribe(c, u.id, Unsubscribe::parse("daily").unwrap()).unwrap();
    assert_eq!(freq(c, NotificationKind::NewThread), EmailFrequency::Never);
    assert_eq!(
        freq(c, NotificationKind::Comment),
        EmailFrequency::Immediately
    );
    prefs::unsubscribe(c, u.id, Unsubscribe::All).unwrap();
    assert!(prefs::all(c, u.id)
        .unwrap()
        .iter()
        .all(|(_, f)| *f == EmailFrequency::Never));
    assert!(Unsubscribe::parse("hourly").is_none());
}

fn digests_are_queued_once_per_period_and_hold_watched_places(t: &TestDb) {
    let c = &mut conn(t);
    let cat = category(c, "questions");
    let watcher = user(c, "digester");
    watching::set(
        c,
        watcher.id,
        WatchTarget::Category,
        cat.id.0,
        WatchLevel::Watch,
    )
    .unwrap();
    let t0 = now();
    // First sight: covering starts now, nothing is queued.
    assert_eq!(queue_due(c, t0).unwrap(), 0);
    let digests = |c: &mut AnyConnection| {
        emails(c)
            .into_iter()
            .filter(|e| matches!(e, Email::Digest { .. }))
            .count()
    };
    assert_eq!(digests(c), 0);
    // Two days pass: one daily digest, once, however often the scheduler runs.
    let covered = t0 - Duration::days(2);
    diesel::update(email_digests::table.filter(email_digests::user_id.eq(watcher.id)))
        .set(email_digests::covered_until.eq(covered))
        .execute(c)
        .unwrap();
    let asker = user(c, "digestask");
    let thread = ask_in(c, &asker, &cat);
    assert_eq!(queue_due(c, t0).unwrap(), 1);
    assert_eq!(queue_due(c, t0).unwrap(), 0);
    assert_eq!(digests(c), 1);
    let held = content(c, watcher.id, DigestPeriod::Daily, covered, now()).unwrap();
    assert!(held.unanswered.iter().any(|x| x.id == thread.id));
    assert!(held
        .notifications
        .iter()
        .any(|n| n.notification.kind == NotificationKind::NewThread));
    // Never for every kind: nothing in it, so nothing to send.
    prefs::unsubscribe(c, watcher.id, Unsubscribe::All).unwrap();
    let none = content(c, watcher.id, DigestPeriod::Daily, covered, now()).unwrap();
    assert!(none.is_empty());
    // The send moment follows the member's zone: 08:00 in Tokyo is 23:00 UTC the day before.
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
        .unwrap()
        .and_hms_opt(0, 30, 0)
        .unwrap();
    let tokyo = last_send_moment(chrono_tz::Asia::Tokyo, DigestPeriod::Daily, at);
    assert_eq!(tokyo.to_string(), "2026-12-01 23:00:00");
    let utc = last_send_moment(chrono_tz::UTC, DigestPeriod::Weekly, at);
    assert_eq!(utc.to_string(), "2026-11-30 08:00:00", "the Monday before");
}

fn an_address_change_needs_the_password_and_is_confirmed_again(t: &TestDb) {
    let c = &mut conn(t);
    let k = key();
    let u = user(c, "mover");
    let other = user(c, "occupant");
    let reset = issue(&k, &u, Purpose::ResetPassword, "", now());
    assert_eq!(
        invalid_field(change_email(
            c,
            u.id,
            "wrong password",
            "new@example.com",
            now()
        )),
        "current_password"
    );
    assert_eq!(
        invalid_field(change_email(c, u.id, PASSWORD, "bad@@example.com", now())),
        "email"
    );
    // Another account's address: nothing changes, the owner is told, the caller hears alike.
    let taken = change_email(c, u.id, PASSWORD, &other.email, now()).unwrap();
    assert_eq!(taken, AddressChange::InUse);
    assert_eq!(reload(c, &u).email, u.email);
    assert!(matches!(emails(c).last(), Some(Email::AddressInUse { user }) if *user == other.id));
    let new_address = format!("moved{}@example.com", next_seq());
    let changed = change_email(c, u.id, PASSWORD, &new_address, now()).unwrap();
    assert_eq!(changed, AddressChange::Changed);
    let now_u = reload(c, &u);
    assert_eq!(now_u.email, new_address);
    assert!(now_u.email_verified_at.is_none());
    let queued = emails(c);
    assert!(queued.iter().any(
        |e| matches!(e, Email::AddressChanged { old_address, .. } if *old_address == u.email)
    ));
    assert!(queued
        .iter()
        .any(|e| matches!(e, Email::ConfirmAddress { user, .. } if *user == u.id)));
    // The reset link sent to the old address died with it.
    assert!(is_link_invalid(reset_password(
        c,
        &NoContract,
        &k,
        &reset,
        "a brand new password",
        now()
    )));
}

fn a_password_change_ends_sessions_and_reset_links(t: &TestDb) {
    let c = &mut conn(t);
    let k = key();
    let u = user(c, "changer");
    let session = sessions::start(c, &u).unwrap();
    let reset = issue(&k, &u, Purpose::ResetPassword, "", now());
    assert_eq!(
        invalid_field(change_password(
            c,
            u.id,
            "not my password",
            "a brand new password"
        )),
        "current_password"
    );
    let after = change_password(c, u.id, PASSWORD, "a brand new password").unwrap();
    assert_eq!(after.token_version, u.token_version + 1);
    assert!(sessions::resolve(c, &session).unwrap().is_none());
    assert!(is_link_invalid(reset_password(
        c,
        &NoContract,
        &k,
        &reset,
        "third password here",
        now()
    )));
}

fn profile_fields_are_checked(t: &TestDb) {
    let c = &mut conn(t);
    let u = user(c, "profiled");
    let defaults = profile(c, u.id).unwrap();
    assert_eq!(defaults.time_zone, "UTC");
    let good = Profile {
        display_name: "Ann from Support".into(),
        bio: "I run the <b>help desk</b>.".into(),
        time_zone: "Europe/Paris".into(),
    };
    update_profile(c, u.id, &good).unwrap();
    assert_eq!(profile(c, u.id).unwrap(), good);
    let bad_zone = Profile {
        time_zone: "Mars/Olympus".into(),
        ..good.clone()
    };
    assert_eq!(
        invalid_field(update_profile(c, u.id, &bad_zone)),
        "time_zone"
    );
    let long_name = Profile {
        display_name: "x".repeat(51),
        ..good.clone()
    };
    assert_eq!(
        invalid_field(update_profile(c, u.id, &long_name)),
        "display_name"
    );
    let two_lines = Profile {
        display_name: "Ann\nBcc".into(),
        ..good
    };
    assert_eq!(
        invalid_field(update_profile(c, u.id, &two_lines)),
        "display_name"
    );
}

/// A policy that requires confirmed addresses of everyone but staff and the system actor.
struct ConfirmedOnly;

impl forum_core::policy::WritePolicy for ConfirmedOnly {
    fn requires_confirmed_email(&self, actor: &forum_core::Actor) -> bool {
        !actor.system && !actor.role.can_moderate()
    }
    fn check_content(
        &self,
        _: &forum_core::Actor,
        _: forum_core::policy::ContentKind,
        _: &forum_core::markup::Cooked,
    ) -> forum_core::CoreResult<()> {
        Ok(())
    }
    fn check_rate(
        &self,
        _: &mut AnyConnection,
        _: &forum_core::Actor,
        _: forum_core::policy::ContentKind,
    ) -> forum_core::CoreResult<()> {
        Ok(())
    }
}

fn unconfirmed_members_posts_wait_and_confirmation_publishes_them(t: &TestDb) {
    use forum_core::held::{publish, waiting};
    use forum_core::threads::AskInput;
    let c = &mut conn(t);
    let k = key();
    let cat = category(c, "questions");
    let confirmed = user(c, "confirmed");
    let thread = ask_in(c, &confirmed, &cat);
    let newbie = registered(c, "waiter");
    let a = actor(c, &newbie);
    let question = AskInput {
        title: "Where is the export button now?",
        body: "After the redesign I cannot find the export button anywhere.",
        category_slug: &cat.slug,
        tags: "",
    };
    let asked = forum_core::threads::ask(c, &ConfirmedOnly, &a, &question);
    assert!(matches!(asked, Err(CoreError::Held)), "{asked:?}");
    let answered = forum_core::posts::answer(
        c,
        &ConfirmedOnly,
        &a,
        thread.id,
        "Have you tried the sync button in the top bar?",
    );
    assert!(matches!(answered, Err(CoreError::Held)));
    // Invalid drafts are refused, not kept.
    let empty = forum_core::posts::answer(c, &ConfirmedOnly, &a, thread.id, "");
    assert!(matches!(empty, Err(CoreError::Validation { .. })));
    let held = waiting(c, newbie.id).unwrap();
    assert_eq!(
        held.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(),
        ["question", "answer"]
    );
    assert_eq!(
        thread_now(c, &thread).answer_count,
        0,
        "nothing published yet"
    );
    // A confirmed member, and the same member under no such rule, post at once.
    let b = actor(c, &confirmed);
    forum_core::posts::answer(
        c,
        &ConfirmedOnly,
        &b,
        thread.id,
        "Answering my own question.",
    )
    .unwrap();
    let link = issue(&k, &newbie, Purpose::ConfirmEmail, "", now());
    confirm_address(c, &ConfirmedOnly, &k, &link, now()).unwrap();
    assert!(waiting(c, newbie.id).unwrap().is_empty(), "all published");
    assert_eq!(thread_now(c, &thread).answer_count, 2);
    let now_confirmed = reload(c, &newbie);
    assert_eq!(publish(c, &ConfirmedOnly, &now_confirmed).unwrap(), 0);
}
