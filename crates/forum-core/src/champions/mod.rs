//! The champion programme: community managers turn the best helpers into champions. Staff
//! nominate, or a member nominates a member (one nomination per member per programme term,
//! with a reason); staff review and grant a championship with a scope (every category or
//! some), a term end and perks (named extra privileges); at the term end it renews (when
//! granted to) or lapses, with a notice a week before; staff may renew or revoke it with a
//! reason. A champion's posts in scope carry a flair, and each term has an impact report.
//!
//! Every rule is checked here, on the server, for pages, API and CLI alike; times come from
//! the caller (`now`) so terms can be tested with a controllable clock.

mod clock;
mod impact;
mod nominations;
mod terms;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use forum_db::ids::{CategoryId, ChampionId, UserId};
use forum_db::schema::{categories, champion_categories as cc, champions as ch, users};
use forum_db::types::ChampionState;
use forum_db::AnyConnection;
use serde::Serialize;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::privileges::Privilege;

pub use clock::{run_terms, TermsRun, NOTICE_BEFORE};
pub use impact::{impact, Impact};
pub use nominations::{decline, nominate, pending_nominations, Nomination};
pub use terms::{grant, renew, revoke, Grant};

/// The programme's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChampionRules {
    /// Length of a programme term in months (a divisor of 12: terms start on 1 January and
    /// every `term_months` after). A member nominates once per term; a grant runs to the
    /// term's end unless staff choose another date; a renewal adds one term.
    pub term_months: u32,
}

impl Default for ChampionRules {
    fn default() -> Self {
        ChampionRules { term_months: 6 }
    }
}

impl ChampionRules {
    fn months(self) -> u32 {
        match self.term_months {
            1 | 2 | 3 | 4 | 6 | 12 => self.term_months,
            _ => 6,
        }
    }

    /// The programme term `at` falls in, e.g. `2026-2` for the second half of 2026.
    pub fn term_of(self, at: NaiveDateTime) -> String {
        let index = (at.month0() / self.months()) + 1;
        format!("{}-{index}", at.year())
    }

    /// When the programme term `at` falls in ends (the next term's first midnight, UTC).
    pub fn term_end(self, at: NaiveDateTime) -> NaiveDateTime {
        let m = self.months();
        let next_month0 = (at.month0() / m + 1) * m;
        let (year, month0) = if next_month0 >= 12 {
            (at.year() + 1, next_month0 - 12)
        } else {
            (at.year(), next_month0)
        };
        NaiveDate::from_ymd_opt(year, month0 + 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or(at)
    }

    /// `end` moved on by one term's length.
    pub fn one_term_after(self, end: NaiveDateTime) -> NaiveDateTime {
        end.checked_add_months(chrono::Months::new(self.months()))
            .unwrap_or(end)
    }
}

/// A championship as the pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Championship {
    pub id: ChampionId,
    pub user_id: UserId,
    pub username: String,
    pub state: ChampionState,
    /// True for every category; otherwise `categories` lists the scope.
    pub all_categories: bool,
    /// `(slug, name)` of each category in scope.
    pub categories: Vec<(String, String)>,
    pub perks: Vec<&'static str>,
    pub auto_renew: bool,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: String,
}

type Row = (
    ChampionId,
    UserId,
    String,
    ChampionState,
    bool,
    String,
    bool,
    (NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>, String),
);

fn load(conn: &mut AnyConnection, rows: Vec<Row>) -> CoreResult<Vec<Championship>> {
    let ids: Vec<ChampionId> = rows.iter().map(|r| r.0).collect();
    let scopes: Vec<(ChampionId, String, String)> = cc::table
        .inner_join(categories::table)
        .filter(cc::champion_id.eq_any(&ids))
        .order(categories::position.asc())
        .select((cc::champion_id, categories::slug, categories::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, user_id, username, state, all, perks, auto_renew, (starts, ends, ended, why))| {
                Championship {
                    id,
                    user_id,
                    username,
                    state,
                    all_categories: all,
                    categories: scopes
                        .iter()
                        .filter(|(c, _, _)| *c == id)
                        .map(|(_, slug, name)| (slug.clone(), name.clone()))
                        .collect(),
                    perks: perks
                        .split(',')
                        .filter_map(Privilege::from_name)
                        .map(Privilege::name)
                        .collect(),
                    auto_renew,
                    starts_at: starts,
                    ends_at: ends,
                    ended_at: ended,
                    end_reason: why,
                }
            },
        )
        .collect())
}

macro_rules! championship_query {
    () => {
        ch::table.inner_join(users::table).select((
            ch::id,
            ch::user_id,
            users::username,
            ch::state,
            ch::all_categories,
            ch::perks,
            ch::auto_renew,
            (ch::starts_at, ch::ends_at, ch::ended_at, ch::end_reason),
        ))
    };
}

/// Every active championship, soonest term end first.
pub fn active(conn: &mut AnyConnection) -> CoreResult<Vec<Championship>> {
    let rows: Vec<Row> = championship_query!()
        .filter(ch::state.eq(ChampionState::Active))
        .order((ch::ends_at.asc(), ch::id.asc()))
        .load(conn)?;
    load(conn, rows)
}

/// One championship.
pub fn by_id(conn: &mut AnyConnection, id: ChampionId) -> CoreResult<Championship> {
    let rows: Vec<Row> = championship_query!().filter(ch::id.eq(id)).load(conn)?;
    load(conn, rows)?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound("champion"))
}

/// Every championship a member held or holds, newest first (one per term).
pub fn history(conn: &mut AnyConnection, user: UserId) -> CoreResult<Vec<Championship>> {
    let rows: Vec<Row> = championship_query!()
        .filter(ch::user_id.eq(user))
        .order(ch::id.desc())
        .load(conn)?;
    load(conn, rows)
}

/// The member's active championship, if any.
pub fn current(conn: &mut AnyConnection, user: UserId) -> CoreResult<Option<Championship>> {
    Ok(history(conn, user)?
        .into_iter()
        .find(|c| c.state == ChampionState::Active))
}

/// Whether a champion's standing scope (`*` or category ids) covers `category`: the flair on
/// their posts there.
pub fn in_scope(scope: &str, category: CategoryId) -> bool {
    scope == "*"
        || scope
            .split(',')
            .any(|id| id.parse::<i64>().is_ok_and(|id| id == category.0))
}

/// Staff only (and the system actor, for the CLI).
fn require_staff(actor: &Actor) -> CoreResult<()> {
    if actor.system || actor.role.is_staff() {
        Ok(())
    } else {
        Err(CoreError::forbidden(
            "Only staff manage the champion programme",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("a date")
    }

    #[test]
    fn terms_follow_the_calendar() {
        let r = ChampionRules::default();
        assert_eq!(r.term_of(at(2026, 3, 1)), "2026-1");
        assert_eq!(r.term_of(at(2026, 7, 1)), "2026-2");
        assert_eq!(
            r.term_end(at(2026, 3, 1)),
            at(2026, 7, 1) - chrono::Duration::hours(12)
        );
        assert_eq!(
            r.term_end(at(2026, 12, 31)),
            at(2027, 1, 1) - chrono::Duration::hours(12)
        );
        let q = ChampionRules { term_months: 3 };
        assert_eq!(q.term_of(at(2026, 5, 5)), "2026-2");
        assert_eq!(q.one_term_after(at(2026, 11, 30)), at(2027, 2, 28));
        assert!(in_scope("*", CategoryId(9)));
        assert!(in_scope("3,9", CategoryId(9)));
        assert!(!in_scope("3,19", CategoryId(9)));
    }
}
