//! The seam between the domain and the social contract. Every service that creates content asks
//! a [`WritePolicy`] before it writes; the `moderation` crate implements it (posting limits
//! today; flags, sanctions and reduced reach tomorrow). The policy is an argument of the
//! services, not a step in the web handlers, so no entry point (page, API, CLI, seed, importer)
//! can write without it.
//!
//! Why a trait asked by the core rather than moderation as a facade in front of it: with a
//! facade, the core's write functions stay callable without the checks, and "no route can skip
//! the policy" would be a convention. Here the core cannot be called without a policy, and the
//! core needs to know nothing of the contract's rules.

use forum_db::AnyConnection;

use crate::actor::Actor;
use crate::error::CoreResult;
use crate::markup::Cooked;

/// What a write creates, so the policy can treat a question, an answer, a comment and an edit
/// differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Question,
    Answer,
    Comment,
    Edit,
}

/// The social contract as the core sees it.
pub trait WritePolicy: Send + Sync {
    /// Whether this actor's new posts wait until their address is confirmed (the forum's
    /// `accounts.require_verified_email`; staff and the system actor never wait). Off unless
    /// a policy says so.
    fn requires_confirmed_email(&self, _actor: &Actor) -> bool {
        false
    }

    /// What each trust level unlocks (the forum's `privileges.*` settings); every action that
    /// needs a privilege asks this table.
    fn privileges(&self) -> crate::privileges::PrivilegeTable {
        crate::privileges::PrivilegeTable::default()
    }

    /// Checks cooked content before any transaction starts (links and images for new members).
    /// Pure CPU work on what the member wrote; refuse with `CoreError::Validation` on `body`.
    fn check_content(&self, actor: &Actor, kind: ContentKind, cooked: &Cooked) -> CoreResult<()>;

    /// Checks the member's pace inside the write transaction, after the core locked the
    /// member's row, so parallel requests are counted one after another. Refuse with
    /// `CoreError::RateLimited`.
    fn check_rate(
        &self,
        conn: &mut AnyConnection,
        actor: &Actor,
        kind: ContentKind,
    ) -> CoreResult<()>;
}

/// A policy that allows everything: for the core's own tests and for tools that write only as
/// the system actor. The server always runs with the `moderation` crate's policy.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoContract;

impl WritePolicy for NoContract {
    fn check_content(&self, _: &Actor, _: ContentKind, _: &Cooked) -> CoreResult<()> {
        Ok(())
    }

    fn check_rate(&self, _: &mut AnyConnection, _: &Actor, _: ContentKind) -> CoreResult<()> {
        Ok(())
    }
}
