//! Rendered page fragments (one post of a thread page), reused across requests and members
//! while what they show is unchanged.
//!
//! A signed-in member's page cannot come from the anonymous page cache (it carries their forms
//! and what they may do), but most of it is the same for everyone: a post's body, author,
//! comments and buttons depend only on the post and on a handful of the viewer's permissions.
//! Rendering those through tera for every request was most of a thread page's cost.
//!
//! A fragment is a pure function of its template and its input, so it is stored under a keyed
//! 128-bit hash of the template name and the input itself (every field the template can see):
//! any edit, vote, new comment, changed permission or "5 minutes ago" that becomes "6 minutes
//! ago" gives a different key, and nothing ever has to be invalidated. The hash keys are drawn
//! at start-up, so nobody can craft an input that collides with another one's key.
//!
//! The one per-member value a fragment holds is the CSRF token of its forms. Fragments are
//! rendered with a random placeholder instead, drawn at start-up and never sent, stored split
//! at it, and the member's token goes back in when the page is assembled.
//!
//! Memory is bounded by bytes; the least recently used fragments go first.

use std::hash::Hash;
use std::sync::{Arc, Mutex};

use lru::LruCache;
use rand::RngCore;
use siphasher::sip128::{Hasher128, SipHasher13};

/// Bytes charged per entry on top of its text: the key, the map slot, the offsets.
const ENTRY_OVERHEAD: usize = 96;

/// A rendered fragment with the places its viewer's CSRF token goes.
#[derive(Debug)]
pub struct Fragment {
    text: String,
    /// Byte offsets in `text`, ascending, where the token is inserted.
    holes: Vec<usize>,
}

impl Fragment {
    fn new(rendered: &str, placeholder: &str) -> Fragment {
        let mut text = String::with_capacity(rendered.len());
        let mut holes = Vec::new();
        let mut rest = rendered;
        while let Some(at) = rest.find(placeholder) {
            text.push_str(&rest[..at]);
            holes.push(text.len());
            rest = &rest[at + placeholder.len()..];
        }
        text.push_str(rest);
        Fragment { text, holes }
    }

    /// Appends the fragment to `out` with `csrf_token` in its forms.
    pub fn write_into(&self, out: &mut String, csrf_token: &str) {
        out.reserve(self.text.len() + self.holes.len() * csrf_token.len());
        let mut from = 0;
        for &hole in &self.holes {
            out.push_str(&self.text[from..hole]);
            out.push_str(csrf_token);
            from = hole;
        }
        out.push_str(&self.text[from..]);
    }

    fn cost(&self) -> usize {
        self.text.len() + self.holes.len() * std::mem::size_of::<usize>() + ENTRY_OVERHEAD
    }
}

struct Store {
    entries: LruCache<u128, Arc<Fragment>>,
    bytes: usize,
}

/// The fragment store; one per process, shared by the workers.
pub struct Fragments {
    /// SipHash-1-3 (128-bit) keys, drawn at start-up.
    keys: (u64, u64),
    placeholder: String,
    /// Prefix of the markers [`Fragments::slot_marker`] gives pages.
    slot_prefix: String,
    max_bytes: usize,
    store: Mutex<Store>,
}

impl std::fmt::Debug for Fragments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fragments")
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

impl Fragments {
    /// An empty store holding at most `max_bytes` (0 turns reuse off: every fragment is
    /// rendered afresh).
    pub fn new(max_bytes: usize) -> Fragments {
        let mut rng = rand::thread_rng();
        let mut nonce = [0u8; 16];
        rng.fill_bytes(&mut nonce);
        let mut slot_nonce = [0u8; 16];
        rng.fill_bytes(&mut slot_nonce);
        Fragments {
            keys: (rng.next_u64(), rng.next_u64()),
            // Hex only: it survives HTML escaping unchanged, and no member can guess it.
            placeholder: format!("csrf{}", hex::encode(nonce)),
            slot_prefix: format!("slot{}", hex::encode(slot_nonce)),
            max_bytes,
            store: Mutex::new(Store {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// What templates receive as `csrf_token` when rendering a fragment.
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The marker a page's template prints where the HTML of slot `name` goes (see
    /// [`splice`]); random per process like the placeholder, so no content can contain it.
    pub fn slot_marker(&self, name: &str) -> String {
        format!("{}{name}x", self.slot_prefix)
    }

    /// The fragment `template` renders for `input`: the stored one when the same template has
    /// rendered an equal input, else `render(placeholder)` (which builds the context from
    /// `input`, with the placeholder as `csrf_token`) stored for next time.
    pub fn get_or_render<I: Hash + ?Sized, E>(
        &self,
        template: &str,
        input: &I,
        render: impl FnOnce(&str) -> Result<String, E>,
    ) -> Result<Arc<Fragment>, E> {
        let key = self.key(template, input);
        if let Some(hit) = self.lock().entries.get(&key) {
            return Ok(hit.clone());
        }
        let fragment = Arc::new(Fragment::new(
            &render(&self.placeholder)?,
            &self.placeholder,
        ));
        let cost = fragment.cost();
        if cost <= self.max_bytes {
            let mut store = self.lock();
            if let Some(old) = store.entries.put(key, fragment.clone()) {
                store.bytes -= old.cost();
            }
            store.bytes += cost;
            while store.bytes > self.max_bytes {
                match store.entries.pop_lru() {
                    Some((_, old)) => store.bytes -= old.cost(),
                    None => break,
                }
            }
        }
        Ok(fragment)
    }

    /// How many fragments and bytes are held (for tests and diagnostics).
    pub fn usage(&self) -> (usize, usize) {
        let store = self.lock();
        (store.entries.len(), store.bytes)
    }

    fn key<I: Hash + ?Sized>(&self, template: &str, input: &I) -> u128 {
        let mut h = SipHasher13::new_with_keys(self.keys.0, self.keys.1);
        template.hash(&mut h);
        input.hash(&mut h);
        h.finish128().into()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic while holding the lock leaves a consistent map (every update is a single
        // insert or removal with its byte count), so a poisoned lock is still usable.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `rendered` with every occurrence of each slot's marker replaced by the slot's HTML, in one
/// pass: how a page places large pieces built outside its template (a thread's posts) without
/// copying them into the template's context and out again.
pub fn splice(rendered: &str, slots: &[(String, String)]) -> String {
    let mut at: Vec<(usize, usize)> = Vec::new();
    for (i, (marker, _)) in slots.iter().enumerate() {
        at.extend(
            rendered
                .match_indices(marker.as_str())
                .map(|(pos, _)| (pos, i)),
        );
    }
    at.sort_unstable();
    let extra: usize = at.iter().map(|&(_, i)| slots[i].1.len()).sum();
    let mut out = String::with_capacity(rendered.len() + extra);
    let mut from = 0;
    for (pos, i) in at {
        out.push_str(&rendered[from..pos]);
        out.push_str(&slots[i].1);
        from = pos + slots[i].0.len();
    }
    out.push_str(&rendered[from..]);
    out
}

#[cfg(test)]
#[path = "fragments_tests.rs"]
mod tests;
