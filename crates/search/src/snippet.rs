//! Safe HTML snippets: everything is escaped except our own `<mark>` tags.

use std::ops::Range;

use tantivy::snippet::{Snippet, SnippetGenerator};

/// Target snippet length in characters.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Escapes text for HTML element content and attribute values (`& < > " '`).
pub(crate) fn escape_html(s: &str) -> String {
    htmlescape::encode_minimal(s)
}

/// Builds the snippet for one body: the best highlighted fragment when the
/// generator finds a match, else the escaped start of the body.
pub(crate) fn render(generator: Option<&SnippetGenerator>, body: &str) -> String {
    if let Some(snippet) = generator.map(|g| g.snippet(body)) {
        if !snippet.highlighted().is_empty() {
            return highlighted_html(&snippet, body.len());
        }
    }
    fallback(body)
}

/// The first `SNIPPET_CHARS` characters of the body, escaped.
fn fallback(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", escape_html(body[..cut].trim_end())),
        None => escape_html(body),
    }
}

/// Renders tantivy's fragment ourselves (rather than `Snippet::to_html`) so
/// the escaping rules and the `<mark>` tag are under our control.
fn highlighted_html(snippet: &Snippet, body_len: usize) -> String {
    let fragment = snippet.fragment();
    let range = snippet.fragment_range();
    let mut html = String::new();
    if range.start > 0 {
        html.push('…');
    }
    let mut pos = 0;
    for r in merge(snippet.highlighted()) {
        let (Some(before), Some(hit)) = (fragment.get(pos..r.start), fragment.get(r.clone()))
        else {
            continue;
        };
        html.push_str(&escape_html(before));
        html.push_str("<mark>");
        html.push_str(&escape_html(hit));
        html.push_str("</mark>");
        pos = r.end;
    }
    html.push_str(&escape_html(fragment.get(pos..).unwrap_or("")));
    if range.end < body_len {
        html.push('…');
    }
    html
}

/// Sorts and merges overlapping/adjacent highlight ranges.
fn merge(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
        );
    }

    #[test]
    fn fallback_truncates_and_escapes() {
        let body = format!("<b>{}", "x".repeat(300));
        let s = render(None, &body);
        assert!(s.starts_with("&lt;b&gt;"));
        assert!(s.ends_with('…'));
        assert_eq!(s.chars().count(), "&lt;b&gt;".len() + SNIPPET_CHARS - 3 + 1);
    }

    #[test]
    fn merge_overlaps() {
        assert_eq!(merge(&[5..8, 0..2, 1..3, 8..9]), vec![0..3, 5..9]);
    }
}
