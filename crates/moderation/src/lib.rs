//! The social contract lives here. Now: posting limits by trust level (links and images for
//! new members, posting rate). Flags, the review queue, sanctions and appeals build on it.
//! Policy is pure functions over primitives, so it is tested without a database.

pub mod error;
pub mod limits;

pub use error::ModerationError;
pub use limits::{check_content, check_rate, PostingLimits};
