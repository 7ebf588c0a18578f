//! Thread pages read once per data generation and shared by every viewer who sees the same.
//!
//! A popular thread is read by many members at once, and reading it (four queries, dozens of
//! rows decoded) was most of what rendering it cost. Where the database has a data generation
//! (SQLite, see [`forum_db::generation`]), the content of a thread is kept with the generation
//! it was read at and reused while the generation has not moved: any committed write to
//! anything a page shows (by this server, another process or the CLI) moves it, so a kept page
//! is never older than the last write. The viewer's own votes are read every time. Where there
//! is no generation (PostgreSQL), every load reads the database.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use forum_db::ids::ThreadId;
use forum_db::AnyConnection;
use lru::LruCache;

use super::thread_page::{my_votes, thread_content, ThreadContent, ThreadPage};
use crate::actor::Actor;
use crate::error::CoreResult;
use crate::visibility::Visibility;

type Key = (ThreadId, Visibility);

/// The kept thread contents, least recently used dropped first beyond the capacity.
pub struct ThreadCache {
    entries: Option<Entries>,
}

impl std::fmt::Debug for ThreadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadCache")
            .field("capacity", &self.entries.as_ref().map(|e| lock(e).cap()))
            .finish()
    }
}

impl ThreadCache {
    /// Keeps up to `threads` thread contents (per visibility); 0 keeps none.
    pub fn new(threads: usize) -> ThreadCache {
        ThreadCache {
            entries: std::num::NonZeroUsize::new(threads).map(|n| Mutex::new(LruCache::new(n))),
        }
    }

    /// The thread page for `viewer`, as [`super::thread_page`] would read it now.
    pub fn load(
        &self,
        conn: &mut AnyConnection,
        thread_id: ThreadId,
        viewer: Option<&Actor>,
    ) -> CoreResult<ThreadPage> {
        let vis = Visibility::for_viewer(viewer);
        let generation = match self.entries {
            Some(_) => forum_db::generation::current(conn)?,
            None => None,
        };
        let content = match (&self.entries, generation) {
            (Some(entries), Some(generation)) => {
                let key = (thread_id, vis);
                let kept = lock(entries).get(&key).cloned();
                match kept {
                    Some((at, content)) if at == generation => content,
                    _ => {
                        let content = Arc::new(thread_content(conn, thread_id, vis)?);
                        lock(entries).put(key, (generation, content.clone()));
                        content
                    }
                }
            }
            _ => Arc::new(thread_content(conn, thread_id, vis)?),
        };
        Ok(ThreadPage {
            content,
            my_votes: my_votes(conn, thread_id, viewer)?,
        })
    }
}

type Entries = Mutex<LruCache<Key, (i64, Arc<ThreadContent>)>>;

fn lock(entries: &Entries) -> MutexGuard<'_, LruCache<Key, (i64, Arc<ThreadContent>)>> {
    // Every update is one insert or lookup, so a poisoned map is still consistent.
    entries.lock().unwrap_or_else(PoisonError::into_inner)
}
