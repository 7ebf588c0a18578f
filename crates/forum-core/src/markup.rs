//! Markdown to safe HTML, rendered once at write time ("cooking").
//!
//! Posts are stored twice: the author's Markdown (the source of truth, used for
//! editing) and the cooked HTML (served as is on every page view). Cooking at
//! write time keeps reads cheap and makes the sanitiser's output auditable in
//! the database; [`COOK_VERSION`] says which pipeline produced a stored row so
//! old posts can be re-cooked when the pipeline changes.
//!
//! The pipeline has two independent layers, so one mistake is not an XSS hole:
//!
//! 1. `events`: a single pass over pulldown-cmark's events. User HTML never
//!    reaches the HTML writer (raw `Html`/`InlineHtml` become escaped text),
//!    bare http(s) URLs become links, headings are demoted below the page's
//!    own `h1`/`h2`, and link/image URL expansion is budgeted so reference
//!    links cannot blow the output up.
//! 2. `sanitize`: ammonia with a short allow-list of exactly the tags and
//!    attributes the Markdown writer emits, http/https/mailto URLs only, and
//!    `rel` with `ugc` (plus `nofollow` for low-trust authors) on every link.

mod events;
mod mentions;
mod sanitize;
mod scan;
#[cfg(test)]
mod tests;

use pulldown_cmark::{Options, Parser};

/// Version of the cooking pipeline. Bump it whenever [`cook`]'s output for the
/// same input changes, so stored posts with an older version can be re-cooked.
pub const COOK_VERSION: i32 = 2;

pub use mentions::{mention_candidates, MAX_CANDIDATES};

/// Per-author knobs for [`cook`]; the caller derives them from the author's
/// trust level so the renderer itself knows nothing about users.
#[derive(Debug, Clone, Copy, Default)]
pub struct CookOptions<'a> {
    /// Add `rel="nofollow"` to links. Set for low-trust authors so spam links
    /// earn no search-engine credit; links always carry `ugc`.
    pub nofollow: bool,
    /// Members who exist, by lower-cased name → username: `@name` of one of them becomes a
    /// link to their profile (the writer looks up [`mention_candidates`]). `None`: no links.
    pub members: Option<&'a std::collections::HashMap<String, String>>,
}

/// The result of cooking one post: everything derived from the Markdown that
/// is stored alongside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cooked {
    /// Sanitised HTML, safe to embed in a page without further escaping.
    pub html: String,
    /// Plain text of the post (what a reader sees, without markup), for the
    /// search index and for excerpts.
    pub text: String,
    /// Number of links (`<a href>`) in [`Cooked::html`], including bare URLs
    /// that were turned into links; moderation limits new members by it.
    pub link_count: usize,
    /// Number of images (`<img src>`) in [`Cooked::html`]; moderation limits
    /// new members by it.
    pub image_count: usize,
    /// Usernames mentioned with `@name` (linked), each once, in order; moderation limits how
    /// many, and the writer notifies them. Mention links are not counted in `link_count`.
    pub mentions: Vec<String>,
}

/// Markdown extensions we accept. Footnotes are left out on purpose (their
/// resolution has pathological performance cases) and so are heading
/// attributes (user-chosen ids and classes).
fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Render a post's Markdown to sanitised HTML plus the derived plain text and
/// link/image counts. Pure and deterministic for a given [`COOK_VERSION`], so
/// it runs once when a post is written, never on page views.
///
/// The caller bounds the input length (post size limit); the output is then
/// bounded by a constant factor of it.
pub fn cook(markdown: &str, opts: CookOptions) -> Cooked {
    let parser = Parser::new_ext(markdown, parser_options());
    let rewritten = events::rewrite(parser, markdown.len(), opts.members);
    let mut raw_html = String::with_capacity(markdown.len().saturating_mul(2));
    pulldown_cmark::html::push_html(&mut raw_html, rewritten.events.into_iter());
    let html = sanitize::clean(&raw_html, opts.nofollow);
    let (link_count, image_count) = scan::count_links_and_images(&html);
    Cooked {
        html,
        text: rewritten.text,
        link_count,
        image_count,
        mentions: rewritten.mentioned,
    }
}

/// A plain-text excerpt of at most `max_chars` characters (the "…" included),
/// for topic lists, notifications and meta descriptions. Whitespace is
/// collapsed; a cut lands on a word boundary when one is reasonably close, and
/// never inside a character.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max_chars {
        return collapsed;
    }
    if max_chars == 0 {
        return String::new();
    }
    // Keep room for the ellipsis.
    let keep = max_chars - 1;
    let cut = collapsed
        .char_indices()
        .nth(keep)
        .map_or(collapsed.len(), |(i, _)| i);
    let head = &collapsed[..cut];
    // The char right after the cut not being alphanumeric (a space or
    // punctuation) means `head` already ends a word.
    let ends_word = collapsed[cut..]
        .chars()
        .next()
        .is_some_and(|ch| !ch.is_alphanumeric());
    let mut out = if ends_word {
        head
    } else {
        match head.rfind(' ') {
            // Only back up to a word boundary if it keeps at least half.
            Some(i) if head[..i].chars().count() * 2 >= keep => &head[..i],
            _ => head,
        }
    };
    out = out.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-'));
    let mut s = String::with_capacity(out.len() + 3);
    s.push_str(out);
    s.push('…');
    s
}
