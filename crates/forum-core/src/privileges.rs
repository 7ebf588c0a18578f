//! The privilege table: what each trust level unlocks, in one place every action consults on
//! the server. A new member (TL0) can ask, answer, comment anywhere, upvote and give kudos at
//! once; the rest unlocks as peers find their help useful. Moderators, staff and the system
//! actor hold every privilege. Each level is a setting (`privileges.*`), so a community can
//! tune the ladder; the forum passes its table to the services through the write policy.

use forum_db::types::TrustLevel;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// Everything a trust level can unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Privilege {
    /// Post links and images without the new-member limits.
    LinksAndImages,
    /// Comment on any post (below it: on one's own posts and in one's own threads only).
    CommentEverywhere,
    /// Vote down.
    Downvote,
    /// Flag posts for moderators.
    Flag,
    /// Retag others' questions.
    Retag,
    /// Edit others' posts directly (below it, edits are suggestions).
    EditOthers,
    /// Vote to close and reopen questions.
    CloseReopen,
    /// See the review queue.
    ReviewQueue,
    /// Flags that act at once (hide pending review).
    TrustedFlags,
}

impl Privilege {
    /// Every privilege, in the order the profile lists them.
    /// Each one's position is its bit in a set of perks, so new ones go at the end.
    pub const ALL: [Privilege; 9] = [
        Privilege::LinksAndImages,
        Privilege::Downvote,
        Privilege::Flag,
        Privilege::Retag,
        Privilege::EditOthers,
        Privilege::CloseReopen,
        Privilege::ReviewQueue,
        Privilege::TrustedFlags,
        Privilege::CommentEverywhere,
    ];

    /// Its bit in a set of perks (`users.perks`).
    pub fn bit(self) -> i32 {
        1 << Privilege::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The privileges in a set of perks.
    pub fn in_set(perks: i32) -> Vec<Privilege> {
        Privilege::ALL
            .into_iter()
            .filter(|p| perks & p.bit() != 0)
            .collect()
    }

    /// Its stable name, for settings, perks and the API (`edit_others`).
    pub fn name(self) -> &'static str {
        match self {
            Privilege::LinksAndImages => "links_and_images",
            Privilege::CommentEverywhere => "comment_everywhere",
            Privilege::Downvote => "downvote",
            Privilege::Flag => "flag",
            Privilege::Retag => "retag",
            Privilege::EditOthers => "edit_others",
            Privilege::CloseReopen => "close_reopen",
            Privilege::ReviewQueue => "review_queue",
            Privilege::TrustedFlags => "trusted_flags",
        }
    }

    /// The privilege with this name.
    pub fn from_name(name: &str) -> Option<Privilege> {
        Privilege::ALL.into_iter().find(|p| p.name() == name)
    }

    /// What it lets a member do, in the profile's words.
    pub fn describe(self) -> &'static str {
        match self {
            Privilege::LinksAndImages => "post links and images freely",
            Privilege::CommentEverywhere => "comment on any post",
            Privilege::Downvote => "vote down",
            Privilege::Flag => "flag posts for moderators",
            Privilege::Retag => "retag others' questions",
            Privilege::EditOthers => "edit others' posts",
            Privilege::CloseReopen => "vote to close and reopen questions",
            Privilege::ReviewQueue => "see the review queue",
            Privilege::TrustedFlags => "flag with immediate effect",
        }
    }
}

/// The level each privilege needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivilegeTable {
    pub links_and_images: TrustLevel,
    pub comment_everywhere: TrustLevel,
    pub downvote: TrustLevel,
    pub flag: TrustLevel,
    pub retag: TrustLevel,
    pub edit_others: TrustLevel,
    pub close_reopen: TrustLevel,
    pub review_queue: TrustLevel,
    pub trusted_flags: TrustLevel,
}

impl Default for PrivilegeTable {
    /// TL0 (new) comments anywhere; TL1 (basic) for links, downvotes and flags; TL2 (member)
    /// for retagging; TL3 (regular) for editing others, closing, the review queue and trusted
    /// flags.
    fn default() -> Self {
        PrivilegeTable {
            links_and_images: TrustLevel(1),
            comment_everywhere: TrustLevel(0),
            downvote: TrustLevel(1),
            flag: TrustLevel(1),
            retag: TrustLevel(2),
            edit_others: TrustLevel(3),
            close_reopen: TrustLevel(3),
            review_queue: TrustLevel(3),
            trusted_flags: TrustLevel(3),
        }
    }
}

impl PrivilegeTable {
    /// The level `p` needs.
    pub fn level(&self, p: Privilege) -> TrustLevel {
        match p {
            Privilege::LinksAndImages => self.links_and_images,
            Privilege::CommentEverywhere => self.comment_everywhere,
            Privilege::Downvote => self.downvote,
            Privilege::Flag => self.flag,
            Privilege::Retag => self.retag,
            Privilege::EditOthers => self.edit_others,
            Privilege::CloseReopen => self.close_reopen,
            Privilege::ReviewQueue => self.review_queue,
            Privilege::TrustedFlags => self.trusted_flags,
        }
    }

    /// Whether `actor` holds `p`: by role, by trust level, or as a champion's perk.
    pub fn allows(&self, actor: &Actor, p: Privilege) -> bool {
        actor.system
            || actor.role.can_moderate()
            || actor.trust_level >= self.level(p)
            || actor.perks & p.bit() != 0
    }

    /// `Forbidden`, naming the level, unless `actor` holds `p`.
    pub fn require(&self, actor: &Actor, p: Privilege) -> CoreResult<()> {
        if self.allows(actor, p) {
            return Ok(());
        }
        Err(CoreError::forbidden(format!(
            "You can {} from trust level {} (you are at {})",
            p.describe(),
            self.level(p).0,
            actor.trust_level.0
        )))
    }

    /// The privileges trust level `level` holds, and those the next level adds.
    pub fn ladder(&self, level: TrustLevel) -> (Vec<Privilege>, Vec<Privilege>) {
        let held = Privilege::ALL
            .into_iter()
            .filter(|p| self.level(*p) <= level)
            .collect();
        let next = Privilege::ALL
            .into_iter()
            .filter(|p| self.level(*p).0 == level.0 + 1)
            .collect();
        (held, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forum_db::ids::UserId;
    use forum_db::types::Role;

    fn at(level: i32) -> Actor {
        Actor {
            id: UserId(1),
            username: "m".into(),
            role: Role::Member,
            reputation: 1,
            trust_level: TrustLevel(level),
            perks: 0,
            system: false,
        }
    }

    #[test]
    fn each_privilege_is_refused_one_level_below_and_allowed_at_it() {
        let table = PrivilegeTable::default();
        for p in Privilege::ALL {
            let needed = table.level(p).0;
            assert!(table.require(&at(needed - 1), p).is_err(), "{p:?}");
            assert!(table.allows(&at(needed), p), "{p:?}");
            assert!(table.allows(&at(4), p), "{p:?}");
        }
        let moderator = Actor {
            role: Role::Moderator,
            ..at(0)
        };
        assert!(Privilege::ALL.iter().all(|p| table.allows(&moderator, *p)));
    }

    #[test]
    fn the_ladder_lists_what_a_level_holds_and_what_comes_next() {
        let table = PrivilegeTable::default();
        let (held, next) = table.ladder(TrustLevel(0));
        assert_eq!(held, [Privilege::CommentEverywhere]);
        assert!(next.contains(&Privilege::Downvote));
        let (held, next) = table.ladder(TrustLevel(2));
        assert!(held.contains(&Privilege::Retag));
        assert!(next.contains(&Privilege::EditOthers));
    }
}
