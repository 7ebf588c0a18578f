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
    let mut out: Vec<Held> = Vec::new();
    for (badge, subject, at) in rows {
        let tag = if matches!(badge, Badge::TagBronze | Badge::TagSilver | Badge::TagGold) {
            tags::table
                .find(subject)
                .select(tags::name)
                .first::<String>(conn)
                .optional()?
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
    let rows: Vec<Badge> = ba::table.select(ba::badge).load(conn)?;
    let mut counts: Vec<(Badge, i64)> = Vec::new();
    for b in rows {
        match counts.iter_mut().find(|(x, _)| *x == b) {
            Some((_, n)) => *n += 1,
            None => counts.push((b, 1)),
        }
    }
    Ok(counts)
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
