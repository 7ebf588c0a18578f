//! Posting limits by trust level: pure functions over numbers, tested without a database
//! (`contract` feeds them from storage). New members (TL0) may post at once —
//! one-question visitors must be able to ask — but with few links and at a bounded rate, which
//! starves link spam without slowing real customers.

use forum_db::types::TrustLevel;

use crate::error::ModerationError;

/// The numbers in force (Discourse defaults: `newuser_max_links` 2, `newuser_max_embedded_media` 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingLimits {
    pub new_user_max_links: usize,
    pub new_user_max_images: usize,
    /// Members a new member may `@mention` in one post (Discourse: 2 for new users).
    pub new_user_max_mentions: usize,
    /// Members anyone else may `@mention` in one post (Discourse's `max_mentions_per_post` 10).
    pub max_mentions: usize,
    pub new_user_posts_per_window: u32,
    pub new_user_window_secs: u64,
    pub member_posts_per_window: u32,
    pub member_window_secs: u64,
    /// Whether a member's posts wait until their address is confirmed.
    pub require_confirmed_email: bool,
}

impl Default for PostingLimits {
    fn default() -> Self {
        PostingLimits {
            new_user_max_links: 2,
            new_user_max_images: 1,
            new_user_max_mentions: 2,
            max_mentions: 10,
            new_user_posts_per_window: 5,
            new_user_window_secs: 600,
            member_posts_per_window: 30,
            member_window_secs: 600,
            require_confirmed_email: false,
        }
    }
}

/// Trust level from which no posting limit applies.
pub const UNLIMITED_FROM_TRUST_LEVEL: TrustLevel = TrustLevel(3);

/// Refuses a TL0 post with too many links or images.
pub fn check_content(
    limits: &PostingLimits,
    trust_level: TrustLevel,
    link_count: usize,
    image_count: usize,
) -> Result<(), ModerationError> {
    if trust_level > TrustLevel::NEW {
        return Ok(());
    }
    if link_count > limits.new_user_max_links {
        return Err(ModerationError::TooManyLinks {
            max: limits.new_user_max_links,
            found: link_count,
        });
    }
    if image_count > limits.new_user_max_images {
        return Err(ModerationError::TooManyImages {
            max: limits.new_user_max_images,
            found: image_count,
        });
    }
    Ok(())
}

/// Refuses a post that mentions more members than the author's trust level allows (a mention
/// notifies, so a list of names is a way to spam people).
pub fn check_mentions(
    limits: &PostingLimits,
    trust_level: TrustLevel,
    mention_count: usize,
) -> Result<(), ModerationError> {
    let max = if trust_level == TrustLevel::NEW {
        limits.new_user_max_mentions
    } else {
        limits.max_mentions
    };
    if mention_count > max {
        return Err(ModerationError::TooManyMentions {
            max,
            found: mention_count,
        });
    }
    Ok(())
}

/// Refuses a post when the member already made their window's quota; `retry_after_secs` is
/// when the oldest post in the window leaves it.
pub fn check_rate(
    limits: &PostingLimits,
    trust_level: TrustLevel,
    recent_post_times_unix: &[i64],
    now_unix: i64,
) -> Result<(), ModerationError> {
    if trust_level >= UNLIMITED_FROM_TRUST_LEVEL {
        return Ok(());
    }
    let (quota, window) = if trust_level == TrustLevel::NEW {
        (
            limits.new_user_posts_per_window,
            limits.new_user_window_secs,
        )
    } else {
        (limits.member_posts_per_window, limits.member_window_secs)
    };
    let window = window as i64;
    let mut in_window: Vec<i64> = recent_post_times_unix
        .iter()
        .copied()
        .filter(|t| now_unix - t < window)
        .collect();
    if (in_window.len() as u64) < u64::from(quota) {
        return Ok(());
    }
    in_window.sort_unstable();
    // The post that must age out before another is allowed.
    let idx = in_window.len().saturating_sub(quota.max(1) as usize);
    let oldest = in_window.get(idx).copied().unwrap_or(now_unix);
    let retry = (oldest + window - now_unix).max(1) as u64;
    Err(ModerationError::PostingTooFast {
        retry_after_secs: retry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_members_link_and_image_limits() {
        let l = PostingLimits::default();
        assert_eq!(check_content(&l, TrustLevel(0), 2, 1), Ok(()));
        assert_eq!(
            check_content(&l, TrustLevel(0), 3, 0),
            Err(ModerationError::TooManyLinks { max: 2, found: 3 })
        );
        assert_eq!(
            check_content(&l, TrustLevel(0), 0, 2),
            Err(ModerationError::TooManyImages { max: 1, found: 2 })
        );
        assert_eq!(
            check_content(&l, TrustLevel(1), 50, 50),
            Ok(()),
            "TL1 is not limited"
        );
    }

    #[test]
    fn mentions_are_limited_by_trust_level() {
        let l = PostingLimits::default();
        assert_eq!(check_mentions(&l, TrustLevel(0), 2), Ok(()));
        assert_eq!(
            check_mentions(&l, TrustLevel(0), 3),
            Err(ModerationError::TooManyMentions { max: 2, found: 3 })
        );
        assert_eq!(check_mentions(&l, TrustLevel(2), 10), Ok(()));
        assert_eq!(
            check_mentions(&l, TrustLevel(4), 11),
            Err(ModerationError::TooManyMentions { max: 10, found: 11 })
        );
    }

    #[test]
    fn new_member_rate() {
        let l = PostingLimits::default();
        let now = 10_000;
        let four = [now - 10, now - 20, now - 30, now - 40];
        assert_eq!(check_rate(&l, TrustLevel(0), &four, now), Ok(()));
        let five = [now - 10, now - 20, now - 30, now - 40, now - 100];
        assert_eq!(
            check_rate(&l, TrustLevel(0), &five, now),
            Err(ModerationError::PostingTooFast {
                retry_after_secs: 500
            })
        );
        let old = [now - 700, now - 800, now - 900, now - 1000, now - 1100];
        assert_eq!(
            check_rate(&l, TrustLevel(0), &old, now),
            Ok(()),
            "posts outside the window do not count"
        );
    }

    #[test]
    fn members_have_a_higher_quota_and_tl3_none() {
        let l = PostingLimits::default();
        let now = 10_000;
        let many: Vec<i64> = (0..30).map(|i| now - i).collect();
        assert!(check_rate(&l, TrustLevel(1), &many[..29], now).is_ok());
        assert!(matches!(
            check_rate(&l, TrustLevel(1), &many, now),
            Err(ModerationError::PostingTooFast { .. })
        ));
        assert!(check_rate(&l, TrustLevel(3), &many, now).is_ok());
    }

    #[test]
    fn a_zero_quota_refuses_without_panicking() {
        let l = PostingLimits {
            new_user_posts_per_window: 0,
            ..PostingLimits::default()
        };
        assert_eq!(
            check_rate(&l, TrustLevel(0), &[], 100),
            Err(ModerationError::PostingTooFast {
                retry_after_secs: 600
            })
        );
    }
}
