//! Badges: recognition for kinds of help, awarded by rules in the transaction of the event that
//! earns them (a question asked, an answer posted, accepted or upvoted, kudos received, a
//! champion granted), each once per member, or once per post or per tag where the rule says so.
//! A repeated award is a no-op (the table's unique key), so parallel events award once. The
//! member is told by a notification. Badges stay when a score later drops.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{PostId, UserId};
use forum_db::schema::{badge_awards as ba, kudos, posts, tags, thread_tags, users};
use forum_db::types::{Badge, NotificationKind};
use forum_db::{time::now, AnyConnection};
use serde::Serialize;

use crate::error::CoreResult;
use crate::notifications::{notify, Notice};

/// Answer scores for nice, good and great answers (once per answer).
pub const ANSWER_SCORES: [(Badge, i64); 3] = [
    (Badge::NiceAnswer, 10),
    (Badge::GoodAnswer, 25),
    (Badge::GreatAnswer, 100),
];
/// Total answer score in one tag for its bronze, silver and gold badges (once per tag).
pub const TAG_SCORES: [(Badge, i64); 3] = [
    (Badge::TagBronze, 20),
    (Badge::TagSilver, 80),
    (Badge::TagGold, 200),
];
/// Kudos received for the helpful badge.
pub const HELPFUL_KUDOS: i64 = 10;

/// Bronze, silver or gold: how hard a badge is to earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
}

/// What a badge is for, in the badges page's words.
#[derive(Debug, Clone, Serialize)]
pub struct BadgeInfo {
    pub slug: &'static str,
    pub name: &'static str,
    pub tier: Tier,
    pub description: String,
    /// Whether it is earned once per post or tag rather than once.
    pub repeatable: bool,
}

/// Every badge, in the order the badges page lists them.
pub fn catalogue() -> Vec<BadgeInfo> {
    use strum::IntoEnumIterator;
    Badge::iter().map(info).collect()
}

/// One badge's description.
pub fn info(badge: Badge) -> BadgeInfo {
    let (name, tier, description, repeatable) = match badge {
        Badge::FirstQuestion => (
            "First question",
            Tier::Bronze,
            "Asked a first question".into(),
            false,
        ),
        Badge::FirstAnswer => (
            "First answer",
            Tier::Bronze,
            "Answered a question for the first time".into(),
            false,
        ),
        Badge::FirstAcceptedAnswer => (
            "First accepted answer",
            Tier::Bronze,
            "Wrote an answer the asker accepted".into(),
            false,
        ),
        Badge::NiceAnswer => (
            "Nice answer",
            Tier::Bronze,
            format!("An answer scored {} or more", ANSWER_SCORES[0].1),
            true,
        ),
        Badge::GoodAnswer => (
            "Good answer",
            Tier::Silver,
            format!("An answer scored {} or more", ANSWER_SCORES[1].1),
            true,
        ),
        Badge::GreatAnswer => (
            "Great answer",
            Tier::Gold,
            format!("An answer scored {} or more", ANSWER_SCORES[2].1),
            true,
        ),
        Badge::Teacher => (
            "Teacher",
            Tier::Bronze,
            "Answered a question with an answer that scored 1 or more".into(),
            false,
        ),
        Badge::Helpful => (
            "Helpful",
            Tier::Silver,
            format!("Thanked with kudos {HELPFUL_KUDOS} times"),
            false,
        ),
        Badge::GuidelinesRead => (
            "Guidelines read",
            Tier::Bronze,
            "Read and accepted the community guidelines".into(),
            false,
        ),
        Badge::TagBronze => (
            "Tag bronze",
            Tier::Bronze,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[0].1
            ),
            true,
        ),
        Badge::TagSilver => (
            "Tag silver",
            Tier::Silver,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[1].1
            ),
            true,
        ),
        Badge::TagGold => (
            "Tag gold",
            Tier::Gold,
            format!(
                "Answers in one tag scored {} or more in total",
                TAG_SCORES[2].1
            ),
            true,
        ),
        Badge::Champion => (
            "Champion",
            Tier::Gold,
            "Named a community champion by staff".into(),
            false,
        ),
    };
    BadgeInfo {
        slug: badge.as_str(),
        name,
        tier,
        description,
        repeatable,
    }
}

/// Awards `badge` to `user` (for `subject`: a post's or tag's id, 0 for a once-only badge) and
/// tells them, unless they hold it already. Returns whether it was new.
pub fn award(
    conn: &mut AnyConnection,
    user: UserId,
    badge: Badge,
    subject: i64,
) -> CoreResult<bool> {
    let inserted: Vec<i64> = forum_db::on_backend!(conn, |c| {
        diesel::insert_into(ba::table)
            .values((
                ba::user_id.eq(user),
                ba::badge.eq(badge),
                ba::subject_id.eq(subject),
                ba::created_at.eq(now()),
            ))
            .on_conflict((ba::user_id, ba::badge, ba::subject_id))
            .do_nothing()
            .returning(ba::id)
            .get_results(c)?
    });
    if inserted.is_empty() {
        return Ok(false);
    }
    let name = info(badge).name;
    notify(
        conn,
        &Notice {
            user_id: user,
            kind: NotificationKind::Badge,
            actor_id: None,
            thread_id: None,
            post_id: None,
            subject: format!("badge:{}:{subject}", badge.as_str()),
            message: format!("You earned the badge “{name}”"),
        },
    )?;
    Ok(true)
}

/// After a question is asked.
pub(crate) fn on_question(conn: &mut AnyConnection, author: UserId) -> CoreResult<()> {
    award(conn, author, Badge::FirstQuestion, 0).map(drop)
}

/// After an answer is posted.
pub(crate) fn on_answer(conn: &mut AnyConnection, author: UserId) -> CoreResult<()> {
    award(conn, author, Badge::FirstAnswer, 0).map(drop)
}

/// After an answer by someone other than the asker is accepted.
pub(crate) fn on_accepted(conn: &mut AnyConnection, answerer: UserId) -> CoreResult<()> {
    award(conn, answerer, Badge::FirstAcceptedAnswer, 0).map(drop)
}

/// After kudos reach `receiver`.
pub(crate) fn on_kudos(conn: &mut AnyConnection, receiver: UserId) -> CoreResult<()> {
    let received: i64 = kudos::table
        .filter(kudos::receiver_id.eq(receiver))
        .count()
        .get_result(conn)?;
    if received >= HELPFUL_KUDOS {
        award(conn, receiver, Badge::Helpful, 0)?;
    }
    Ok(())
}

/// After an answer's score rose from `before` to `after`: teacher, nice/good/great answer and
/// tag badges whose threshold it crossed (a threshold already passed was awarded then).
pub(crate) fn on_answer_score(
    conn: &mut AnyConnection,
    answer: PostId,
    author: UserId,
    (before, after): (i64, i64),
) -> CoreResult<()> {
    let crossed = |needed: i64| before < needed && after >= needed;
    if crossed(1) {
        award(conn, author, Badge::Teacher, 0)?;
    }
    for (badge, needed) in ANSWER_SCORES {
        if crossed(needed) {
            award(conn, author, badge, answer.0)?;
        }
    }
    let thread = posts::table
        .find(answer)
        .select(posts::thread_id)
        .first::<forum_db::ids::ThreadId>(conn)?;
    let tag_ids: Vec<i64> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread))
        .select(thread_tags::tag_id)
        .load(conn)?;
    for tag in tag_ids {
        let total = tag_score(conn, author, tag)?;
        let earlier = total - (after - before);
        for (badge, needed) in TAG_SCORES {
            if earlier < needed && total >= needed {
                award(conn, author, badge, tag)?;
            }
        }
    }
    Ok(())
}

/// The total score of `user`'s standing answers in threads tagged `tag`.
pub fn tag_score(conn: &mut AnyConnection, user: UserId, tag: i64) -> CoreResult<i64> {
    let scores: Vec<i64> = posts::table
        .inner_join(thread_tags::table.on(thread_tags::thread_id.eq(posts::thread_id)))
        .filter(thread_tags::tag_id.eq(tag))
        .filter(posts::author_id.eq(user))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .select(posts::score)
        .load(conn)?;
    Ok(scores.iter().sum())
}

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
