//! The ladder in the database and each member's level computed from it.

use diesel::prelude::*;
use forum_db::ids::UserId;
use forum_db::schema::{member_activity, posts, threads, trust_requirements as req, users};
use forum_db::types::TrustLevel;
use forum_db::AnyConnection;

use super::{Activity, Requirements, TrustRules};
use crate::error::CoreResult;

/// Writes the ladder every writer reads (the server calls it at start from its settings).
pub fn publish(conn: &mut AnyConnection, rules: &TrustRules) -> CoreResult<()> {
    // An upsert per level (batch inserts are not portable across the two backends), so nodes
    // starting at once on PostgreSQL never collide on a level's key.
    forum_db::write_tx(conn, |c| {
        for level in &rules.levels {
            forum_db::on_backend!(c, |b| {
                diesel::insert_into(req::table)
                    .values(level)
                    .on_conflict(req::level)
                    .do_update()
                    .set((
                        req::reputation.eq(level.reputation),
                        req::days_visited.eq(level.days_visited),
                        req::posts_read.eq(level.posts_read),
                        req::answers.eq(level.answers),
                        req::accepted_answers.eq(level.accepted_answers),
                        req::flags_agreed.eq(level.flags_agreed),
                    ))
                    .execute(b)?
            });
        }
        Ok(())
    })
}

/// The ladder in force (the defaults when none was published).
pub fn rules(conn: &mut AnyConnection) -> CoreResult<TrustRules> {
    let rows: Vec<Requirements> = req::table
        .order(req::level.asc())
        .select((
            req::level,
            req::reputation,
            req::days_visited,
            req::posts_read,
            req::answers,
            req::accepted_answers,
            req::flags_agreed,
        ))
        .load(conn)?;
    Ok(match <[Requirements; 3]>::try_from(rows) {
        Ok(levels) => TrustRules { levels },
        Err(_) => TrustRules::default(),
    })
}

/// A member's inputs, counted now.
pub fn activity(conn: &mut AnyConnection, user: UserId, reputation: i64) -> CoreResult<Activity> {
    let recorded: Option<(i64, i64, i64)> = member_activity::table
        .find(user)
        .select((
            member_activity::days_visited,
            member_activity::posts_read,
            member_activity::flags_agreed,
        ))
        .first(conn)
        .optional()?;
    let (days_visited, posts_read, flags_agreed) = recorded.unwrap_or_default();
    let answers: i64 = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let accepted_answers: i64 = threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq(user))
        .filter(threads::author_id.ne(user))
        .filter(threads::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(Activity {
        reputation,
        days_visited,
        posts_read,
        answers,
        accepted_answers,
        flags_agreed,
    })
}

/// Recomputes a member's level from their inputs now and stores it; returns it.
pub fn refresh(conn: &mut AnyConnection, user: UserId) -> CoreResult<TrustLevel> {
    forum_db::write_tx(conn, |c| {
        forum_db::lock::lock_user(c, user)?;
        let (reputation, current): (i64, TrustLevel) = users::table
            .find(user)
            .select((users::reputation, users::trust_level))
            .first(c)?;
        store_level(c, user, reputation, current)
    })
}

/// The level for a member whose row the caller has locked, at `reputation`, stored when it
/// moved. Reputation is checked first: below TL1's threshold nothing else is counted.
pub(crate) fn store_level(
    conn: &mut AnyConnection,
    user: UserId,
    reputation: i64,
    current: TrustLevel,
) -> CoreResult<TrustLevel> {
    if current >= TrustLevel::LEADER {
        return Ok(current);
    }
    let rules = rules(conn)?;
    let level = if reputation < rules.levels[0].reputation {
        TrustLevel::NEW
    } else {
        rules.level_for(&activity(conn, user, reputation)?, current)
    };
    if level != current {
        diesel::update(users::table.find(user))
            .set(users::trust_level.eq(level))
            .execute(conn)?;
    }
    Ok(level)
}
