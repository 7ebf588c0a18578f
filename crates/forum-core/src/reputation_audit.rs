//! Checking every member's cached reputation and trust level against the ledger
//! (`forum reputation verify`): the cache must always equal `1 + Σ delta` of the member's
//! events (the floor is applied to each delta as it is written), and the level the one that
//! reputation and activity give. A mismatch means a write path bypassed the ledger; `--fix` rebuilds the
//! member's cache from the ledger.

use std::collections::HashMap;

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::{reputation_events as ev, users};
use forum_db::types::TrustLevel;
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::reputation::{recompute, BASE_REPUTATION};
use crate::trust;

/// Members checked per batch.
const BATCH: i64 = 1000;

/// A member whose cache differs from the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub user_id: UserId,
    pub username: String,
    pub stored: i64,
    pub ledger: i64,
    pub stored_level: TrustLevel,
    pub ledger_level: TrustLevel,
}

/// Compares every member with the ledger, a batch at a time, calling `progress` with the
/// number checked so far after each batch. Reads only.
pub fn verify(
    conn: &mut AnyConnection,
    progress: &mut dyn FnMut(usize),
) -> CoreResult<Vec<Mismatch>> {
    let mut out = Vec::new();
    let mut after = UserId(0);
    let mut done = 0;
    let rules = trust::rules(conn)?;
    loop {
        let batch: Vec<(UserId, String, i64, TrustLevel)> = users::table
            .filter(users::id.gt(after))
            .order(users::id.asc())
            .limit(BATCH)
            .select((
                users::id,
                users::username,
                users::reputation,
                users::trust_level,
            ))
            .load(conn)?;
        let Some(last) = batch.last() else {
            return Ok(out);
        };
        after = last.0;
        let ids: Vec<UserId> = batch.iter().map(|b| b.0).collect();
        let deltas: Vec<(UserId, i64)> = ev::table
            .filter(ev::user_id.eq_any(&ids))
            .select((ev::user_id, ev::delta))
            .load(conn)?;
        let mut sums: HashMap<UserId, i64> = HashMap::new();
        for (user, delta) in deltas {
            *sums.entry(user).or_default() += delta;
        }
        for (user_id, username, stored, stored_level) in batch {
            let ledger =
                (BASE_REPUTATION + sums.get(&user_id).copied().unwrap_or(0)).max(BASE_REPUTATION);
            let ledger_level = if ledger < rules.levels[0].reputation {
                rules.level_for(&trust::Activity::default(), stored_level)
            } else {
                let a = trust::activity(conn, user_id, ledger)?;
                rules.level_for(&a, stored_level)
            };
            if ledger != stored || ledger_level != stored_level {
                out.push(Mismatch {
                    user_id,
                    username,
                    stored,
                    ledger,
                    stored_level,
                    ledger_level,
                });
            }
        }
        done += ids.len();
        progress(done);
    }
}

/// Rebuilds each mismatched member's cache from the ledger (under their lock, so an event
/// written meanwhile is counted); returns how many were repaired.
pub fn fix(conn: &mut AnyConnection, mismatches: &[Mismatch]) -> CoreResult<usize> {
    for m in mismatches {
        forum_db::write_tx(conn, |c| recompute(c, m.user_id))?;
    }
    Ok(mismatches.len())
}
