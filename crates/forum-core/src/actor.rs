//! Who is acting, and what their role lets them do. Every service takes an [`Actor`] and checks
//! permission itself, so no caller can forget to.

use forum_db::models::User;

/// A member's role; staff powers grow down the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Member,
    Moderator,
    Staff,
    Admin,
}

impl Role {
    /// Parses the stored role name; unknown names fall back to the least privilege.
    pub fn parse(s: &str) -> Role {
        Role::from_name(s).unwrap_or(Role::Member)
    }

    /// Strict parse for operator input (the CLI), so a typo is an error, not a demotion.
    pub fn from_name(s: &str) -> Option<Role> {
        match s {
            "member" => Some(Role::Member),
            "moderator" => Some(Role::Moderator),
            "staff" => Some(Role::Staff),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Moderator => "moderator",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    /// Moderators, staff and admins may edit any post and accept on any question.
    pub fn can_moderate(self) -> bool {
        self >= Role::Moderator
    }

    /// Staff and admins may post in staff-only categories (announcements, knowledge).
    pub fn is_staff(self) -> bool {
        self >= Role::Staff
    }
}

/// The signed-in member performing an action.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub reputation: i64,
    pub trust_level: i32,
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
            role: Role::parse(&u.role),
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
