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

mod leader;
mod store;

pub use leader::{set_leader, standing, standing_from, Standing};
pub(crate) use store::store_level;
pub use store::{activity, publish, refresh, rules};

use diesel::prelude::*;
use forum_db::schema::trust_requirements as req;
use forum_db::types::TrustLevel;

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
