//! Reputation as an append-only ledger. A member's reputation is `1 + Σ delta` of their events;
//! the cached `users.reputation` moves by each event's delta as it is written (the floor is
//! applied to the delta itself) and `recompute` rebuilds it from the ledger at any time.
//! Rules and amounts follow Stack Exchange's.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{EventId, PostId, UserId};
use forum_db::models::{NewReputationEvent, ReputationEvent};
use forum_db::schema::{reputation_events as ev, users};
use forum_db::types::TrustLevel;
use forum_db::{time::now, AnyConnection};

use crate::error::CoreResult;
use crate::trust;

/// Reputation every account starts with, and the floor it never drops below.
pub const BASE_REPUTATION: i64 = 1;
/// Most reputation a member can earn from upvotes in one UTC day.
pub const DAILY_VOTE_CAP: i64 = 200;

pub use forum_db::types::EventKind;

/// The kinds that count against the daily cap.
const CAPPED_KINDS: [EventKind; 2] = [EventKind::AnswerUpvoted, EventKind::QuestionUpvoted];

/// Appends an event for `user_id`, applying the daily cap and the floor, and refreshes the cache.
/// The member's row is locked first, so parallel events for one member (votes on two of their
/// posts) apply one after another and the cache stays `1 + Σ delta`.
pub fn record(
    conn: &mut AnyConnection,
    user_id: UserId,
    kind: EventKind,
    post_id: PostId,
    actor_id: UserId,
) -> CoreResult<ReputationEvent> {
    let standing = locked_standing(conn, user_id)?;
    let t = now();
    let nominal = kind.nominal();
    let delta = if kind.is_capped() {
        let earned = earned_today(conn, user_id, t)?;
        nominal.min((DAILY_VOTE_CAP - earned).max(0))
    } else {
        floored(standing.0, nominal)
    };
    insert(
        conn,
        &NewReputationEvent {
            user_id,
            kind,
            nominal,
            delta,
            post_id: Some(post_id),
            actor_id: Some(actor_id),
            reverses_id: None,
            created_at: t,
        },
        standing,
    )
}

/// Reverses every not-yet-reversed event of these kinds that `actor_id` caused on `post_id`
/// (a withdrawn vote, an un-accepted answer): each gets a twin with the opposite delta.
/// Callers hold the lock that serialises changes to the post (or its thread), so the "not yet
/// reversed" check cannot race with another reversal.
pub fn reverse(
    conn: &mut AnyConnection,
    post_id: PostId,
    actor_id: UserId,
    kinds: &[EventKind],
) -> CoreResult<usize> {
    let candidates: Vec<ReputationEvent> = ev::table
        .filter(ev::post_id.eq(post_id))
        .filter(ev::actor_id.eq(actor_id))
        .filter(ev::kind.eq_any(kinds))
        .filter(ev::reverses_id.is_null())
        .select(ReputationEvent::as_select())
        .load(conn)?;
    reverse_events(conn, candidates)
}

/// Reverses every standing event on a post, whoever caused it: the post was deleted, so
/// nothing earned or lost through it counts any more.
pub fn reverse_all_on_post(conn: &mut AnyConnection, post_id: PostId) -> CoreResult<usize> {
    let candidates: Vec<ReputationEvent> = ev::table
        .filter(ev::post_id.eq(post_id))
        .filter(ev::reverses_id.is_null())
        .select(ReputationEvent::as_select())
        .load(conn)?;
    reverse_events(conn, candidates)
}

fn reverse_events(conn: &mut AnyConnection, candidates: Vec<ReputationEvent>) -> CoreResult<usize> {
    if candidates.is_empty() {
        return Ok(0);
    }
    // The members' rows in the one order every service uses, before any is touched.
    let members: Vec<UserId> = candidates.iter().map(|e| e.user_id).collect();
    forum_db::lock::lock_users(conn, &members)?;
    let ids: Vec<EventId> = candidates.iter().map(|e| e.id).collect();
    let reversed: Vec<Option<EventId>> = ev::table
        .filter(ev::reverses_id.eq_any(&ids))
        .select(ev::reverses_id)
        .load(conn)?;
    let t = now();
    let mut n = 0;
    for e in candidates
        .iter()
        .filter(|e| !reversed.contains(&Some(e.id)))
    {
        // Taking back a gain may not push the member below the floor either.
        let standing = locked_standing(conn, e.user_id)?;
        let row = NewReputationEvent {
            user_id: e.user_id,
            kind: e.kind,
            nominal: -e.nominal,
            delta: floored(standing.0, -e.delta),
            post_id: e.post_id,
            actor_id: e.actor_id,
            reverses_id: Some(e.id),
            created_at: t,
        };
        insert(conn, &row, standing)?;
        n += 1;
    }
    Ok(n)
}

/// Recomputes a member's cached reputation and trust level from the ledger.
pub fn recompute(conn: &mut AnyConnection, user_id: UserId) -> CoreResult<i64> {
    // Under the member's lock, so an event recorded meanwhile is not overwritten by a stale sum.
    forum_db::lock::lock_user(conn, user_id)?;
    let rep = (BASE_REPUTATION + ledger_total(conn, user_id)?).max(BASE_REPUTATION);
    let current_tl: TrustLevel = users::table
        .find(user_id)
        .select(users::trust_level)
        .first(conn)?;
    store(conn, user_id, rep, current_tl)?;
    Ok(rep)
}

/// A member's events, newest first, for the profile page.
pub fn events_for(
    conn: &mut AnyConnection,
    user_id: UserId,
    limit: i64,
) -> CoreResult<Vec<ReputationEvent>> {
    Ok(ev::table
        .filter(ev::user_id.eq(user_id))
        .order(ev::id.desc())
        .limit(limit)
        .select(ReputationEvent::as_select())
        .load(conn)?)
}

/// The part of `delta` that may apply to a member at `current` reputation: a loss stops at the
/// floor. The floor is applied when an event is written, so the cached reputation is always
/// `1 + Σ delta` and can be read instead of summing the ledger.
fn floored(current: i64, delta: i64) -> i64 {
    if delta >= 0 {
        delta
    } else {
        delta.max(BASE_REPUTATION - current).min(0)
    }
}

/// Locks the member's row and reads (reputation, trust level) under the lock.
fn locked_standing(conn: &mut AnyConnection, user_id: UserId) -> CoreResult<(i64, TrustLevel)> {
    forum_db::lock::lock_user(conn, user_id)?;
    Ok(users::table
        .find(user_id)
        .select((users::reputation, users::trust_level))
        .first(conn)?)
}

fn ledger_total(conn: &mut AnyConnection, user_id: UserId) -> CoreResult<i64> {
    let deltas: Vec<i64> = ev::table
        .filter(ev::user_id.eq(user_id))
        .select(ev::delta)
        .load(conn)?;
    Ok(deltas.iter().sum())
}

fn earned_today(conn: &mut AnyConnection, user_id: UserId, t: NaiveDateTime) -> CoreResult<i64> {
    let day_start = t.date().and_time(chrono::NaiveTime::MIN);
    let today: Vec<(EventId, i64, Option<EventId>)> = ev::table
        .filter(ev::user_id.eq(user_id))
        .filter(ev::kind.eq_any(CAPPED_KINDS))
        .filter(ev::created_at.ge(day_start))
        .select((ev::id, ev::delta, ev::reverses_id))
        .load(conn)?;
    // Only today's votes count, net of today's withdrawals of them; taking back yesterday's
    // vote today does not open room under today's cap.
    let today_ids: Vec<EventId> = today
        .iter()
        .filter(|(_, _, r)| r.is_none())
        .map(|(id, _, _)| *id)
        .collect();
    Ok(today
        .iter()
        .filter(|(_, _, r)| r.is_none_or(|orig| today_ids.contains(&orig)))
        .map(|(_, d, _)| d)
        .sum())
}

/// Writes one event and moves the cached reputation by its delta, from the standing read under
/// the member's lock (the ledger is not re-read; `recompute` does that for repairs and checks).
fn insert(
    conn: &mut AnyConnection,
    row: &NewReputationEvent,
    (reputation, trust_level): (i64, TrustLevel),
) -> CoreResult<ReputationEvent> {
    let e = diesel::insert_into(ev::table)
        .values(row)
        .returning(ev::all_columns)
        .get_result::<ReputationEvent>(conn)?;
    store(conn, row.user_id, reputation + row.delta, trust_level)?;
    Ok(e)
}

fn store(
    conn: &mut AnyConnection,
    user_id: UserId,
    reputation: i64,
    current_tl: TrustLevel,
) -> CoreResult<()> {
    let rep = reputation.max(BASE_REPUTATION);
    diesel::update(users::table.find(user_id))
        .set(users::reputation.eq(rep))
        .execute(conn)?;
    trust::store_level(conn, user_id, rep, current_tl)?;
    Ok(())
}
