//! Trust levels 0–4, from reputation and activity. Tuned for a support community: a visitor who
//! registers can ask, answer, comment and upvote at once (TL0); TL1 comes with the first
//! help peers found useful, TL2 and TL3 with steady participation: days visited, posts read,
//! answers, accepted answers and agreed flags. TL4 is granted by staff only.
//!
//! The requirements are settings (`trust.*`); the server writes them into
//! `trust_requirements` at start ([`publish`]), so every writer on every node (and the CLI)
//! computes levels alike. A level is recomputed whenever one of its inputs changes: each
//! reputation event ([`crate::reputation`]), each answer posted or deleted, each batch of
//! visits and reads ([`crate::activity`]). Levels follow the inputs down as well as up (a
//! reversed vote can take a member back below a threshold); a granted TL4 is kept.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::{member_activity, posts, threads, trust_requirements as req, users};
use forum_db::types::TrustLevel;
use forum_db::AnyConnection;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// What one trust level needs; a member must also meet every level below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Queryable, Insertable)]
#[diesel(table_name = req)]
pub struct Requirements {
    pub level: i32,
    pub reputation: i64,
    pub days_visited: i64,
    pub posts_read: i64,
    pub answers: i64,
    pub accepted_answers: i64,
    pub flags_agreed: i64,
}

/// The ladder: the requirements of TL1, TL2 and TL3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustRules {
    pub levels: [Requirements; 3],
}

impl Default for TrustRules {
    /// TL1 at 10 reputation (one helpful answer); TL2 at 100 with 5 days, 30 posts read,
    /// 3 answers and one accepted; TL3 at 1,000 with 20 days, 200 posts read, 20 answers and
    /// 5 accepted. Agreed flags count from zero until a community raises them.
    fn default() -> Self {
        let r =
            |level, reputation, days_visited, posts_read, answers, accepted_answers| Requirements {
                level,
                reputation,
                days_visited,
                posts_read,
                answers,
                accepted_answers,
                flags_agreed: 0,
            };
        TrustRules {
            levels: [
                r(1, 10, 0, 0, 0, 0),
                r(2, 100, 5, 30, 3, 1),
                r(3, 1000, 20, 200, 20, 5),
            ],
        }
    }
}

/// A member's inputs to the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Activity {
    pub reputation: i64,
    pub days_visited: i64,
    pub posts_read: i64,
    pub answers: i64,
    pub accepted_answers: i64,
    pub flags_agreed: i64,
}

/// One requirement of the next level, with where the member stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Requirement {
    /// What is counted, in the profile's words ("days visited").
    pub name: &'static str,
    pub have: i64,
    pub need: i64,
}

impl Requirements {
    /// Each requirement with the member's standing, in the order the profile lists them;
    /// requirements of zero are left out.
    pub fn progress(&self, a: &Activity) -> Vec<Requirement> {
        [
            ("reputation", a.reputation, self.reputation),
            ("days visited", a.days_visited, self.days_visited),
            ("posts read", a.posts_read, self.posts_read),
            ("answers", a.answers, self.answers),
            (
                "accepted answers",
                a.accepted_answers,
                self.accepted_answers,
            ),
            ("flags agreed", a.flags_agreed, self.flags_agreed),
        ]
        .into_iter()
        .filter(|(_, _, need)| *need > 0)
        .map(|(name, have, need)| Requirement { name, have, need })
        .collect()
    }

    /// Whether `a` meets all of them.
    pub fn met_by(&self, a: &Activity) -> bool {
        self.progress(a).iter().all(|r| r.have >= r.need)
    }
}

impl TrustRules {
    /// The level `a` earns; a granted TL4 (`current`) is kept.
    pub fn level_for(&self, a: &Activity, current: TrustLevel) -> TrustLevel {
        if current >= TrustLevel::LEADER {
            return current;
        }
        let reached = self.levels.iter().take_while(|r| r.met_by(a)).count();
        TrustLevel(i32::try_from(reached).unwrap_or(0))
    }

    /// The requirements of the level above `level`, if it can be earned.
    pub fn next(&self, level: TrustLevel) -> Option<&Requirements> {
        usize::try_from(level.0)
            .ok()
            .and_then(|i| self.levels.get(i))
    }
}

/// Writes the ladder every writer reads (the server calls it at start from its settings).
pub fn publish(conn: &mut AnyConnection, rules: &TrustRules) -> CoreResult<()> {
    forum_db::write_tx(conn, |c| {
        diesel::delete(req::table).execute(c)?;
        // One row at a time: batch inserts are not portable across the two backends.
        for level in &rules.levels {
            diesel::insert_into(req::table).values(level).execute(c)?;
        }
        Ok(())
    })
}

/// The ladder in force (the defaults when none was published).
pub fn rules(conn: &mut AnyConnection) -> CoreResult<TrustRules> {
    let rows: Vec<Requirements> = req::table
        .order(req::level.asc())
        .select((
            req::level,
            req::reputation,
            req::days_visited,
            req::posts_read,
            req::answers,
            req::accepted_answers,
            req::flags_agreed,
        ))
        .load(conn)?;
    Ok(match <[Requirements; 3]>::try_from(rows) {
        Ok(levels) => TrustRules { levels },
        Err(_) => TrustRules::default(),
    })
}

/// A member's inputs, counted now.
pub fn activity(conn: &mut AnyConnection, user: UserId, reputation: i64) -> CoreResult<Activity> {
    let recorded: Option<(i64, i64, i64)> = member_activity::table
        .find(user)
        .select((
            member_activity::days_visited,
            member_activity::posts_read,
            member_activity::flags_agreed,
        ))
        .first(conn)
        .optional()?;
    let (days_visited, posts_read, flags_agreed) = recorded.unwrap_or_default();
    let answers: i64 = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let accepted_answers: i64 = threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user))
        .filter(threads::author_id.ne(user))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(Activity {
        reputation,
        days_visited,
        posts_read,
        answers,
        accepted_answers,
        flags_agreed,
    })
}

/// Recomputes a member's level from their inputs now and stores it; returns it.
pub fn refresh(conn: &mut AnyConnection, user: UserId) -> CoreResult<TrustLevel> {
    forum_db::write_tx(conn, |c| {
        forum_db::lock::lock_user(c, user)?;
        let (reputation, current): (i64, TrustLevel) = users::table
            .find(user)
            .select((users::reputation, users::trust_level))
            .first(c)?;
        store_level(c, user, reputation, current)
    })
}

/// The level for a member whose row the caller has locked, at `reputation`, stored when it
/// moved. Reputation is checked first: below TL1's threshold nothing else is counted.
pub(crate) fn store_level(
    conn: &mut AnyConnection,
    user: UserId,
    reputation: i64,
    current: TrustLevel,
) -> CoreResult<TrustLevel> {
    if current >= TrustLevel::LEADER {
        return Ok(current);
    }
    let rules = rules(conn)?;
    let level = if reputation < rules.levels[0].reputation {
        TrustLevel::NEW
    } else {
        rules.level_for(&activity(conn, user, reputation)?, current)
    };
    if level != current {
        diesel::update(users::table.find(user))
            .set(users::trust_level.eq(level))
            .execute(conn)?;
    }
    Ok(level)
}

/// Where a member stands on the ladder, for the profile.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Standing {
    pub level: i32,
    /// The next level and what it needs (none at TL3, which leads only to a staff grant, and
    /// at TL4).
    pub next_level: Option<i32>,
    pub next: Vec<Requirement>,
}

/// A member's level and their progress towards the next.
pub fn standing(
    conn: &mut AnyConnection,
    user: UserId,
    reputation: i64,
    level: TrustLevel,
) -> CoreResult<Standing> {
    let rules = rules(conn)?;
    let Some(next) = rules.next(level) else {
        return Ok(Standing {
            level: level.0,
            next_level: None,
            next: Vec::new(),
        });
    };
    let a = activity(conn, user, reputation)?;
    Ok(Standing {
        level: level.0,
        next_level: Some(next.level),
        next: next.progress(&a),
    })
}

/// Grants or withdraws TL4 (staff only); withdrawing recomputes the level from the inputs.
pub fn set_leader(
    conn: &mut AnyConnection,
    actor: &Actor,
    user: UserId,
    granted: bool,
) -> CoreResult<TrustLevel> {
    if !actor.role.is_staff() && !actor.system {
        return Err(CoreError::forbidden("Only staff can grant trust level 4"));
    }
    forum_db::write_tx(conn, |c| {
        forum_db::lock::lock_user(c, user)?;
        let reputation: i64 = users::table.find(user).select(users::reputation).first(c)?;
        let level = if granted {
            TrustLevel::LEADER
        } else {
            TrustLevel::NEW
        };
        diesel::update(users::table.find(user))
            .set(users::trust_level.eq(level))
            .execute(c)?;
        crate::audit::record(
            c,
            actor,
            &crate::audit::Entry {
                action: if granted {
                    "trust.grant_leader"
                } else {
                    "trust.withdraw_leader"
                },
                target_kind: "user",
                target_id: user.0,
                reason: "",
                details: "",
            },
        )?;
        if granted {
            Ok(level)
        } else {
            store_level(c, user, reputation, level)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(reputation: i64, days: i64, read: i64, answers: i64, accepted: i64) -> Activity {
        Activity {
            reputation,
            days_visited: days,
            posts_read: read,
            answers,
            accepted_answers: accepted,
            flags_agreed: 0,
        }
    }

    #[test]
    fn each_level_needs_all_its_requirements_and_those_below() {
        let rules = TrustRules::default();
        let at = |a: Activity| rules.level_for(&a, TrustLevel::NEW).0;
        assert_eq!(at(with(9, 99, 999, 99, 99)), 0);
        assert_eq!(at(with(10, 0, 0, 0, 0)), 1);
        assert_eq!(at(with(100, 5, 30, 3, 1)), 2);
        assert_eq!(at(with(100, 4, 30, 3, 1)), 1, "one day short");
        assert_eq!(at(with(100, 5, 29, 3, 1)), 1, "one post short");
        assert_eq!(at(with(100, 5, 30, 2, 1)), 1, "one answer short");
        assert_eq!(at(with(100, 5, 30, 3, 0)), 1, "no accepted answer");
        assert_eq!(at(with(1000, 20, 200, 20, 5)), 3);
        assert_eq!(at(with(1000, 20, 200, 20, 4)), 2);
        assert_eq!(
            at(with(5000, 1, 200, 20, 5)),
            1,
            "TL3's reputation, TL1's visits"
        );
        assert_eq!(rules.level_for(&with(1, 0, 0, 0, 0), TrustLevel(4)).0, 4);
    }

    #[test]
    fn progress_lists_what_the_next_level_needs() {
        let rules = TrustRules::default();
        let next = rules.next(TrustLevel(1)).expect("TL2");
        let p = next.progress(&with(50, 5, 10, 3, 0));
        let names: Vec<_> = p.iter().map(|r| r.name).collect();
        assert_eq!(
            names,
            [
                "reputation",
                "days visited",
                "posts read",
                "answers",
                "accepted answers"
            ]
        );
        assert_eq!((p[0].have, p[0].need), (50, 100));
        assert!(rules.next(TrustLevel(3)).is_none());
    }
}
