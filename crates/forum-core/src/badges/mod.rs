//! Badges: recognition for kinds of help, awarded by rules in the transaction of the event that
//! earns them (a question asked, an answer posted, accepted or upvoted, kudos received, a
//! champion granted), each once per member, or once per post or per tag where the rule says so.
//! A repeated award is a no-op (the table's unique key), so parallel events award once. The
//! member is told by a notification. Badges stay when a score later drops.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::models::Post;
use forum_db::schema::{badge_awards as ba, kudos, posts, thread_tags};
use forum_db::types::{Badge, NotificationKind};
use forum_db::{time::now, AnyConnection};

mod catalogue;
mod reads;

pub use catalogue::{catalogue, info, BadgeInfo, Tier};
pub use reads::{award_counts, held_by, overview, recipients, Held, Listed, Recipient};

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

/// After `answer`'s score rose from its stored score to `after`: teacher, nice/good/great
/// answer and tag badges whose threshold it crossed (a threshold already passed was awarded
/// then).
pub(crate) fn on_answer_score(
    conn: &mut AnyConnection,
    answer: &Post,
    after: i64,
) -> CoreResult<()> {
    let (author, before) = (answer.author_id, answer.score);
    let crossed = |needed: i64| before < needed && after >= needed;
    if crossed(1) {
        award(conn, author, Badge::Teacher, 0)?;
    }
    for (badge, needed) in ANSWER_SCORES {
        if crossed(needed) {
            award(conn, author, badge, answer.id.0)?;
        }
    }
    let tag_ids: Vec<i64> = thread_tags::table
        .filter(thread_tags::thread_id.eq(answer.thread_id))
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
