//! What the profile shows of the ladder, and trust level 4, which staff grant.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::users;
use forum_db::types::TrustLevel;
use forum_db::AnyConnection;

use super::store::{activity, rules, store_level};
use super::{Activity, Requirement, TrustRules};
use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

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
    let a = activity(conn, user, reputation)?;
    Ok(standing_from(&rules, level, &a))
}

/// A member's standing from the ladder and their counted inputs.
pub fn standing_from(rules: &TrustRules, level: TrustLevel, a: &Activity) -> Standing {
    match rules.next(level) {
        None => Standing {
            level: level.0,
            next_level: None,
            next: Vec::new(),
        },
        Some(next) => Standing {
            level: level.0,
            next_level: Some(next.level),
            next: next.progress(a),
        },
    }
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
