//! The search indexer: this node's tantivy index follows the outbox. The database is the truth;
//! the index is a cache that every node keeps for itself, so each node follows the `search` rows
//! with its own cursor (kept in a file beside the index, written only after the index committed):
//! a crash at any point leaves work to redo, never work lost, and a post made on one node becomes
//! searchable on every node.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use forum_core::indexing::{indexable_threads, thread_ids_after, IndexableThread};
use forum_db::outbox::{after, last_id, recent_below, OutboxRow, TOPIC_SEARCH};
use forum_db::Db;
use search::{SearchDoc, SearchIndex};

/// How far back a follower re-reads for rows that committed late (out of id order).
const LOOKBACK: Duration = Duration::from_secs(30);
/// Rows applied per step.
const BATCH: i64 = 500;

/// Wakes the indexer after a commit and tells where it is; cheap to clone.
#[derive(Clone, Debug)]
pub struct IndexerHandle {
    tx: Sender<()>,
    cursor: Arc<AtomicI64>,
}

impl IndexerHandle {
    /// Asks the indexer to look at the outbox now rather than at its next tick.
    pub fn wake(&self) {
        let _ = self.tx.send(());
    }

    /// The last outbox row this node's index has applied.
    pub fn cursor(&self) -> i64 {
        self.cursor.load(Ordering::SeqCst)
    }
}

/// This node's position in the outbox.
#[derive(Debug)]
pub struct Follower {
    file: Option<PathBuf>,
    cursor: i64,
    /// Rows at or below the cursor applied recently, so late-committed rows are told apart.
    recent: HashMap<i64, Instant>,
}

impl Follower {
    /// A follower whose cursor lives in `dir/outbox_cursor` (none: kept in memory only).
    pub fn open(dir: Option<&Path>) -> Follower {
        let file = dir.map(|d| d.join("outbox_cursor"));
        let cursor = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        Follower {
            file,
            cursor,
            recent: HashMap::new(),
        }
    }

    /// The last applied row id.
    pub fn cursor(&self) -> i64 {
        self.cursor
    }

    /// Moves the cursor (after a rebuild: to the outbox's end as it was when the rebuild began).
    pub fn set_cursor(&mut self, cursor: i64) -> Result<(), String> {
        if let Some(f) = &self.file {
            let tmp = f.with_extension("tmp");
            std::fs::write(&tmp, cursor.to_string()).map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, f).map_err(|e| e.to_string())?;
        }
        self.cursor = cursor;
        Ok(())
    }

    /// Applies the next batch of rows to `index`; returns how many rows were applied.
    pub fn step(&mut self, db: &Db, index: &SearchIndex) -> Result<usize, String> {
        let mut conn = db.conn().map_err(|e| e.to_string())?;
        let since =
            forum_db::time::now() - chrono::Duration::from_std(LOOKBACK).unwrap_or_default();
        let mut rows: Vec<OutboxRow> = recent_below(&mut conn, TOPIC_SEARCH, self.cursor, since)
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|r| !self.recent.contains_key(&r.id))
            .collect();
        rows.extend(after(&mut conn, TOPIC_SEARCH, self.cursor, BATCH).map_err(|e| e.to_string())?);
        self.recent.retain(|_, at| at.elapsed() < LOOKBACK * 2);
        if rows.is_empty() {
            return Ok(0);
        }
        let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.payload.parse().ok()).collect();
        ids.sort_unstable();
        ids.dedup();
        let threads = indexable_threads(&mut conn, &ids).map_err(|e| e.to_string())?;
        let gone: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !threads.iter().any(|t| t.thread_id == *id))
            .collect();
        let docs: Vec<SearchDoc> = threads.into_iter().map(to_doc).collect();
        index.upsert(&docs).map_err(|e| e.to_string())?;
        index.delete(&gone).map_err(|e| e.to_string())?;
        let now = Instant::now();
        for r in &rows {
            self.recent.insert(r.id, now);
        }
        let top = rows
            .iter()
            .map(|r| r.id)
            .max()
            .unwrap_or(self.cursor)
            .max(self.cursor);
        self.set_cursor(top)?;
        Ok(rows.len())
    }
}

/// Opens this node's follower for an index in `dir`, rebuilding the index from the database
/// first when it is new or its schema changed.
pub fn prepare(db: &Db, index: &SearchIndex, dir: Option<&Path>) -> Result<Follower, String> {
    let mut follower = Follower::open(dir);
    if index.needs_rebuild() {
        let n = rebuild(db, index, &mut follower, |_| {})?;
        tracing::info!(docs = n, "search index rebuilt from the database");
    }
    Ok(follower)
}

/// Rebuilds the index from the database and moves the follower to where the outbox ended when
/// the rebuild began (rows written during it are applied again, which is harmless).
pub fn rebuild(
    db: &Db,
    index: &SearchIndex,
    follower: &mut Follower,
    progress: impl FnMut(usize),
) -> Result<usize, String> {
    let end = last_id(&mut *db.conn().map_err(|e| e.to_string())?, TOPIC_SEARCH)
        .map_err(|e| e.to_string())?;
    let n = reindex_all(db, index, progress)?;
    follower.set_cursor(end)?;
    Ok(n)
}

/// Starts the indexer thread; it stops when every handle is dropped.
pub fn spawn(db: Db, index: Arc<SearchIndex>, follower: Follower) -> IndexerHandle {
    let (tx, rx) = channel();
    let cursor = Arc::new(AtomicI64::new(follower.cursor()));
    let shared = cursor.clone();
    let spawned = std::thread::Builder::new()
        .name("search-indexer".into())
        .spawn(move || run(db, index, follower, rx, shared));
    if let Err(e) = spawned {
        tracing::error!("cannot start the search indexer: {e}");
    }
    IndexerHandle { tx, cursor }
}

fn run(
    db: Db,
    index: Arc<SearchIndex>,
    mut follower: Follower,
    rx: Receiver<()>,
    cursor: Arc<AtomicI64>,
) {
    loop {
        let result = follower.step(&db, &index);
        cursor.store(follower.cursor(), Ordering::SeqCst);
        match result {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("search indexing failed, will retry: {e}"),
        }
        match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Rebuilds the whole index from the database, calling `progress(done)` per batch.
fn reindex_all(
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
