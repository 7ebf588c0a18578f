//! Read models kept between requests, reused while the data generation has not moved, and
//! shared by every viewer who asks the same (the key includes their visibility).
//!
//! A popular thread or the home page is read by many members at once, and reading it (several
//! queries, dozens of rows decoded) was most of what rendering it cost. Where the database has a
//! data generation (SQLite, see [`forum_db::generation`]), a result is kept with the generation
//! it was read at: any committed write to anything a page shows (by this server, another
//! process or the CLI) moves the generation, so a kept result is never older than the last
//! write. Where there is no generation (PostgreSQL), every load reads the database.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use forum_db::ids::ThreadId;
use forum_db::models::Category;
use forum_db::AnyConnection;
use lru::LruCache;

use super::lists::{list_threads, ThreadFilter};
use super::thread_page::{
    thread_content, viewer_marks, watch_level, ThreadContent, ThreadPage, ThreadRow,
};
use crate::actor::Actor;
use crate::error::CoreResult;
use crate::visibility::Visibility;

type Entries<K, V> = Mutex<LruCache<K, (i64, Arc<V>)>>;

/// Results of one read model by key, least recently used dropped first beyond the capacity.
pub struct ReadCache<K: Hash + Eq, V> {
    entries: Option<Entries<K, V>>,
}

impl<K: Hash + Eq, V> std::fmt::Debug for ReadCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("capacity", &self.entries.as_ref().map(|e| lock(e).cap()))
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V> ReadCache<K, V> {
    /// Keeps up to `capacity` results; 0 keeps none (every load reads).
    pub fn new(capacity: usize) -> Self {
        ReadCache {
            entries: NonZeroUsize::new(capacity).map(|n| Mutex::new(LruCache::new(n))),
        }
    }

    /// The result for `key`: the kept one if it was read at the current generation, else
    /// `read` now (kept for next time); with the generation it stands for, when there is one
    /// (so what is derived from it can be kept under the same number).
    pub fn get_or_read(
        &self,
        conn: &mut AnyConnection,
        key: &K,
        read: impl FnOnce(&mut AnyConnection) -> CoreResult<V>,
    ) -> CoreResult<(Arc<V>, Option<i64>)> {
        let Some(entries) = &self.entries else {
            return Ok((Arc::new(read(conn)?), None));
        };
        // Read the generation before the data: data read afterwards is at least as new.
        let Some(generation) = forum_db::generation::current(conn)? else {
            return Ok((Arc::new(read(conn)?), None));
        };
        if let Some((at, kept)) = lock(entries).get(key) {
            if *at == generation {
                return Ok((kept.clone(), Some(generation)));
            }
        }
        let value = Arc::new(read(conn)?);
        lock(entries).put(key.clone(), (generation, value.clone()));
        // Data read after the generation may be newer than it: only a kept entry found at the
        // same number is known to stand for it exactly.
        Ok((value, None))
    }
}

fn lock<K: Hash + Eq, V>(entries: &Entries<K, V>) -> MutexGuard<'_, LruCache<K, (i64, Arc<V>)>> {
    // Every update is one insert or lookup, so a poisoned map is still consistent.
    entries.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A page of a thread list and whether another follows.
pub type ListResult = (Vec<ThreadRow>, bool);

/// The read models pages keep: thread contents, list pages, the categories.
#[derive(Debug)]
pub struct ReadCaches {
    threads: ReadCache<(ThreadId, Visibility), ThreadContent>,
    lists: ReadCache<ThreadFilter, ListResult>,
    categories: ReadCache<(), Vec<Category>>,
}

impl ReadCaches {
    /// Keeps up to `entries` thread contents and as many list pages (0: none).
    pub fn new(entries: usize) -> ReadCaches {
        ReadCaches {
            threads: ReadCache::new(entries),
            lists: ReadCache::new(entries),
            categories: ReadCache::new(usize::from(entries > 0)),
        }
    }

    /// The thread page for `viewer`, as [`super::thread_page()`] would read it now: the shared
    /// content kept, the viewer's votes read every time.
    pub fn thread_page(
        &self,
        conn: &mut AnyConnection,
        thread_id: ThreadId,
        viewer: Option<&Actor>,
    ) -> CoreResult<ThreadPage> {
        let vis = Visibility::for_viewer(viewer);
        let (content, generation) = self.threads.get_or_read(conn, &(thread_id, vis), |c| {
            thread_content(c, thread_id, vis)
        })?;
        let (my_votes, my_kudos) = viewer_marks(conn, &content, viewer)?;
        Ok(ThreadPage {
            content,
            my_votes,
            my_kudos,
            generation,
            watch_level: watch_level(conn, thread_id, viewer)?,
        })
    }

    /// A page of a thread list, as [`list_threads`] would read it now.
    pub fn list_threads(
        &self,
        conn: &mut AnyConnection,
        filter: &ThreadFilter,
    ) -> CoreResult<Arc<ListResult>> {
        Ok(self
            .lists
            .get_or_read(conn, filter, |c| list_threads(c, filter))?
            .0)
    }

    /// Every category, as [`crate::categories::list_categories`] would read them now.
    pub fn categories(&self, conn: &mut AnyConnection) -> CoreResult<Arc<Vec<Category>>> {
        Ok(self
            .categories
            .get_or_read(conn, &(), crate::categories::list_categories)?
            .0)
    }
}
