//! What the search index needs to know about a thread, read from the database (the truth)
//! as the public sees it. The search crate knows nothing of diesel; the job runner maps this
//! to its `SearchDoc`.

use forum_db::ids::ThreadId;
use std::collections::HashMap;

use diesel::prelude::*;
use forum_db::models::{Category, Thread, User};
use forum_db::schema::{categories, posts, tags, thread_tags, threads, users};
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::visibility::Visibility;

/// A thread flattened for indexing.
#[derive(Debug, Clone)]
pub struct IndexableThread {
    pub thread_id: ThreadId,
    pub title: String,
    /// Question and answers as plain text.
    pub body: String,
    pub tags: Vec<String>,
    pub category: String,
    pub author: String,
    pub solved: bool,
    pub answer_count: i64,
    pub score: i64,
    pub created_at: i64,
}

/// Loads the given threads as the public sees them (missing ids are simply absent: they were
/// deleted, and the indexer drops them from the index) in three queries.
pub fn indexable_threads(
    conn: &mut AnyConnection,
    ids: &[ThreadId],
) -> CoreResult<Vec<IndexableThread>> {
    let rows: Vec<(Thread, Category, User)> = threads::table
        .inner_join(categories::table)
        .inner_join(users::table)
        .filter(threads::id.eq_any(ids))
        .filter(Visibility::public().threads())
        .select((
            Thread::as_select(),
            Category::as_select(),
            User::as_select(),
        ))
        .load(conn)?;
    let texts: Vec<(ThreadId, String)> = posts::table
        .filter(posts::thread_id.eq_any(ids))
        .filter(Visibility::public().posts())
        .order((posts::thread_id.asc(), posts::id.asc()))
        .select((posts::thread_id, posts::body_text))
        .load(conn)?;
    let tag_rows: Vec<(ThreadId, String)> = thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq_any(ids))
        .select((thread_tags::thread_id, tags::name))
        .load(conn)?;
    let mut bodies: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (id, text) in texts {
        bodies.entry(id).or_default().push(text);
    }
    let mut tag_map: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (id, name) in tag_rows {
        tag_map.entry(id).or_default().push(name);
    }
    Ok(rows
        .into_iter()
        .map(|(t, c, u)| {
            let body = bodies.remove(&t.id).unwrap_or_default().join("\n\n");
            IndexableThread {
                thread_id: t.id,
                tags: tag_map.remove(&t.id).unwrap_or_default(),
                category: c.slug,
                author: u.username,
                solved: t.accepted_post_id.is_some(),
                answer_count: t.answer_count,
                score: t.score,
                created_at: t.created_at.and_utc().timestamp(),
                title: t.title,
                body,
            }
        })
        .collect())
}

/// Every thread id in batches, for `forum reindex`: ids greater than `after`, ascending.
pub fn thread_ids_after(
    conn: &mut AnyConnection,
    after: ThreadId,
    limit: i64,
) -> CoreResult<Vec<ThreadId>> {
    Ok(threads::table
        .filter(threads::id.gt(after))
        .order(threads::id.asc())
        .limit(limit)
        .select(threads::id)
        .load(conn)?)
}
