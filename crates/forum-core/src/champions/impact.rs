//! A champion's impact over one term (staff pages and the API): answers, accepted answers,
//! first responses to questions, the median time from a question to their first answer on
//! it, and kudos received, all counted from the database over the term and the scope.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{CategoryId, ChampionId, PostId, ThreadId, UserId};
use forum_db::schema::{categories, champion_categories as cc, kudos, posts, threads};
use forum_db::AnyConnection;
use serde::Serialize;

use super::{by_id, Championship};
use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// What a champion did in one term.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub championship: Championship,
    /// The period counted: the term's start to its end (or now, or when it ended).
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub answers: i64,
    pub accepted_answers: i64,
    /// Questions where theirs was the first answer by anyone but the asker.
    pub first_responses: i64,
    /// Median hours from a question to their first answer on it (None without answers).
    pub median_first_response_hours: Option<f64>,
    pub kudos_received: i64,
}

/// The impact report of championship `id`: staff, or the champion themself.
pub fn impact(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: ChampionId,
    now: NaiveDateTime,
) -> CoreResult<Impact> {
    let c = by_id(conn, id)?;
    if !(actor.system || actor.role.is_staff() || actor.id == c.user_id) {
        return Err(CoreError::forbidden(
            "Only staff and the champion see the impact report",
        ));
    }
    let from = c.starts_at;
    let to = c.ended_at.unwrap_or(c.ends_at).min(now).max(from);
    let scope: Option<Vec<CategoryId>> = if c.all_categories {
        None
    } else {
        Some(
            cc::table
                .filter(cc::champion_id.eq(id))
                .select(cc::category_id)
                .load(conn)?,
        )
    };
    let in_scope = |cat: CategoryId| scope.as_ref().is_none_or(|s| s.contains(&cat));
    // Their answers in the period: (post, thread, answered at, asked at, asker, category,
    // accepted answer of the thread).
    type Answer = (
        PostId,
        ThreadId,
        NaiveDateTime,
        NaiveDateTime,
        UserId,
        CategoryId,
        Option<PostId>,
    );
    let answers: Vec<Answer> = posts::table
        .inner_join(threads::table.inner_join(categories::table))
        .filter(posts::author_id.eq(c.user_id))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(threads::deleted_at.is_null())
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .order(posts::created_at.asc())
        .select((
            posts::id,
            threads::id,
            posts::created_at,
            threads::created_at,
            threads::author_id,
            threads::category_id,
            threads::accepted_post_id,
        ))
        .load(conn)?;
    let answers: Vec<Answer> = answers.into_iter().filter(|a| in_scope(a.5)).collect();
    let accepted = answers.iter().filter(|a| a.6 == Some(a.0)).count();
    // Their first answer on each question they did not ask, and when it came.
    let mut first_by_them: HashMap<ThreadId, (NaiveDateTime, NaiveDateTime)> = HashMap::new();
    for a in answers.iter().filter(|a| a.4 != c.user_id) {
        first_by_them.entry(a.1).or_insert((a.3, a.2));
    }
    let thread_ids: Vec<ThreadId> = first_by_them.keys().copied().collect();
    let all_answers: Vec<(ThreadId, UserId, NaiveDateTime)> = posts::table
        .inner_join(threads::table)
        .filter(posts::thread_id.eq_any(&thread_ids))
        .filter(posts::is_question.eq(false))
        .filter(posts::deleted_at.is_null())
        .filter(posts::author_id.ne(threads::author_id))
        .select((posts::thread_id, posts::author_id, posts::created_at))
        .load(conn)?;
    let mut earliest: HashMap<ThreadId, (NaiveDateTime, UserId)> = HashMap::new();
    for (thread, author, at) in all_answers {
        let e = earliest.entry(thread).or_insert((at, author));
        if at < e.0 {
            *e = (at, author);
        }
    }
    let first_responses = earliest
        .values()
        .filter(|(_, author)| *author == c.user_id)
        .count();
    let mut hours: Vec<f64> = first_by_them
        .values()
        .map(|(asked, answered)| (*answered - *asked).num_seconds() as f64 / 3600.0)
        .collect();
    hours.sort_by(f64::total_cmp);
    let median = match hours.len() {
        0 => None,
        n if n % 2 == 1 => Some(hours[n / 2]),
        n => Some((hours[n / 2 - 1] + hours[n / 2]) / 2.0),
    };
    let kudos_threads: Vec<CategoryId> = kudos::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(kudos::receiver_id.eq(c.user_id))
        .filter(kudos::created_at.ge(from))
        .filter(kudos::created_at.lt(to))
        .select(threads::category_id)
        .load(conn)?;
    let kudos_received = kudos_threads
        .into_iter()
        .filter(|cat| in_scope(*cat))
        .count();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    Ok(Impact {
        championship: c,
        from,
        to,
        answers: count(answers.len()),
        accepted_answers: count(accepted),
        first_responses: count(first_responses),
        median_first_response_hours: median,
        kudos_received: count(kudos_received),
    })
}
