//! Reading badges back: a member's, each badge's count and recent recipients.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::{badge_awards as ba, tags, users};
use forum_db::types::Badge;
use forum_db::AnyConnection;
use serde::Serialize;

use super::catalogue::{catalogue, info, BadgeInfo, Tier};
use crate::error::CoreResult;

/// A badge as a member holds it: how many times, when last, and for which tags.
#[derive(Debug, Clone, Serialize)]
pub struct Held {
    pub badge: BadgeInfo,
    pub count: i64,
    pub last_awarded_at: NaiveDateTime,
    /// The tags a tag badge is for.
    pub tags: Vec<String>,
}

/// The badges `user` holds, best tier first.
pub fn held_by(conn: &mut AnyConnection, user: UserId) -> CoreResult<Vec<Held>> {
    let rows: Vec<(Badge, i64, NaiveDateTime)> = ba::table
        .filter(ba::user_id.eq(user))
        .order(ba::created_at.asc())
        .select((ba::badge, ba::subject_id, ba::created_at))
        .load(conn)?;
    let is_tag = |b: Badge| matches!(b, Badge::TagBronze | Badge::TagSilver | Badge::TagGold);
    // The tags of the tag badges, in one query.
    let tag_ids: Vec<i64> = rows
        .iter()
        .filter(|(b, _, _)| is_tag(*b))
        .map(|(_, subject, _)| *subject)
        .collect();
    let tag_names: Vec<(i64, String)> = if tag_ids.is_empty() {
        Vec::new()
    } else {
        tags::table
            .filter(tags::id.eq_any(&tag_ids))
            .select((tags::id, tags::name))
            .load(conn)?
    };
    let mut out: Vec<Held> = Vec::new();
    for (badge, subject, at) in rows {
        let tag = if is_tag(badge) {
            tag_names
                .iter()
                .find(|(id, _)| *id == subject)
                .map(|(_, name)| name.clone())
        } else {
            None
        };
        match out.iter_mut().find(|h| h.badge.slug == badge.as_str()) {
            Some(h) => {
                h.count += 1;
                h.last_awarded_at = at;
                h.tags.extend(tag);
            }
            None => out.push(Held {
                badge: info(badge),
                count: 1,
                last_awarded_at: at,
                tags: tag.into_iter().collect(),
            }),
        }
    }
    out.sort_by_key(|h| std::cmp::Reverse(tier_rank(h.badge.tier)));
    Ok(out)
}

fn tier_rank(t: Tier) -> u8 {
    match t {
        Tier::Bronze => 0,
        Tier::Silver => 1,
        Tier::Gold => 2,
    }
}

/// How many times each badge was awarded.
pub fn award_counts(conn: &mut AnyConnection) -> CoreResult<Vec<(Badge, i64)>> {
    // Counted by the database: the award table grows with the forum.
    Ok(ba::table
        .group_by(ba::badge)
        .select((ba::badge, diesel::dsl::count_star()))
        .load(conn)?)
}

/// One award of a badge, for the badge's page.
#[derive(Debug, Clone, Serialize)]
pub struct Recipient {
    pub username: String,
    pub awarded_at: NaiveDateTime,
}

/// The most recent members to earn `badge`, newest first.
pub fn recipients(
    conn: &mut AnyConnection,
    badge: Badge,
    limit: i64,
) -> CoreResult<Vec<Recipient>> {
    let rows: Vec<(String, NaiveDateTime)> = ba::table
        .inner_join(users::table)
        .filter(ba::badge.eq(badge))
        .order(ba::created_at.desc())
        .limit(limit)
        .select((users::username, ba::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(username, awarded_at)| Recipient {
            username,
            awarded_at,
        })
        .collect())
}

/// A badge with how many times it was awarded (the badges page and `GET /api/v1/badges`).
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub badge: BadgeInfo,
    pub awarded_count: i64,
}

/// Every badge with its award count, in catalogue order.
pub fn overview(conn: &mut AnyConnection) -> CoreResult<Vec<Listed>> {
    let counts = award_counts(conn)?;
    Ok(catalogue()
        .into_iter()
        .map(|badge| Listed {
            awarded_count: counts
                .iter()
                .find(|(b, _)| b.as_str() == badge.slug)
                .map_or(0, |(_, n)| *n),
            badge,
        })
        .collect())
}
