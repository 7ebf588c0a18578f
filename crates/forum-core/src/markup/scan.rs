//! A tiny scanner over the sanitiser's serialised output, used to count links
//! and images "as published" (and by the tests to audit the output).
//!
//! It relies on html5ever's serialisation, which ammonia uses: in text `<` is
//! always escaped as `&lt;`, so every `<` starts a tag, and attribute values
//! are always double-quoted with `"` escaped as `&quot;`.

/// One start or end tag of the serialised HTML.
#[derive(Debug)]
pub(super) struct TagRef<'h> {
    pub(super) name: &'h str,
    pub(super) closing: bool,
    /// Attribute names and raw (still entity-escaped) values.
    pub(super) attrs: Vec<(&'h str, &'h str)>,
}

/// All tags of `html`, in order.
pub(super) fn tags(html: &str) -> Vec<TagRef<'_>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        if i == name_start {
            continue;
        }
        let name = &html[name_start..i];
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let an_start = i;
            while i < b.len() && !matches!(b[i], b'=' | b'>' | b'/') && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attr_name = &html[an_start..i];
            let mut value = "";
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i += 1;
                        let v_start = i;
                        while i < b.len() && b[i] != q {
                            i += 1;
                        }
                        value = &html[v_start..i];
                        i += 1;
                    }
                    _ => {
                        let v_start = i;
                        while i < b.len() && b[i] != b'>' && !b[i].is_ascii_whitespace() {
                            i += 1;
                        }
                        value = &html[v_start..i];
                    }
                }
            }
            if attr_name.is_empty() {
                i += 1;
                continue;
            }
            attrs.push((attr_name, value));
        }
        out.push(TagRef {
            name,
            closing,
            attrs,
        });
        if i >= b.len() {
            break;
        }
    }
    out
}

/// `(links, images)`: `<a>` tags that kept an `href` and `<img>` tags that
/// kept a `src` after sanitising.
pub(super) fn count_links_and_images(html: &str) -> (usize, usize) {
    let mut links = 0;
    let mut images = 0;
    for t in tags(html) {
        if t.closing {
            continue;
        }
        let has = |a: &str| t.attrs.iter().any(|(n, _)| n.eq_ignore_ascii_case(a));
        let mention = t
            .attrs
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("class") && *v == "mention");
        if t.name.eq_ignore_ascii_case("a") && has("href") && !mention {
            links += 1;
        } else if t.name.eq_ignore_ascii_case("img") && has("src") {
            images += 1;
        }
    }
    (links, images)
}
