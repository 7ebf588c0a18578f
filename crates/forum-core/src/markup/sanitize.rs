//! The ammonia layer: an allow-list of exactly what the Markdown writer emits.
//! It is the second line of defence (the event pass already keeps user HTML
//! out), so it is deliberately stricter than ammonia's defaults.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

/// `rel` for links by trusted authors: `ugc` marks user content for crawlers.
const REL_TRUSTED: &str = "noopener noreferrer ugc";
/// `rel` for links by low-trust authors: also `nofollow`, so spam earns nothing.
const REL_NOFOLLOW: &str = "nofollow ugc noopener noreferrer";

/// Built once per process: constructing a builder allocates several sets.
static TRUSTED: LazyLock<Builder<'static>> = LazyLock::new(|| builder(REL_TRUSTED));
static NOFOLLOW: LazyLock<Builder<'static>> = LazyLock::new(|| builder(REL_NOFOLLOW));

/// Tags pulldown-cmark emits for the enabled extensions (after heading
/// demotion, so no `h1`/`h2`). Anything else is unwrapped to its text.
pub(super) const TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
];

/// Removed together with their content (never emitted by us; defence in depth).
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "svg", "math", "iframe", "object", "embed", "form", "template", "noscript",
    "textarea", "select", "title", "xmp", "noembed", "noframes",
];

fn tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    let mut m = HashMap::new();
    m.insert("a", HashSet::from(["href", "title", "class"]));
    m.insert("img", HashSet::from(["src", "alt", "title"]));
    m.insert("ol", HashSet::from(["start"]));
    m.insert("code", HashSet::from(["class"]));
    m.insert("th", HashSet::from(["style"]));
    m.insert("td", HashSet::from(["style"]));
    m.insert("input", HashSet::from(["type", "checked", "disabled"]));
    m
}

/// Narrows the allowed attributes' values: code classes must be a single
/// `language-*` token, table cells may only carry pulldown-cmark's alignment
/// style, inputs are checkboxes, list starts are numbers.
fn attribute_filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("code", "class") => value.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang.len() <= 64
                && lang
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
        }),
        ("th" | "td", "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        ("input", "type") => value == "checkbox",
        // Only the mark of a mention link (which the cook writes itself).
        ("a", "class") => value == "mention",
        ("ol", "start") => value.len() <= 20 && value.parse::<u64>().is_ok(),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

fn builder(rel: &'static str) -> Builder<'static> {
    let mut b = Builder::empty();
    b.tags(TAGS.iter().copied().collect())
        .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect())
        .tag_attributes(tag_attributes())
        .tag_attribute_values(HashMap::new())
        .generic_attributes(HashSet::new())
        .generic_attribute_prefixes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some(rel))
        .id_prefix(Some("user-content-"))
        .strip_comments(true)
        .set_tag_attribute_value("img", "loading", "lazy")
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(attribute_filter);
    b
}

/// Sanitise HTML produced by the Markdown writer.
pub(super) fn clean(html: &str, nofollow: bool) -> String {
    let builder: &Builder<'static> = if nofollow { &NOFOLLOW } else { &TRUSTED };
    builder.clean(html).to_string()
}
