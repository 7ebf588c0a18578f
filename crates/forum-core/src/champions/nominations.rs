//! Nominations: staff nominate freely; a member nominates one member per programme term, with
//! a reason; staff decline a nomination or grant it ([`super::grant`]).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{NominationId, UserId};
use forum_db::schema::{champion_nominations as cn, users};
use forum_db::types::NominationState;
use forum_db::{write_tx, AnyConnection};
use serde::Serialize;

use super::{current, require_staff, ChampionRules};
use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// Longest reason, in characters.
const REASON_CHARS: usize = 1000;

/// A nomination as the staff page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct Nomination {
    pub id: NominationId,
    pub nominee_id: UserId,
    pub nominee: String,
    pub nominator: String,
    pub by_staff: bool,
    pub term: String,
    pub reason: String,
    pub state: NominationState,
    pub created_at: NaiveDateTime,
}

/// Nominates `nominee` with a reason. A member may nominate once per programme term, never
/// themselves; staff may nominate freely. A member who is a champion already cannot be
/// nominated.
pub fn nominate(
    conn: &mut AnyConnection,
    rules: ChampionRules,
    actor: &Actor,
    nominee: UserId,
    reason: &str,
    now: NaiveDateTime,
) -> CoreResult<Nomination> {
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(CoreError::invalid(
            "reason",
            "Say in a sentence why they should be a champion",
        ));
    }
    if reason.chars().count() > REASON_CHARS {
        return Err(CoreError::invalid(
            "reason",
            "Keep the reason under 1,000 characters",
        ));
    }
    let by_staff = actor.role.is_staff() || actor.system;
    if nominee == actor.id && !by_staff {
        return Err(CoreError::forbidden("You cannot nominate yourself"));
    }
    let term = rules.term_of(now);
    let id = write_tx(conn, |c| {
        // Under the nominator's lock, so parallel nominations are counted one after another.
        forum_db::lock::lock_user(c, actor.id)?;
        crate::lookup::user_by_id(c, nominee)?;
        if current(c, nominee)?.is_some() {
            return Err(CoreError::Conflict("They are a champion already".into()));
        }
        if !by_staff {
            let made: i64 = cn::table
                .filter(cn::nominator_id.eq(actor.id))
                .filter(cn::term.eq(&term))
                .filter(cn::by_staff.eq(false))
                .count()
                .get_result(c)?;
            if made > 0 {
                return Err(CoreError::Conflict(
                    "You have nominated a member this term already".into(),
                ));
            }
        }
        Ok(diesel::insert_into(cn::table)
            .values((
                cn::nominee_id.eq(nominee),
                cn::nominator_id.eq(actor.id),
                cn::term.eq(&term),
                cn::reason.eq(reason),
                cn::by_staff.eq(by_staff),
                cn::state.eq(NominationState::Pending),
                cn::created_at.eq(now),
            ))
            .returning(cn::id)
            .get_result::<NominationId>(c)?)
    })?;
    by_id(conn, id)
}

/// Declines a pending nomination (staff).
pub fn decline(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: NominationId,
    now: NaiveDateTime,
) -> CoreResult<Nomination> {
    require_staff(actor)?;
    write_tx(conn, |c| {
        close(c, actor, id, NominationState::Declined, now)?;
        crate::audit::record(
            c,
            actor,
            &crate::audit::Entry {
                action: "champion.decline_nomination",
                target_kind: "nomination",
                target_id: id.0,
                reason: "",
                details: "",
            },
        )
    })?;
    by_id(conn, id)
}

/// Moves a pending nomination to `state`, in the caller's transaction.
pub(super) fn close(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: NominationId,
    state: NominationState,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let moved = diesel::update(
        cn::table
            .filter(cn::id.eq(id))
            .filter(cn::state.eq(NominationState::Pending)),
    )
    .set((
        cn::state.eq(state),
        cn::reviewer_id.eq(Some(actor.id)),
        cn::reviewed_at.eq(Some(now)),
    ))
    .execute(conn)?;
    if moved == 0 {
        by_id(conn, id)?;
        return Err(CoreError::Conflict(
            "This nomination was already reviewed".into(),
        ));
    }
    Ok(())
}

type Row = (
    NominationId,
    UserId,
    UserId,
    bool,
    String,
    String,
    NominationState,
    NaiveDateTime,
);

fn views(conn: &mut AnyConnection, rows: Vec<Row>) -> CoreResult<Vec<Nomination>> {
    let ids: Vec<UserId> = rows.iter().flat_map(|r| [r.1, r.2]).collect();
    let names: Vec<(UserId, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username))
        .load(conn)?;
    let name = |id: UserId| {
        names
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(
            |(id, nominee_id, nominator_id, by_staff, term, reason, state, created_at)| {
                Nomination {
                    id,
                    nominee_id,
                    nominee: name(nominee_id),
                    nominator: name(nominator_id),
                    by_staff,
                    term,
                    reason,
                    state,
                    created_at,
                }
            },
        )
        .collect())
}

macro_rules! nomination_query {
    () => {
        cn::table.select((
            cn::id,
            cn::nominee_id,
            cn::nominator_id,
            cn::by_staff,
            cn::term,
            cn::reason,
            cn::state,
            cn::created_at,
        ))
    };
}

/// One nomination.
pub fn by_id(conn: &mut AnyConnection, id: NominationId) -> CoreResult<Nomination> {
    let rows: Vec<Row> = nomination_query!().filter(cn::id.eq(id)).load(conn)?;
    views(conn, rows)?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound("nomination"))
}

/// Nominations waiting for review, oldest first (staff).
pub fn pending_nominations(conn: &mut AnyConnection, actor: &Actor) -> CoreResult<Vec<Nomination>> {
    require_staff(actor)?;
    let rows: Vec<Row> = nomination_query!()
        .filter(cn::state.eq(NominationState::Pending))
        .order(cn::id.asc())
        .load(conn)?;
    views(conn, rows)
}
