//! Who is acting, and what their role lets them do. Every service takes an [`Actor`] and checks
//! permission itself, so no caller can forget to.

use forum_db::ids::UserId;
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
    /// True when the action comes from the system (demo seed, an import, an integration)
    /// rather than from the member at a keyboard: exempt from posting limits, still sanitised,
    /// still recorded under the member's name.
    pub system: bool,
}

impl Actor {
    /// The actor for a loaded user row.
    pub fn from_user(u: &User) -> Actor {
        Actor {
            id: u.id,
            username: u.username.clone(),
            role: u.role,
            reputation: u.reputation,
            trust_level: u.trust_level,
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
