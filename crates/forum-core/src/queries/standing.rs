//! What a profile shows beyond the posts: reputation over time, top tags, the accepted-answer
//! rate; and the leaderboard of reputation earned in a week, a month or all time, optionally
//! in one category. All counted from the ledger and the posts, never from counters.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use forum_db::ids::{CategoryId, UserId};
use forum_db::schema::{posts, reputation_events as ev, tags, thread_tags, threads, users};
use forum_db::AnyConnection;
use serde::Serialize;

use crate::error::CoreResult;
use crate::reputation::BASE_REPUTATION;

/// A member's reputation at the end of each day it changed, oldest first (the profile's
/// chart); the first point is the day they joined, at the base reputation.
pub fn reputation_series(
    conn: &mut AnyConnection,
    user: UserId,
    joined: NaiveDateTime,
) -> CoreResult<Vec<(NaiveDate, i64)>> {
    let rows: Vec<(NaiveDateTime, i64)> = ev::table
        .filter(ev::user_id.eq(user))
        .order((ev::created_at.asc(), ev::id.asc()))
        .select((ev::created_at, ev::delta))
        .load(conn)?;
    let mut out = vec![(joined.date(), BASE_REPUTATION)];
    let mut total = BASE_REPUTATION;
    for (at, delta) in rows {
        total += delta;
        match out.last_mut() {
            Some((day, value)) if *day == at.date() => *value = total,
            _ => out.push((at.date(), total)),
        }
    }
    Ok(out)
}

/// A tag a member answers in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopTag {
    pub name: String,
    pub answers: i64,
    pub score: i64,
}

/// The tags of a member's standing answers, by total answer score then count.
pub fn top_tags(conn: &mut AnyConnection, user: UserId, limit: usize) -> CoreResult<Vec<TopTag>> {
    let rows: Vec<(String, i64)> = posts::table
        .inner_join(threads::table)
        .inner_join(thread_tags::table.on(thread_tags::thread_id.eq(posts::thread_id)))
        .inner_join(tags::table.on(tags::id.eq(thread_tags::tag_id)))
        .filter(posts::author_id.eq(user))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .select((tags::name, posts::score))
        .load(conn)?;
    let mut by_tag: HashMap<String, (i64, i64)> = HashMap::new();
    for (name, score) in rows {
        let e = by_tag.entry(name).or_default();
        e.0 += 1;
        e.1 += score;
    }
    let mut out: Vec<TopTag> = by_tag
        .into_iter()
        .map(|(name, (answers, score))| TopTag {
            name,
            answers,
            score,
        })
        .collect();
    out.sort_by(|a, b| (b.score, b.answers, &a.name).cmp(&(a.score, a.answers, &b.name)));
    out.truncate(limit);
    Ok(out)
}

/// The window a leaderboard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    Month,
    All,
}

impl Period {
    /// `week`, `month` or `all` (anything else: None).
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "week" => Some(Period::Week),
            "month" => Some(Period::Month),
            "all" => Some(Period::All),
            _ => None,
        }
    }

    fn since(self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        match self {
            Period::Week => Some(now - Duration::days(7)),
            Period::Month => Some(now - Duration::days(30)),
            Period::All => None,
        }
    }
}

/// One row of the leaderboard.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Leader {
    pub rank: usize,
    pub username: String,
    /// Reputation earned in the period (and category).
    pub reputation: i64,
}

/// The members who earned the most reputation in `period` (the last 7 or 30 days, or ever),
/// counting only events on posts in `category` when one is given; ties by name.
pub fn leaderboard(
    conn: &mut AnyConnection,
    period: Period,
    category: Option<CategoryId>,
    now: NaiveDateTime,
    limit: usize,
) -> CoreResult<Vec<Leader>> {
    // Summed by the database, one row per member (the ledger grows with the forum). SUM of a
    // BIGINT is NUMERIC on PostgreSQL, so it is cast back.
    let mut q = ev::table
        .inner_join(users::table)
        .left_join(posts::table.inner_join(threads::table))
        .group_by(users::username)
        .select((
            users::username,
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "CAST(SUM(reputation_events.delta) AS BIGINT)",
            ),
        ))
        .into_boxed();
    if let Some(since) = period.since(now) {
        q = q.filter(ev::created_at.ge(since));
    }
    if let Some(category) = category {
        q = q.filter(threads::category_id.nullable().eq(Some(category)));
    }
    let sums: Vec<(String, i64)> = q.load(conn)?;
    let mut out: Vec<(String, i64)> = sums.into_iter().filter(|(_, r)| *r > 0).collect();
    out.sort_by(|a, b| (b.1, &a.0).cmp(&(a.1, &b.0)));
    Ok(out
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, (username, reputation))| Leader {
            rank: i + 1,
            username,
            reputation,
        })
        .collect())
}

/// Everything a profile and `GET /api/v1/users/{username}` show of a member's standing.
#[derive(Debug, Clone, Serialize)]
pub struct MemberStanding {
    pub trust: crate::trust::Standing,
    pub badges: Vec<crate::badges::Held>,
    pub champion: Option<crate::champions::Championship>,
    /// Standing answers, and how many were accepted on others' questions.
    pub answers: i64,
    pub accepted_answers: i64,
    pub kudos_received: i64,
    pub top_tags: Vec<TopTag>,
    /// Reputation at the end of each day it changed.
    pub reputation_history: Vec<(NaiveDate, i64)>,
}

impl MemberStanding {
    /// Accepted answers per answer, 0 to 1 (None before the first answer).
    pub fn accepted_rate(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.accepted_answers as f64 / self.answers as f64)
    }
}

/// The standing of `user`.
pub fn member_standing(
    conn: &mut AnyConnection,
    user: &forum_db::models::User,
) -> CoreResult<MemberStanding> {
    // The inputs are counted once, for the ladder's progress and the answer counts alike.
    let rules = crate::trust::rules(conn)?;
    let activity = crate::trust::activity(conn, user.id, user.reputation)?;
    let trust = crate::trust::standing_from(&rules, user.trust_level, &activity);
    Ok(MemberStanding {
        trust,
        badges: crate::badges::held_by(conn, user.id)?,
        champion: crate::champions::current(conn, user.id)?,
        answers: activity.answers,
        accepted_answers: activity.accepted_answers,
        kudos_received: crate::kudos::received(conn, user.id)?,
        top_tags: top_tags(conn, user.id, 5)?,
        reputation_history: reputation_series(conn, user.id, user.created_at)?,
    })
}
