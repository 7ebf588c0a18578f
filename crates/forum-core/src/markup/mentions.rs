//! `@name` mentions: found in a post's prose (never in code, links or image text), linked to the
//! member's profile when the name belongs to a member, and reported so the writer can notify.

use std::ops::Range;

/// Most candidates looked up per post: more names than any limit allows, so the lookup stays
/// bounded whatever the post holds.
pub const MAX_CANDIDATES: usize = 64;

/// Every `@name` in `text`: the byte range of `@name` and the name. An `@` inside a word (an
/// email address) is not a mention; a name ends before a trailing `.` or `-` (end of sentence).
pub(super) fn find(text: &str) -> Vec<(Range<usize>, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('@') {
        let at = i + off;
        i = at + 1;
        let prev_ok = at == 0
            || !(b[at - 1].is_ascii_alphanumeric()
                || matches!(b[at - 1], b'_' | b'.' | b'-' | b'@'));
        let mut end = at + 1;
        while end < b.len()
            && (b[end].is_ascii_alphanumeric() || matches!(b[end], b'_' | b'.' | b'-'))
        {
            end += 1;
        }
        while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let name = &text[at + 1..end];
        if prev_ok && (3..=20).contains(&name.len()) && b[at + 1].is_ascii_alphanumeric() {
            out.push((at..end, name));
            i = end;
        }
    }
    out
}

/// The distinct names (lower-cased) a post's Markdown may mention, at most
/// [`MAX_CANDIDATES`]: what the writer looks up before cooking. Code and links are not told
/// apart here (the cook does that); this only bounds the lookup.
pub fn mention_candidates(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, name) in find(markdown) {
        let lower = name.to_ascii_lowercase();
        if !out.contains(&lower) {
            out.push(lower);
            if out.len() == MAX_CANDIDATES {
                break;
            }
        }
    }
    out
}
