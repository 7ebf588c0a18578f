//! A short-lived cache of whole pages for anonymous readers (most of a support forum's
//! traffic: visitors arriving from a search engine). Any write on this node clears it at once
//! (a generation counter); on other nodes an entry lives at most `ttl`. Signed-in members never
//! see cached pages, and cached pages carry no CSRF token (anonymous pages have no POST forms).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use actix_web::web::Bytes;
use std::time::{Duration, Instant};

/// Most pages kept; beyond it expired entries are dropped, then everything.
const MAX_ENTRIES: usize = 2_000;

struct Entry {
    html: Bytes,
    generation: u64,
    stored: Instant,
}

/// The cache; cheap to share behind an `Arc`.
pub struct AnonCache {
    ttl: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for AnonCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnonCache").field("ttl", &self.ttl).finish()
    }
}

impl AnonCache {
    /// A cache whose entries live `ttl` (zero disables it).
    pub fn new(ttl: Duration) -> AnonCache {
        AnonCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets every page: something changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The cached page for `key`, if fresh.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.stored.elapsed() < self.ttl)
            .map(|e| e.html.clone())
    }

    /// Stores a page rendered at `generation` (read before rendering, so a write that lands
    /// during the render is never hidden by the entry).
    pub fn put(&self, key: String, html: Bytes, generation: u64) {
        if self.ttl.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                let now = self.generation.load(Ordering::SeqCst);
                entries.retain(|_, e| e.generation == now && e.stored.elapsed() < self.ttl);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(
                key,
                Entry {
                    html,
                    generation,
                    stored: Instant::now(),
                },
            );
        }
    }

    /// The current generation, to pass back to [`AnonCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_writes_invalidate() {
        let c = AnonCache::new(Duration::from_secs(60));
        let g = c.generation();
        c.put("/".into(), Bytes::from_static(b"<p>a</p>"), g);
        assert_eq!(c.get("/").as_deref(), Some(&b"<p>a</p>"[..]));
        c.invalidate();
        assert!(c.get("/").is_none(), "a write clears the cache");
        let stale = c.generation() - 1;
        c.put("/".into(), Bytes::from_static(b"<p>old</p>"), stale);
        assert!(
            c.get("/").is_none(),
            "a page rendered before a write is never served"
        );
        let off = AnonCache::new(Duration::ZERO);
        off.put("/".into(), Bytes::from_static(b"x"), off.generation());
        assert!(off.get("/").is_none());
        let short = AnonCache::new(Duration::from_millis(1));
        short.put("/".into(), Bytes::from_static(b"x"), short.generation());
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get("/").is_none(), "entries expire");
    }
}
