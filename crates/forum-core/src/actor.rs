//! Who is acting, and what their role lets them do. Every service takes an [`Actor`] and checks
//! permission itself, so no caller can forget to.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::champion_standing;
use forum_db::AnyConnection;

use crate::error::CoreResult;
use forum_db::models::User;
pub use forum_db::types::Role;
use forum_db::types::TrustLevel;

/// The signed-in member performing an action.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub reputation: i64,
    pub trust_level: TrustLevel,
    /// Privileges held beyond the trust level: a champion's perks, one bit per privilege
    /// ([`crate::privileges::Privilege::bit`]).
    pub perks: i32,
    /// True when the action comes from the system (demo seed, an import, an integration)
    /// rather than from the member at a keyboard: exempt from posting limits, still sanitised,
    /// still recorded under the member's name.
    pub system: bool,
}

/// The acting member `u`, with their champion perks read from the database: how every entry
/// point that starts from a user row (an API token, a held post, a suggested edit) builds the
/// actor, so a perk counts everywhere the session's actor counts it.
pub fn load(conn: &mut AnyConnection, u: &User) -> CoreResult<Actor> {
    let perks: Option<i32> = champion_standing::table
        .find(u.id)
        .select(champion_standing::perks)
        .first(conn)
        .optional()?;
    Ok(Actor {
        perks: perks.unwrap_or(0),
        ..Actor::from_user(u)
    })
}

impl Actor {
    /// The actor for a loaded user row, without perks (see [`load`]).
    pub fn from_user(u: &User) -> Actor {
        Actor {
            id: u.id,
            username: u.username.clone(),
            role: u.role,
            reputation: u.reputation,
            trust_level: u.trust_level,
            perks: 0,
            system: false,
        }
    }

    /// The system acting in `u`'s name (an import, the demo seed, an integration).
    pub fn system_as(u: &User) -> Actor {
        Actor {
            system: true,
            ..Actor::from_user(u)
        }
    }
}
