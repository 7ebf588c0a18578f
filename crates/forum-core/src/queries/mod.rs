//! Read models: everything a page, the API or the search index reads, each loaded in a fixed
//! number of queries whatever the number of rows (no query per answer, per thread or per
//! comment), each through the one visibility rule. Writes live in the services beside this
//! module; single rows by key in `lookup`.

pub mod index_docs;
pub mod lists;
pub mod profile;
pub mod read_cache;
pub mod search_links;
pub mod standing;
pub mod thread_page;

use std::collections::HashMap;

use diesel::prelude::*;
use forum_db::ids::{ThreadId, UserId};
use forum_db::schema::{tags, thread_tags, users};
use forum_db::AnyConnection;

use crate::error::CoreResult;

pub use index_docs::{indexable_threads, thread_ids_after, IndexableThread};
pub use lists::{list_threads, ListCursor, Tab, ThreadFilter};
pub use profile::{profile, Profile};
pub use read_cache::{ReadCache, ReadCaches};
pub use search_links::{thread_links, ThreadLink};
pub use thread_page::{thread_page, Author, PostWithMeta, ThreadContent, ThreadPage, ThreadRow};

/// Authors keyed by id, in one query.
pub fn authors_by_id(
    conn: &mut AnyConnection,
    ids: &[UserId],
) -> CoreResult<HashMap<UserId, Author>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(Author::as_select())
        .load::<Author>(conn)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

pub(crate) fn tags_for(
    conn: &mut AnyConnection,
    thread_ids: &[ThreadId],
) -> CoreResult<HashMap<ThreadId, Vec<String>>> {
    let rows: Vec<(ThreadId, String)> = thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq_any(thread_ids))
        .order(tags::name.asc())
        .select((thread_tags::thread_id, tags::name))
        .load(conn)?;
    let mut map: HashMap<ThreadId, Vec<String>> = HashMap::new();
    for (id, name) in rows {
        map.entry(id).or_default().push(name);
    }
    Ok(map)
}
