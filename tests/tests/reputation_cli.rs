//! `forum reputation verify` against a real database on both backends: a clean ledger passes
//! (exit 0); a member whose stored reputation was changed behind the ledger's back is named on
//! stdout with exit status 1; `--fix` repairs it and the next check passes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::RunQueryDsl;
use forum_e2e::{Backend, ForumServer};

forum_db::backend_tests!(backend: verify_finds_and_fixes_a_tampered_reputation);

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
