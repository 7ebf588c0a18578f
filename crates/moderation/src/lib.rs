//! The social contract lives here. Now: posting limits by trust level (links and images for
//! new members, posting rate), applied to every write through [`ContractPolicy`], the
//! implementation of the domain's `forum_core::policy::WritePolicy`; flag scoring
//! ([`flag_score`]) and the sanctions ladder ([`ladder`]) as pure policy, which the flag,
//! review-queue, sanction and appeal workflows build on. The rules themselves (`limits`) are pure functions over
//! numbers, tested without a database; `contract` reads what they need from storage.

pub mod contract;
pub mod error;
pub mod flag_score;
pub mod ladder;
pub mod limits;

pub use contract::ContractPolicy;
pub use error::ModerationError;
pub use flag_score::{FlagDecision, FlagRules, Flagger};
pub use limits::{check_content, check_rate, PostingLimits};
