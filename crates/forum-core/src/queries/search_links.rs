//! What search hits need from the database: each visible thread's slug and live counters.

use std::collections::HashMap;

use diesel::prelude::*;
use forum_db::ids::{PostId, ThreadId};
use forum_db::schema::threads;
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::visibility::Visibility;

/// What a search hit needs from the database: the slug for its URL and the live counters.
#[derive(Debug, Clone)]
pub struct ThreadLink {
    pub slug: String,
    pub score: i64,
    pub answer_count: i64,
    pub solved: bool,
}

/// Links and counters for the thread ids this viewer may see, in one query (search hits carry
/// ids only; a hit the viewer may not see is absent from the map and dropped).
pub fn thread_links(
    conn: &mut AnyConnection,
    vis: Visibility,
    ids: &[ThreadId],
) -> CoreResult<HashMap<ThreadId, ThreadLink>> {
    Ok(threads::table
        .filter(threads::id.eq_any(ids))
        .filter(vis.threads())
        .select((
            threads::id,
            threads::slug,
            threads::score,
            threads::answer_count,
            threads::accepted_post_id,
        ))
        .load::<(ThreadId, String, i64, i64, Option<PostId>)>(conn)?
        .into_iter()
        .map(|(id, slug, score, answer_count, acc)| {
            (
                id,
                ThreadLink {
                    slug,
                    score,
                    answer_count,
                    solved: acc.is_some(),
                },
            )
        })
        .collect())
}
