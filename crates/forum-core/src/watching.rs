//! Watching: what a member follows (a thread, a category, a tag) at watch, normal or mute.
//! Askers and answerers watch their threads unless they chose otherwise; watchers of a thread
//! hear of new answers and watchers of a category or tag of new threads; a mute on the thread,
//! its category or one of its tags silences everything about the thread (mute always wins,
//! enforced in [`crate::notifications::notify`]).

use diesel::prelude::*;
use forum_db::ids::{ThreadId, UserId};
use forum_db::schema::{thread_tags, threads, watches};
use forum_db::time::now;
use forum_db::types::{WatchLevel, WatchTarget};
use forum_db::AnyConnection;

use crate::actor::Actor;
use crate::error::CoreResult;
use crate::lookup::{category_by_slug, tag_by_name, thread_by_id};
use crate::visibility::Visibility;

/// What a member asks to watch, as pages and the API name it.
#[derive(Debug, Clone)]
pub enum WatchOn {
    Thread(ThreadId),
    /// By slug.
    Category(String),
    /// By name.
    Tag(String),
}

/// Sets the actor's level on a thread they can see, or on a category or tag that exists (else
/// `NotFound`): the one entry point of the pages and the API.
pub fn choose(
    conn: &mut AnyConnection,
    actor: &Actor,
    on: &WatchOn,
    level: WatchLevel,
) -> CoreResult<WatchLevel> {
    let (target, id) = resolve(conn, Some(actor), on)?;
    set(conn, actor.id, target, id, level)
}

/// The actor's level on what `on` names (`NotFound` as for [`choose`]).
pub fn level_on(conn: &mut AnyConnection, actor: &Actor, on: &WatchOn) -> CoreResult<WatchLevel> {
    let (target, id) = resolve(conn, Some(actor), on)?;
    level(conn, actor.id, target, id)
}

fn resolve(
    conn: &mut AnyConnection,
    actor: Option<&Actor>,
    on: &WatchOn,
) -> CoreResult<(WatchTarget, i64)> {
    Ok(match on {
        WatchOn::Thread(id) => {
            let thread = Visibility::for_viewer(actor).thread(thread_by_id(conn, *id)?)?;
            (WatchTarget::Thread, thread.id.0)
        }
        WatchOn::Category(slug) => (WatchTarget::Category, category_by_slug(conn, slug)?.id.0),
        WatchOn::Tag(name) => (WatchTarget::Tag, tag_by_name(conn, name)?.id.0),
    })
}

/// Sets `user`'s level on a target; an explicit `Normal` is kept, so taking part in the thread
/// later does not make them watch it.
pub fn set(
    conn: &mut AnyConnection,
    user: UserId,
    target: WatchTarget,
    target_id: i64,
    level: WatchLevel,
) -> CoreResult<WatchLevel> {
    // One statement, so parallel changes of the same watch end with one of them, never an error.
    let at = now();
    forum_db::on_backend!(conn, |c| {
        diesel::insert_into(watches::table)
            .values((
                watches::user_id.eq(user),
                watches::target.eq(target),
                watches::target_id.eq(target_id),
                watches::level.eq(level),
                watches::created_at.eq(at),
            ))
            .on_conflict((watches::user_id, watches::target, watches::target_id))
            .do_update()
            .set((watches::level.eq(level), watches::created_at.eq(at)))
            .execute(c)?
    });
    Ok(level)
}

/// `user`'s level on a target (`Normal` when they set none).
pub fn level(
    conn: &mut AnyConnection,
    user: UserId,
    target: WatchTarget,
    target_id: i64,
) -> CoreResult<WatchLevel> {
    let rows: Vec<WatchLevel> = forum_db::on_backend!(conn, |c| {
        watches::table
            .filter(watches::user_id.eq(user))
            .filter(watches::target.eq(target))
            .filter(watches::target_id.eq(target_id))
            .select(watches::level)
            .load(c)?
    });
    Ok(rows.into_iter().next().unwrap_or(WatchLevel::Normal))
}

/// Makes `user` watch a thread they took part in, unless they already chose a level for it.
pub fn watch_by_default(
    conn: &mut AnyConnection,
    user: UserId,
    thread: ThreadId,
) -> CoreResult<()> {
    let row = (
        watches::user_id.eq(user),
        watches::target.eq(WatchTarget::Thread),
        watches::target_id.eq(thread.0),
        watches::level.eq(WatchLevel::Watch),
        watches::created_at.eq(now()),
    );
    forum_db::on_backend!(conn, |c| {
        diesel::insert_into(watches::table)
            .values(row)
            .on_conflict((watches::user_id, watches::target, watches::target_id))
            .do_nothing()
            .execute(c)?
    });
    Ok(())
}

/// Members who watch any of these targets at `level`.
fn members_at(
    conn: &mut AnyConnection,
    targets: &[(WatchTarget, i64)],
    level: WatchLevel,
) -> CoreResult<Vec<UserId>> {
    let mut out = Vec::new();
    for (target, id) in targets {
        let ids: Vec<UserId> = watches::table
            .filter(watches::target.eq(target))
            .filter(watches::target_id.eq(id))
            .filter(watches::level.eq(level))
            .select(watches::user_id)
            .load(conn)?;
        out.extend(ids);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The thread, its category and its tags: what a watch or mute about it can be on.
fn targets_of(conn: &mut AnyConnection, thread: ThreadId) -> CoreResult<Vec<(WatchTarget, i64)>> {
    let category: i64 = threads::table
        .find(thread)
        .select(threads::category_id)
        .first::<forum_db::ids::CategoryId>(conn)?
        .0;
    let tags: Vec<forum_db::ids::TagId> = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread))
        .select(thread_tags::tag_id)
        .load(conn)?;
    let mut out = vec![
        (WatchTarget::Thread, thread.0),
        (WatchTarget::Category, category),
    ];
    out.extend(tags.into_iter().map(|t| (WatchTarget::Tag, t.0)));
    Ok(out)
}

/// Whether `user` muted the thread, its category or one of its tags.
pub fn muted(conn: &mut AnyConnection, user: UserId, thread: ThreadId) -> CoreResult<bool> {
    let targets = targets_of(conn, thread)?;
    Ok(members_at(conn, &targets, WatchLevel::Mute)?.contains(&user))
}

/// Who watches the thread itself (for a new answer).
pub fn thread_watchers(conn: &mut AnyConnection, thread: ThreadId) -> CoreResult<Vec<UserId>> {
    members_at(conn, &[(WatchTarget::Thread, thread.0)], WatchLevel::Watch)
}

/// Who watches the thread's category or one of its tags (for a new thread).
pub fn place_watchers(conn: &mut AnyConnection, thread: ThreadId) -> CoreResult<Vec<UserId>> {
    let targets: Vec<_> = targets_of(conn, thread)?
        .into_iter()
        .filter(|(t, _)| *t != WatchTarget::Thread)
        .collect();
    members_at(conn, &targets, WatchLevel::Watch)
}
