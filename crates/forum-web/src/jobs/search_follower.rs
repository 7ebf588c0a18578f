//! The search follower: this node's tantivy index follows the `search` topic
//! ([`ReindexThread`] jobs). The database is the truth; the index is a cache every node keeps
//! for itself, so a post made on one node becomes searchable on every node. The cursor lives in
//! `outbox_cursor` beside the index.

use forum_db::ids::ThreadId;
use std::path::Path;
use std::sync::Arc;

use forum_core::jobs::{rebuild as rebuild_from, Follow, Follower, JobError, ReindexThread};
use forum_core::queries::{indexable_threads, thread_ids_after, IndexableThread};
use forum_db::{AnyConnection, Db};
use search::{SearchDoc, SearchIndex};

/// This node's position in the `search` topic.
pub type SearchFollower = Follower<ReindexThread>;

/// Applies reindex jobs to a search index (and rebuilds it from the database).
#[derive(Clone)]
pub struct SearchIndexer {
    index: Arc<SearchIndex>,
}

impl SearchIndexer {
    /// An indexer writing to `index`.
    pub fn new(index: Arc<SearchIndex>) -> SearchIndexer {
        SearchIndexer { index }
    }
}

impl Follow for SearchIndexer {
    type Job = ReindexThread;

    /// Reads the changed threads as the public sees them; those gone (deleted, hidden) leave
    /// the index.
    fn apply(&mut self, conn: &mut AnyConnection, jobs: &[ReindexThread]) -> Result<(), JobError> {
        let mut ids: Vec<ThreadId> = jobs.iter().map(|j| j.thread_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let threads = indexable_threads(conn, &ids)?;
        let gone: Vec<i64> = ids
            .iter()
            .filter(|id| !threads.iter().any(|t| t.thread_id == **id))
            .map(|id| id.0)
            .collect();
        let docs: Vec<SearchDoc> = threads.into_iter().map(to_doc).collect();
        self.index.upsert(&docs).map_err(JobError::handler)?;
        self.index.delete(&gone).map_err(JobError::handler)?;
        Ok(())
    }

    fn rebuild(
        &mut self,
        conn: &mut AnyConnection,
        progress: &mut dyn FnMut(usize),
    ) -> Result<usize, JobError> {
        self.index.clear().map_err(JobError::handler)?;
        let mut after = ThreadId(0);
        let mut done = 0;
        loop {
            let ids = thread_ids_after(conn, after, 500)?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let docs: Vec<SearchDoc> = indexable_threads(conn, &ids)?
                .into_iter()
                .map(to_doc)
                .collect();
            self.index.upsert(&docs).map_err(JobError::handler)?;
            done += docs.len();
            progress(done);
            after = last;
        }
        Ok(done)
    }
}

/// The follower for an index in `dir` (none: cursor kept in memory, for tests).
pub fn open_follower(dir: Option<&Path>) -> SearchFollower {
    Follower::open(dir.map(|d| d.join("outbox_cursor")))
}

/// Opens this node's follower for an index in `dir`, first rebuilding the index from the
/// database when it is new or of an older schema, empty while threads exist, or behind the
/// pruned outbox (this node was away longer than the outbox keeps rows).
pub fn prepare(
    db: &Db,
    index: &Arc<SearchIndex>,
    dir: Option<&Path>,
) -> Result<SearchFollower, JobError> {
    let mut follower = open_follower(dir);
    let mut conn = db.conn()?;
    let reason = if index.needs_rebuild() {
        Some("the index is new or its schema changed")
    } else if follower.is_behind(&mut conn)? {
        Some("the index is behind the pruned outbox")
    } else if index.num_docs() == 0 && !thread_ids_after(&mut conn, ThreadId(0), 1)?.is_empty() {
        Some("the index is empty")
    } else {
        None
    };
    if let Some(reason) = reason {
        let mut indexer = SearchIndexer::new(index.clone());
        let n = rebuild_from(&mut conn, &mut follower, &mut indexer, &mut |_| {})?;
        tracing::info!(docs = n, reason, "search index rebuilt from the database");
    }
    Ok(follower)
}

/// Rebuilds the index from the database (`forum reindex`), moving the follower to where the
/// outbox ended when the rebuild began.
pub fn rebuild(
    db: &Db,
    index: &Arc<SearchIndex>,
    follower: &mut SearchFollower,
    progress: &mut dyn FnMut(usize),
) -> Result<usize, JobError> {
    let mut conn = db.conn()?;
    rebuild_from(
        &mut conn,
        follower,
        &mut SearchIndexer::new(index.clone()),
        progress,
    )
}

fn to_doc(t: IndexableThread) -> SearchDoc {
    SearchDoc {
        thread_id: t.thread_id.0,
        title: t.title,
        body: t.body,
        tags: t.tags,
        category: t.category,
        author: t.author,
        solved: t.solved,
        answer_count: t.answer_count,
        score: t.score,
        created_at: t.created_at,
    }
}
