//! The search indexer: drains `search` rows from the outbox into the tantivy index. The
//! database is the truth; rows are marked processed only after the index committed, so a crash
//! at any point leaves work to redo, never work lost.

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use forum_core::indexing::{indexable_threads, thread_ids_after, IndexableThread};
use forum_db::outbox::{mark_failed, mark_processed, pending, TOPIC_SEARCH};
use forum_db::Db;
use search::{SearchDoc, SearchIndex};

/// Wakes the indexer after a commit; cheap to clone.
#[derive(Clone, Debug)]
pub struct IndexerHandle {
    tx: Sender<()>,
}

impl IndexerHandle {
    /// Asks the indexer to look at the outbox now rather than at its next tick.
    pub fn wake(&self) {
        let _ = self.tx.send(());
    }
}

/// Starts the indexer thread; it stops when every handle is dropped.
pub fn spawn(db: Db, index: Arc<SearchIndex>) -> IndexerHandle {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new()
        .name("search-indexer".into())
        .spawn(move || run(db, index, rx));
    if let Err(e) = spawned {
        tracing::error!("cannot start the search indexer: {e}");
    }
    IndexerHandle { tx }
}

fn run(db: Db, index: Arc<SearchIndex>, rx: Receiver<()>) {
    loop {
        match drain(&db, &index) {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("search indexing failed, will retry: {e}"),
        }
        match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                let _ = drain(&db, &index);
                return;
            }
        }
    }
}

/// Processes one batch of pending rows; returns how many were handled.
pub fn drain(db: &Db, index: &SearchIndex) -> Result<usize, String> {
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let rows = pending(&mut conn, TOPIC_SEARCH, 200).map_err(|e| e.to_string())?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.payload.parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    let result = indexable_threads(&mut conn, &ids)
        .map_err(|e| e.to_string())
        .and_then(|threads| {
            let gone: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !threads.iter().any(|t| t.thread_id == *id))
                .collect();
            let docs: Vec<SearchDoc> = threads.into_iter().map(to_doc).collect();
            index.upsert(&docs).map_err(|e| e.to_string())?;
            index.delete(&gone).map_err(|e| e.to_string())
        });
    match result {
        Ok(()) => {
            let done: Vec<i64> = rows.iter().map(|r| r.id).collect();
            mark_processed(&mut conn, &done).map_err(|e| e.to_string())?;
            Ok(rows.len())
        }
        Err(e) => {
            for r in &rows {
                let _ = mark_failed(&mut conn, r, &e);
            }
            Err(e)
        }
    }
}

/// Rebuilds the whole index from the database, calling `progress(done, total)` per batch.
pub fn reindex_all(
    db: &Db,
    index: &SearchIndex,
    mut progress: impl FnMut(usize),
) -> Result<usize, String> {
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    index.clear().map_err(|e| e.to_string())?;
    let mut after = 0;
    let mut done = 0;
    loop {
        let ids = thread_ids_after(&mut conn, after, 500).map_err(|e| e.to_string())?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let docs: Vec<SearchDoc> = indexable_threads(&mut conn, &ids)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(to_doc)
            .collect();
        index.upsert(&docs).map_err(|e| e.to_string())?;
        done += docs.len();
        progress(done);
        after = last;
    }
    Ok(done)
}

fn to_doc(t: IndexableThread) -> SearchDoc {
    SearchDoc {
        thread_id: t.thread_id,
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
