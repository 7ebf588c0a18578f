//! Loading one row by its key: the one way services and read models do it. A missing row is
//! `CoreError::NotFound(what)`; a failed query stays a database error (it is never mistaken for
//! "missing"). Keys containing NUL cannot exist (PostgreSQL refuses them in text), so they are
//! "missing" without asking the database.
//!
//! These filter on a unique key and `load` rather than `first`: `first` binds its LIMIT as a
//! parameter, and SQLite re-prepares a statement with a bound LIMIT on every run (its planner
//! looks at the value), which cost about 12% of a thread page's CPU.

use diesel::prelude::*;
use forum_db::ids::{PostId, ThreadId, UserId};
use forum_db::models::{Category, Post, Tag, Thread, User};
use forum_db::schema::{categories, posts, tags, threads, users};
use forum_db::AnyConnection;

use crate::error::{CoreError, CoreResult};

/// The single row of a keyed lookup, or `NotFound(what)`.
fn one<T>(rows: Vec<T>, what: &'static str) -> CoreResult<T> {
    rows.into_iter().next().ok_or(CoreError::NotFound(what))
}

/// Refuses a text key that cannot be stored.
fn storable(key: &str, what: &'static str) -> CoreResult<()> {
    if key.contains('\0') {
        Err(CoreError::NotFound(what))
    } else {
        Ok(())
    }
}

/// A thread by id, deleted or not (callers apply the visibility rule).
pub fn thread_by_id(conn: &mut AnyConnection, id: ThreadId) -> CoreResult<Thread> {
    one(
        threads::table
            .find(id)
            .select(Thread::as_select())
            .load(conn)?,
        "thread",
    )
}

/// A post by id, deleted or not (callers apply the visibility rule).
pub fn post_by_id(conn: &mut AnyConnection, id: PostId) -> CoreResult<Post> {
    one(
        posts::table.find(id).select(Post::as_select()).load(conn)?,
        "post",
    )
}

/// A member by id.
pub fn user_by_id(conn: &mut AnyConnection, id: UserId) -> CoreResult<User> {
    one(
        users::table.find(id).select(User::as_select()).load(conn)?,
        "user",
    )
}

/// A category by id.
pub fn category_by_id(
    conn: &mut AnyConnection,
    id: forum_db::ids::CategoryId,
) -> CoreResult<Category> {
    one(
        categories::table
            .find(id)
            .select(Category::as_select())
            .load(conn)?,
        "category",
    )
}

/// A member by username, ignoring case.
pub fn user_by_username(conn: &mut AnyConnection, username: &str) -> CoreResult<User> {
    storable(username, "user")?;
    one(
        users::table
            .filter(users::username_lower.eq(username.to_lowercase()))
            .select(User::as_select())
            .load(conn)?,
        "user",
    )
}

/// A category by slug.
pub fn category_by_slug(conn: &mut AnyConnection, slug: &str) -> CoreResult<Category> {
    storable(slug, "category")?;
    one(
        categories::table
            .filter(categories::slug.eq(slug))
            .select(Category::as_select())
            .load(conn)?,
        "category",
    )
}

/// A tag by name (names are stored lower-case).
pub fn tag_by_name(conn: &mut AnyConnection, name: &str) -> CoreResult<Tag> {
    storable(name, "tag")?;
    one(
        tags::table
            .filter(tags::name.eq(name.to_lowercase()))
            .select(Tag::as_select())
            .load(conn)?,
        "tag",
    )
}
