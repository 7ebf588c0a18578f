//! The moderation step of the write path (DESIGN §3: handler → moderation checks → service):
//! new members' link and image limits and posting rate.

use forum_core::markup::{cook, CookOptions};
use forum_core::posts::recent_post_times;
use forum_core::Actor;
use forum_db::AnyConnection;
use moderation::PostingLimits;

use crate::config::Settings;
use crate::error::AppResult;

/// The limits in force, from settings.
pub fn posting_limits(settings: &Settings) -> PostingLimits {
    PostingLimits {
        new_user_max_links: settings.limits.new_user_max_links,
        new_user_posts_per_window: settings.limits.new_user_posts_per_window,
        ..PostingLimits::default()
    }
}

/// Refuses a post that breaks the author's limits. Staff are exempt.
pub fn check_posting(
    conn: &mut AnyConnection,
    limits: &PostingLimits,
    actor: &Actor,
    body: &str,
) -> AppResult<()> {
    if actor.role.can_moderate() {
        return Ok(());
    }
    let cooked = cook(body, CookOptions::default());
    moderation::check_content(
        limits,
        actor.trust_level as i16,
        cooked.link_count,
        cooked.image_count,
    )?;
    let window = limits.new_user_window_secs.max(limits.member_window_secs) as i64;
    let times = recent_post_times(conn, actor.id, window)?;
    moderation::check_rate(
        limits,
        actor.trust_level as i16,
        &times,
        chrono::Utc::now().timestamp(),
    )?;
    Ok(())
}
