//! A short-lived cache of whole pages for anonymous readers (most of a support forum's
//! traffic: visitors arriving from a search engine). Any write on this node clears it at once
//! (a generation counter); on other nodes an entry lives at most `ttl`. Signed-in members never
//! see cached pages, and cached pages carry no CSRF token (anonymous pages have no POST forms).
//!
//! Memory is bounded by bytes, not by entries (one large thread page can weigh megabytes), and
//! pages are keyed by what they show, not by the URL as typed: `?x=1`, `?x=2`… share one entry.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use forum_core::queries::Tab;
use url::form_urlencoded;

use crate::view::page_number;

/// Bytes charged per entry on top of its key and page: the map slot and bookkeeping, so that
/// very many tiny pages cannot slip past the budget.
const ENTRY_OVERHEAD: usize = 128;

/// The query parameters a cached page may depend on, in the order they appear in keys. A page
/// served through the cache must not read any other parameter.
pub const KEY_PARAMS: [&str; 4] = ["tab", "sort", "q", "page"];

struct Entry {
    html: Bytes,
    generation: u64,
    stored: Instant,
    cost: usize,
}

#[derive(Default)]
struct Store {
    entries: HashMap<String, Entry>,
    bytes: usize,
}

impl Store {
    fn remove(&mut self, key: &str) {
        if let Some(old) = self.entries.remove(key) {
            self.bytes -= old.cost;
        }
    }
}

/// The cache; cheap to share behind an `Arc`.
pub struct AnonCache {
    ttl: Duration,
    max_bytes: usize,
    generation: AtomicU64,
    store: Mutex<Store>,
}

impl std::fmt::Debug for AnonCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnonCache")
            .field("ttl", &self.ttl)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl AnonCache {
    /// A cache whose entries live `ttl` and together weigh at most `max_bytes` (either zero
    /// disables it).
    pub fn new(ttl: Duration, max_bytes: usize) -> AnonCache {
        AnonCache {
            ttl,
            max_bytes,
            generation: AtomicU64::new(0),
            store: Mutex::new(Store::default()),
        }
    }

    /// Forgets every page: something changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn fresh(&self, e: &Entry, generation: u64) -> bool {
        e.generation == generation && e.stored.elapsed() < self.ttl
    }

    /// The cached page for `key`, if fresh; a stale one is dropped on the way.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        if self.ttl.is_zero() || self.max_bytes == 0 {
            return None;
        }
        let generation = self.generation();
        let mut store = self.store.lock().ok()?;
        let e = store.entries.get(key)?;
        if self.fresh(e, generation) {
            return Some(e.html.clone());
        }
        store.remove(key);
        None
    }

    /// Stores a page rendered at `generation` (read before rendering, so a write that lands
    /// during the render is never hidden by the entry). Over budget, stale entries go first,
    /// then the oldest, down to 7/8 of the budget so that eviction runs rarely.
    pub fn put(&self, key: String, html: Bytes, generation: u64) {
        let cost = key.len() + html.len() + ENTRY_OVERHEAD;
        if self.ttl.is_zero() || cost > self.max_bytes {
            return;
        }
        let Ok(mut store) = self.store.lock() else {
            return;
        };
        store.remove(&key);
        if store.bytes + cost > self.max_bytes {
            let now = self.generation();
            let stale: Vec<String> = store
                .entries
                .iter()
                .filter(|(_, e)| !self.fresh(e, now))
                .map(|(k, _)| k.clone())
                .collect();
            for k in stale {
                store.remove(&k);
            }
        }
        if store.bytes + cost > self.max_bytes {
            let target = (self.max_bytes / 8 * 7).saturating_sub(cost);
            let mut by_age: Vec<(Instant, String)> = store
                .entries
                .iter()
                .map(|(k, e)| (e.stored, k.clone()))
                .collect();
            by_age.sort_unstable();
            for (_, k) in by_age {
                if store.bytes <= target {
                    break;
                }
                store.remove(&k);
            }
        }
        store.bytes += cost;
        let entry = Entry {
            html,
            generation,
            stored: Instant::now(),
            cost,
        };
        store.entries.insert(key, entry);
    }

    /// The current generation, to pass back to [`AnonCache::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Bytes held now, as charged against the budget.
    pub fn bytes(&self) -> usize {
        self.store.lock().map(|s| s.bytes).unwrap_or(0)
    }
}

/// The cache key of a page: its path plus the [`KEY_PARAMS`] it was asked with, in a fixed
/// order, each as the page reads it (the first value; `page` as a number, `tab` as a known
/// tab, defaults left out). Any other parameter cannot change the page, so it is ignored.
pub fn canonical_key(path: &str, query: &str) -> String {
    let first = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let mut out = form_urlencoded::Serializer::new(String::new());
    for name in KEY_PARAMS {
        let Some(value) = first(name) else { continue };
        let value = match name {
            "page" => match page_number(Some(&value)) {
                1 => continue,
                n => n.to_string(),
            },
            "tab" => match Tab::parse(&value) {
                Tab::Latest => continue,
                tab => tab.as_str().to_string(),
            },
            _ => value,
        };
        out.append_pair(name, &value);
    }
    let query = out.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
#[path = "anon_cache_tests.rs"]
mod tests;
