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
    let (target, id) = match on {
        WatchOn::Thread(id) => {
            let thread = Visibility::for_viewer(Some(actor)).thread(thread_by_id(conn, *id)?)?;
            (WatchTarget::Thread, thread.id.0)
        }
        WatchOn::Category(slug) => (WatchTarget::Category, category_by_slug(conn, slug)?.id.0),
        WatchOn::Tag(name) => (WatchTarget::Tag, tag_by_name(conn, name)?.id.0),
    };
    set(conn, actor.id, target, id, level)
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

/// The viewer's level on a target, `None` for an anonymous reader (who has no watch form).
pub fn viewer_level(
    conn: &mut AnyConnection,
    viewer: Option<UserId>,
    target: WatchTarget,
    target_id: i64,
) -> CoreResult<Option<WatchLevel>> {
    viewer
        .map(|user| level(conn, user, target, target_id))
        .transpose()
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

/// Whether `user` muted the thread, its category or one of its tags (one query: it runs for
/// every member a notification about the thread is meant for).
pub fn muted(conn: &mut AnyConnection, user: UserId, thread: ThreadId) -> CoreResult<bool> {
    let category = threads::table.find(thread).select(threads::category_id);
    let tags = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread))
        .select(thread_tags::tag_id);
    let mutes: i64 = watches::table
        .filter(watches::user_id.eq(user))
        .filter(watches::level.eq(WatchLevel::Mute))
        .filter(
            (watches::target
                .eq(WatchTarget::Thread)
                .and(watches::target_id.eq(thread.0)))
            .or(watches::target
                .eq(WatchTarget::Category)
                .and(watches::target_id.eq_any(category)))
            .or(watches::target
                .eq(WatchTarget::Tag)
                .and(watches::target_id.eq_any(tags))),
        )
        .count()
        .get_result(conn)?;
    Ok(mutes > 0)
}

/// Who watches the thread itself (for a new answer).
pub fn thread_watchers(conn: &mut AnyConnection, thread: ThreadId) -> CoreResult<Vec<UserId>> {
    Ok(watches::table
        .filter(watches::level.eq(WatchLevel::Watch))
        .filter(watches::target.eq(WatchTarget::Thread))
        .filter(watches::target_id.eq(thread.0))
        .select(watches::user_id)
        .load(conn)?)
}

/// Who watches the thread's category or one of its tags (for a new thread), each once.
pub fn place_watchers(conn: &mut AnyConnection, thread: ThreadId) -> CoreResult<Vec<UserId>> {
    let category = threads::table.find(thread).select(threads::category_id);
    let tags = thread_tags::table
        .filter(thread_tags::thread_id.eq(thread))
        .select(thread_tags::tag_id);
    Ok(watches::table
        .filter(watches::level.eq(WatchLevel::Watch))
        .filter(
            (watches::target
                .eq(WatchTarget::Category)
                .and(watches::target_id.eq_any(category)))
            .or(watches::target
                .eq(WatchTarget::Tag)
                .and(watches::target_id.eq_any(tags))),
        )
        .select(watches::user_id)
        .distinct()
        .order(watches::user_id)
        .load(conn)?)
}
