//! Granting, renewing and revoking (the term clock is in `clock`). Each change keeps
//! `champion_standing` (what every page reads with the member: scope and perks) in the same
//! transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{CategoryId, ChampionId, NominationId, UserId};
use forum_db::schema::{champion_categories as cc, champion_standing as cs, champions as ch};
use forum_db::types::{Badge, ChampionState, NominationState, NotificationKind};
use forum_db::{write_tx, AnyConnection};

use super::{by_id, current, require_staff, ChampionRules, Championship};
use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::notifications::{notify, Notice};
use crate::privileges::Privilege;

/// What staff grant.
#[derive(Debug, Clone)]
pub struct Grant {
    pub user: UserId,
    /// The categories in scope; empty for every category.
    pub categories: Vec<CategoryId>,
    /// The term end; None for the end of the current programme term.
    pub ends_at: Option<NaiveDateTime>,
    pub perks: Vec<Privilege>,
    /// Renew for another term at the end instead of lapsing.
    pub auto_renew: bool,
    /// The nomination this answers, if any (it is marked granted).
    pub nomination: Option<NominationId>,
}

/// Makes a member a champion (staff). Refused while they hold an active championship.
pub fn grant(
    conn: &mut AnyConnection,
    rules: ChampionRules,
    actor: &Actor,
    g: &Grant,
    now: NaiveDateTime,
) -> CoreResult<Championship> {
    require_staff(actor)?;
    let ends_at = g.ends_at.unwrap_or_else(|| rules.term_end(now));
    if ends_at <= now {
        return Err(CoreError::invalid(
            "ends_at",
            "The term must end in the future",
        ));
    }
    let perks: Vec<&str> = g.perks.iter().map(|p| p.name()).collect();
    let id = write_tx(conn, |c| {
        forum_db::lock::lock_user(c, g.user)?;
        crate::lookup::user_by_id(c, g.user)?;
        if current(c, g.user)?.is_some() {
            return Err(CoreError::Conflict("They are a champion already".into()));
        }
        for category in &g.categories {
            crate::lookup::category_by_id(c, *category)?;
        }
        let id: ChampionId = diesel::insert_into(ch::table)
            .values((
                ch::user_id.eq(g.user),
                ch::all_categories.eq(g.categories.is_empty()),
                ch::perks.eq(perks.join(",")),
                ch::auto_renew.eq(g.auto_renew),
                ch::state.eq(ChampionState::Active),
                ch::starts_at.eq(now),
                ch::ends_at.eq(ends_at),
                ch::granted_by.eq(Some(actor.id)),
                ch::nomination_id.eq(g.nomination),
                ch::end_reason.eq(""),
                ch::created_at.eq(now),
            ))
            .returning(ch::id)
            .get_result(c)?;
        for category in &g.categories {
            diesel::insert_into(cc::table)
                .values((cc::champion_id.eq(id), cc::category_id.eq(*category)))
                .execute(c)?;
        }
        let scope = if g.categories.is_empty() {
            "*".to_string()
        } else {
            let ids: Vec<String> = g.categories.iter().map(|c| c.0.to_string()).collect();
            ids.join(",")
        };
        let bits = g.perks.iter().fold(0, |acc, p| acc | p.bit());
        diesel::insert_into(cs::table)
            .values((
                cs::user_id.eq(g.user),
                cs::scope.eq(&scope),
                cs::perks.eq(bits),
            ))
            .execute(c)?;
        if let Some(nomination) = g.nomination {
            super::nominations::close(c, actor, nomination, NominationState::Granted, now)?;
        }
        crate::badges::award(c, g.user, Badge::Champion, 0)?;
        let details = format!(
            "championship={} scope={scope} ends={} perks={} auto_renew={}",
            id.0,
            ends_at.date(),
            perks.join(","),
            g.auto_renew
        );
        audit(c, actor, "champion.grant", g.user, "", &details)?;
        tell(
            c,
            g.user,
            id,
            "granted",
            format!(
                "You are a community champion until {}. Thank you for helping!",
                ends_at.date()
            ),
        )?;
        Ok(id)
    })?;
    by_id(conn, id)
}

/// Extends an active championship (staff): to `ends_at`, or by one programme term.
pub fn renew(
    conn: &mut AnyConnection,
    rules: ChampionRules,
    actor: &Actor,
    id: ChampionId,
    ends_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> CoreResult<Championship> {
    require_staff(actor)?;
    write_tx(conn, |c| {
        let before = locked_active(c, id)?;
        let until = ends_at.unwrap_or_else(|| rules.one_term_after(before.ends_at.max(now)));
        if until <= before.ends_at.max(now) {
            return Err(CoreError::invalid(
                "ends_at",
                "A renewal must move the term end later",
            ));
        }
        extend(c, &before, until, "renewed")?;
        let details = format!("championship={} ends={}", id.0, until.date());
        audit(c, actor, "champion.renew", before.user_id, "", &details)
    })?;
    by_id(conn, id)
}

/// Ends an active championship now, with a reason the champion is told (staff).
pub fn revoke(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: ChampionId,
    reason: &str,
    now: NaiveDateTime,
) -> CoreResult<Championship> {
    require_staff(actor)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::invalid(
            "reason",
            "Say why the championship ends",
        ));
    }
    write_tx(conn, |c| {
        let before = locked_active(c, id)?;
        end(c, &before, ChampionState::Revoked, reason, now)?;
        let details = format!("championship={}", id.0);
        audit(
            c,
            actor,
            "champion.revoke",
            before.user_id,
            reason,
            &details,
        )?;
        tell(
            c,
            before.user_id,
            id,
            "revoked",
            format!("Your champion role was ended by staff: {reason}"),
        )
    })?;
    by_id(conn, id)
}

/// The championship, under its member's lock, if still active.
pub(super) fn locked_active(conn: &mut AnyConnection, id: ChampionId) -> CoreResult<Championship> {
    let user: UserId = ch::table
        .find(id)
        .select(ch::user_id)
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound("champion"))?;
    forum_db::lock::lock_user(conn, user)?;
    let c = by_id(conn, id)?;
    if c.state != ChampionState::Active {
        return Err(CoreError::Conflict("This championship has ended".into()));
    }
    Ok(c)
}

pub(super) fn extend(
    conn: &mut AnyConnection,
    c: &Championship,
    until: NaiveDateTime,
    why: &str,
) -> CoreResult<()> {
    diesel::update(ch::table.find(c.id))
        .set((
            ch::ends_at.eq(until),
            ch::notice_sent_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    tell(
        conn,
        c.user_id,
        c.id,
        &format!("{why}:{until}"),
        format!("Your champion term was renewed until {}", until.date()),
    )
}

pub(super) fn end(
    conn: &mut AnyConnection,
    c: &Championship,
    state: ChampionState,
    reason: &str,
    now: NaiveDateTime,
) -> CoreResult<()> {
    diesel::update(ch::table.find(c.id))
        .set((
            ch::state.eq(state),
            ch::ended_at.eq(Some(now)),
            ch::end_reason.eq(reason),
        ))
        .execute(conn)?;
    diesel::delete(cs::table.find(c.user_id)).execute(conn)?;
    Ok(())
}

pub(super) fn tell(
    conn: &mut AnyConnection,
    user: UserId,
    id: ChampionId,
    what: &str,
    message: String,
) -> CoreResult<()> {
    notify(
        conn,
        &Notice {
            user_id: user,
            kind: NotificationKind::Notice,
            actor_id: None,
            thread_id: None,
            post_id: None,
            subject: format!("champion:{}:{what}", id.0),
            message,
        },
    )
    .map(drop)
}

/// Records a staff action on a member's championship in the audit log.
fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    user: UserId,
    reason: &str,
    details: &str,
) -> CoreResult<()> {
    crate::audit::record(
        conn,
        actor,
        &crate::audit::Entry {
            action,
            target_kind: "user",
            target_id: user.0,
            reason,
            details,
        },
    )
}
