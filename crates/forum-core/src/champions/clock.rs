//! The term clock: a notice a week before a term ends, then a renewal (when granted to
//! renew) or a lapse. Safe to run at any time and on several nodes at once.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use forum_db::ids::ChampionId;
use forum_db::schema::champions as ch;
use forum_db::types::ChampionState;
use forum_db::{write_tx, AnyConnection};

use super::terms::{end, extend, locked_active, tell};
use super::ChampionRules;
use crate::error::{CoreError, CoreResult};

/// How long before a term ends the champion is told.
pub const NOTICE_BEFORE: Duration = Duration::days(7);

/// What one run of the term clock did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermsRun {
    pub noticed: usize,
    pub renewed: usize,
    pub lapsed: usize,
}

/// The term clock (a background job, also `forum champions run-terms`): tells each champion
/// whose term ends within a week (once), then renews or lapses each whose term has ended.
/// Safe to run again at any time and on several nodes at once.
pub fn run_terms(
    conn: &mut AnyConnection,
    rules: ChampionRules,
    now: NaiveDateTime,
) -> CoreResult<TermsRun> {
    let mut run = TermsRun::default();
    let due: Vec<ChampionId> = ch::table
        .filter(ch::state.eq(ChampionState::Active))
        .filter(ch::ends_at.le(now + NOTICE_BEFORE))
        .select(ch::id)
        .load(conn)?;
    for id in due {
        write_tx(conn, |c| {
            let Ok(c_ship) = locked_active(c, id) else {
                return Ok(());
            };
            if c_ship.ends_at <= now {
                if c_ship.auto_renew {
                    let mut until = c_ship.ends_at;
                    while until <= now {
                        until = rules.one_term_after(until);
                    }
                    extend(c, &c_ship, until, "renewed")?;
                    run.renewed += 1;
                } else {
                    end(c, &c_ship, ChampionState::Lapsed, "The term ended", now)?;
                    tell(
                        c,
                        c_ship.user_id,
                        id,
                        "lapsed",
                        "Your champion term has ended. Thank you for everything you did!".into(),
                    )?;
                    run.lapsed += 1;
                }
                return Ok(());
            }
            let fresh = diesel::update(
                ch::table
                    .filter(ch::id.eq(id))
                    .filter(ch::notice_sent_at.is_null()),
            )
            .set(ch::notice_sent_at.eq(Some(now)))
            .execute(c)?;
            if fresh > 0 {
                let what = if c_ship.auto_renew {
                    "it renews automatically"
                } else {
                    "staff may renew it; otherwise it lapses"
                };
                tell(
                    c,
                    c_ship.user_id,
                    id,
                    &format!("notice:{}", c_ship.ends_at),
                    format!(
                        "Your champion term ends on {}: {what}",
                        c_ship.ends_at.date()
                    ),
                )?;
                run.noticed += 1;
            }
            Ok::<(), CoreError>(())
        })?;
    }
    Ok(run)
}
