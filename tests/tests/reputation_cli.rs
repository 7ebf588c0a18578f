//! `forum reputation verify` against a real database on both backends: a clean ledger passes
//! (exit 0); a member whose stored reputation was changed behind the ledger's back is named on
//! stdout with exit status 1; `--fix` repairs it and the next check passes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::RunQueryDsl;
use forum_e2e::{Backend, ForumServer};

forum_db::backend_tests!(
    backend: verify_finds_and_fixes_a_tampered_reputation,
    serial_votes_are_withdrawn_from_the_cli,
);

fn verify_finds_and_fixes_a_tampered_reputation(backend: Backend) {
    let s = ForumServer::start_seeded(backend);
    let clean = s.run_cli(&["reputation", "verify"], None);
    assert!(clean.status.success(), "{clean:?}");
    assert!(String::from_utf8_lossy(&clean.stderr).contains("matches the ledger"));
    let db = forum_db::Db::connect(&s.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    diesel::sql_query("UPDATE users SET reputation = 999 WHERE username = 'devon'")
        .execute(&mut *conn)
        .unwrap();
    let found = s.run_cli(&["reputation", "verify"], None);
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    let out = String::from_utf8_lossy(&found.stdout);
    assert!(out.contains("devon: stored 999"), "{out}");
    assert!(String::from_utf8_lossy(&found.stderr).contains("--fix"));
    let fixed = s.run_cli(&["reputation", "verify", "--fix"], None);
    assert!(fixed.status.success(), "{fixed:?}");
    let again = s.run_cli(&["reputation", "verify"], None);
    assert!(again.status.success(), "{again:?}");
}

fn serial_votes_are_withdrawn_from_the_cli(backend: Backend) {
    use forum_e2e::{unique, PASSWORD};
    let s = ForumServer::start_seeded(backend);
    let (author, friend) = (format!("sa{}", unique()), format!("sf{}", unique()));
    s.create_user(&author, "member", PASSWORD);
    s.create_user(&friend, "member", PASSWORD);
    let mut a = s.client();
    a.login(&author, PASSWORD).expect_see_other("sign in");
    let mut f = s.client();
    f.login(&friend, PASSWORD).expect_see_other("sign in");
    for i in 0..5 {
        let thread = f.ask(
            &format!("Question number {i} about the sync agent"),
            "The sync agent stops after a minute, every time, on every machine.",
            "getting-started",
            "",
        );
        let answer = a.answer(
            &thread,
            "Restart the agent with the --verbose flag and retry.",
        );
        f.vote(answer, "up").expect_see_other("upvote");
    }
    let before = s.client().get(&format!("/api/v1/users/{author}")).json();
    assert_eq!(before["reputation"], 51);
    let out = s.run_cli(&["reputation", "serial-votes"], None);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("5 vote(s) withdrawn"));
    let after = s.client().get(&format!("/api/v1/users/{author}")).json();
    assert_eq!(after["reputation"], 1);
    let verify = s.run_cli(&["reputation", "verify"], None);
    assert!(verify.status.success(), "{verify:?}");
}
