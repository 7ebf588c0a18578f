//! Retry and retention policies: how often a once-only job is tried, how long a lease holds,
//! and how long finished rows stay in the outbox.

use std::time::Duration;

use chrono::NaiveDateTime;
use forum_db::time::minus;

const MINUTE: u64 = 60;
const DAY: u64 = 24 * 60 * MINUTE;

/// Attempts, backoff and lease of a once-only job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Claims before the row is dead (a claim counts, so a job that kills its worker runs out).
    pub max_attempts: i32,
    /// The wait after the first failure; it doubles with each further failure.
    pub first_backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// How long a claim holds; the job must finish within it, or another worker may take it.
    pub lease: Duration,
}

impl Retry {
    /// Eight attempts over about an hour (30 s, 1, 2, 4, 8, 16, 32 min), five-minute leases.
    pub const DEFAULT: Retry = Retry {
        max_attempts: 8,
        first_backoff: Duration::from_secs(30),
        max_backoff: Duration::from_secs(60 * MINUTE),
        lease: Duration::from_secs(5 * MINUTE),
    };

    /// The wait after failed attempt number `attempt` (1-based): exponential, capped.
    pub fn backoff(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.first_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }
}

/// How long finished outbox rows are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Done rows of once-only topics.
    pub done: Duration,
    /// Dead rows, kept longer so an operator can look at them.
    pub dead: Duration,
    /// Rows of followed topics; a node that was away longer rebuilds its cache at start.
    pub followed: Duration,
}

impl Retention {
    /// A week for done and followed rows, a month for dead ones.
    pub const DEFAULT: Retention = Retention {
        done: Duration::from_secs(7 * DAY),
        dead: Duration::from_secs(30 * DAY),
        followed: Duration::from_secs(7 * DAY),
    };

    /// The cut-off times as of `now` (a retention too long to represent keeps everything).
    pub fn cutoffs(&self, now: NaiveDateTime) -> forum_db::outbox::Retention {
        forum_db::outbox::Retention {
            done_before: minus(now, self.done),
            dead_before: minus(now, self.dead),
            followed_before: minus(now, self.followed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        let r = Retry::DEFAULT;
        assert_eq!(r.backoff(1), Duration::from_secs(30));
        assert_eq!(r.backoff(2), Duration::from_secs(60));
        assert_eq!(r.backoff(4), Duration::from_secs(240));
        assert_eq!(r.backoff(8), Duration::from_secs(3600));
        assert_eq!(r.backoff(1000), Duration::from_secs(3600));
        assert_eq!(r.backoff(0), Duration::from_secs(30));
    }

    #[test]
    fn a_huge_retention_keeps_everything() {
        let keep_all = Retention {
            done: Duration::MAX,
            dead: Duration::MAX,
            followed: Duration::MAX,
        };
        let cutoffs = keep_all.cutoffs(forum_db::time::now());
        assert_eq!(cutoffs.done_before, NaiveDateTime::default());
    }
}
