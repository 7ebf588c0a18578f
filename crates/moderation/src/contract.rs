//! The social contract as the domain's write policy: the core asks it before every write that
//! creates content, so pages, the API, the CLI and importers all meet the same rules.

use forum_core::markup::Cooked;
use forum_core::policy::{ContentKind, WritePolicy};
use forum_core::posts::recent_contribution_times;
use forum_core::privileges::{Privilege, PrivilegeTable};
use forum_core::{Actor, CoreError, CoreResult};
use forum_db::types::TrustLevel;
use forum_db::AnyConnection;

use crate::error::ModerationError;
use crate::limits::{check_content, check_mentions, check_rate, PostingLimits};

/// The policy the server runs with.
#[derive(Debug, Clone, Default)]
pub struct ContractPolicy {
    pub limits: PostingLimits,
    /// What each trust level unlocks.
    pub privileges: PrivilegeTable,
}

impl ContractPolicy {
    /// A policy with these limits and the default privilege table.
    pub fn new(limits: PostingLimits) -> ContractPolicy {
        ContractPolicy {
            limits,
            privileges: PrivilegeTable::default(),
        }
    }

    /// The same policy with this privilege table.
    pub fn with_privileges(self, privileges: PrivilegeTable) -> ContractPolicy {
        ContractPolicy { privileges, ..self }
    }

    /// Moderators, staff and admins keep the community; the system actor writes imports and
    /// integrations that were checked where they came from. Neither is limited.
    fn exempt(actor: &Actor) -> bool {
        actor.system || actor.role.can_moderate()
    }
}

impl WritePolicy for ContractPolicy {
    fn privileges(&self) -> PrivilegeTable {
        self.privileges
    }

    fn requires_confirmed_email(&self, actor: &Actor) -> bool {
        self.limits.require_confirmed_email && !Self::exempt(actor)
    }

    fn check_content(&self, actor: &Actor, _: ContentKind, cooked: &Cooked) -> CoreResult<()> {
        if Self::exempt(actor) {
            return Ok(());
        }
        // Below the links-and-images privilege, the new-member limits apply.
        let limited = !self.privileges.allows(actor, Privilege::LinksAndImages);
        let level = if limited {
            TrustLevel::NEW
        } else {
            actor.trust_level.max(TrustLevel(1))
        };
        check_content(&self.limits, level, cooked.link_count, cooked.image_count)
            .and_then(|()| check_mentions(&self.limits, actor.trust_level, cooked.mentions.len()))
            .map_err(refusal)
    }

    fn check_rate(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        kind: ContentKind,
    ) -> CoreResult<()> {
        if Self::exempt(actor) || kind == ContentKind::Edit {
            return Ok(());
        }
        let window = self
            .limits
            .new_user_window_secs
            .max(self.limits.member_window_secs);
        let times =
            recent_contribution_times(conn, actor.id, std::time::Duration::from_secs(window))?;
        check_rate(
            &self.limits,
            actor.trust_level,
            &times,
            chrono::Utc::now().timestamp(),
        )
        .map_err(refusal)
    }
}

/// The domain's words for a refusal: too many links is a fault in the body the member can fix;
/// posting too fast is a wait.
fn refusal(e: ModerationError) -> CoreError {
    match e {
        ModerationError::PostingTooFast { retry_after_secs } => CoreError::RateLimited {
            message: e.to_string(),
            retry_after_secs,
        },
        other => CoreError::invalid("body", other.to_string()),
    }
}
