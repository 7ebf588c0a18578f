//! Tests for the cooking pipeline: rendering, the XSS invariants on hand-picked
//! vectors and on public sanitiser corpora, counts, bounds and excerpts.

mod bounds;
mod mentions;
mod xss;

use super::{cook, excerpt, sanitize, scan, CookOptions, Cooked};

fn c(md: &str) -> Cooked {
    cook(md, CookOptions::default())
}

fn html(md: &str) -> String {
    c(md).html
}

/// Decode the few entities html5ever uses in attribute values, plus numeric
/// ones for good measure.
fn decode_entities(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let Some(end) = rest.find(';') else { break };
        let ent = &rest[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{a0}'),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(ch) => {
                out.push(ch);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The safety invariants every cooked output must satisfy, checked tag by tag.
fn assert_safe(input: &str, out: &str) {
    let lower = out.to_lowercase();
    assert!(
        !lower.contains("<script"),
        "script tag for {input:?}: {out}"
    );
    for t in scan::tags(&lower) {
        assert!(
            sanitize::TAGS.contains(&t.name),
            "tag <{}> not allowed, for {input:?}: {out}",
            t.name
        );
        for (name, value) in &t.attrs {
            assert!(
                !name.starts_with("on"),
                "event handler {name} for {input:?}: {out}"
            );
            assert!(
                *name != "style" || matches!(t.name, "th" | "td"),
                "style on {}",
                t.name
            );
            let value = decode_entities(value);
            if *name == "style" {
                assert!(
                    !value.contains("expression("),
                    "expression( for {input:?}: {out}"
                );
            }
            if matches!(
                *name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "background"
            ) {
                let norm: String = value
                    .chars()
                    .filter(|ch| !ch.is_whitespace() && !ch.is_control())
                    .collect();
                for bad in ["javascript:", "data:", "vbscript:"] {
                    assert!(!norm.starts_with(bad), "{bad} URL for {input:?}: {out}");
                }
            }
        }
    }
}

fn assert_safe_both(input: &str) {
    for nofollow in [false, true] {
        let out = cook(
            input,
            CookOptions {
                nofollow,
                members: None,
            },
        );
        assert_safe(input, &out.html);
    }
}

#[test]
fn renders_basic_markdown() {
    assert_eq!(
        html("*a* **b** ~~c~~"),
        "<p><em>a</em> <strong>b</strong> <del>c</del></p>\n"
    );
    assert_eq!(
        html("- one\n- two\n"),
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    );
    assert_eq!(
        html("3. x\n4. y\n"),
        "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n"
    );
    assert_eq!(
        html("```rust\nfn main() {}\n```\n"),
        "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
    );
    assert_eq!(
        html("    indented <b>\n"),
        "<pre><code>indented &lt;b&gt;\n</code></pre>\n"
    );
    assert_eq!(
        html("> quote"),
        "<blockquote>\n<p>quote</p>\n</blockquote>\n"
    );
    let table = html("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
    assert!(
        table.starts_with("<table><thead><tr><th style=\"text-align: left\">a</th>"),
        "{table}"
    );
    assert!(
        table.contains("<td style=\"text-align: right\">2</td>"),
        "{table}"
    );
    assert_eq!(html("a  \nb"), "<p>a<br>\nb</p>\n");
    assert_eq!(html("---"), "<hr>\n");
}

#[test]
fn code_class_must_be_a_single_language_token() {
    let out = html("```foo\"bar\nx\n```\n");
    assert!(!out.contains("class"), "{out}");
    assert!(html("```c++\nx\n```\n").contains("class=\"language-c++\""));
}

#[test]
fn task_list_checkboxes_survive_as_disabled_checkboxes() {
    let out = html("- [x] done\n- [ ] todo\n");
    assert_eq!(
        out,
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>\n\
         <li><input disabled=\"\" type=\"checkbox\">\ntodo</li>\n</ul>\n"
    );
    // A user cannot write an input of their own.
    let out = html("<input type=text autofocus onfocus=alert(1)>");
    assert!(!out.contains("<input"), "{out}");
}

#[test]
fn bare_url_becomes_link() {
    let out = c("see https://example.com/a_b_c?x=1&y=2 now");
    assert_eq!(
        out.html,
        "<p>see <a href=\"https://example.com/a_b_c?x=1&amp;y=2\" rel=\"noopener noreferrer ugc\">\
         https://example.com/a_b_c?x=1&amp;y=2</a> now</p>\n"
    );
    assert_eq!(out.link_count, 1);
    assert_eq!(out.text, "see https://example.com/a_b_c?x=1&y=2 now");
    // Only http(s): other schemes and scheme-less hosts stay text.
    for md in [
        "ftp://example.com/x",
        "www.example.com",
        "javascript://example.com/%0aalert(1)",
    ] {
        let out = c(md);
        assert_eq!(out.link_count, 0, "{md}: {}", out.html);
        assert!(!out.html.contains("<a"), "{md}: {}", out.html);
    }
}

#[test]
fn url_in_code_or_link_stays_as_is() {
    assert_eq!(
        html("`https://example.com`"),
        "<p><code>https://example.com</code></p>\n"
    );
    assert_eq!(
        html("```\nhttps://example.com\n```\n"),
        "<pre><code>https://example.com\n</code></pre>\n"
    );
    let out = c("[https://a.example](https://b.example)");
    assert_eq!(out.link_count, 1, "{}", out.html);
    assert!(out.html.contains("href=\"https://b.example\""));
    let out = c("<https://a.example>");
    assert_eq!(out.link_count, 1, "{}", out.html);
}

#[test]
fn headings_are_demoted() {
    assert_eq!(html("# a"), "<h3>a</h3>\n");
    assert_eq!(html("## a"), "<h4>a</h4>\n");
    assert_eq!(html("### a"), "<h5>a</h5>\n");
    assert_eq!(html("#### a"), "<h6>a</h6>\n");
    assert_eq!(html("##### a"), "<h6>a</h6>\n");
    assert_eq!(html("###### a"), "<h6>a</h6>\n");
    assert_eq!(html("a\n==="), "<h3>a</h3>\n");
    assert_eq!(html("# a {#id .cls}"), "<h3>a {#id .cls}</h3>\n");
}

#[test]
fn rel_depends_on_nofollow() {
    let trusted = cook(
        "[x](https://e.example)",
        CookOptions {
            nofollow: false,
            members: None,
        },
    );
    assert_eq!(
        trusted.html,
        "<p><a href=\"https://e.example\" rel=\"noopener noreferrer ugc\">x</a></p>\n"
    );
    let low = cook(
        "[x](https://e.example)",
        CookOptions {
            nofollow: true,
            members: None,
        },
    );
    assert_eq!(
        low.html,
        "<p><a href=\"https://e.example\" rel=\"nofollow ugc noopener noreferrer\">x</a></p>\n"
    );
    // A user-supplied rel cannot override ours (raw HTML is text anyway).
    let out = html("<a href=\"https://e.example\" rel=\"me\">x</a>");
    for t in scan::tags(&out) {
        assert!(
            t.attrs
                .iter()
                .all(|(n, v)| *n != "rel" || *v == "noopener noreferrer ugc"),
            "{out}"
        );
    }
}

#[test]
fn raw_html_is_shown_escaped() {
    let out = c("<b>x</b>");
    assert_eq!(out.html, "<p>&lt;b&gt;x&lt;/b&gt;</p>\n");
    assert_eq!(out.text, "<b>x</b>");
    assert_eq!(html("a <b>x</b> c"), "<p>a &lt;b&gt;x&lt;/b&gt; c</p>\n");
    // A multi-line HTML block keeps its lines.
    assert_eq!(
        html("<div>\n<p>hi</p>\n</div>"),
        "<p>&lt;div&gt;<br>\n&lt;p&gt;hi&lt;/p&gt;<br>\n&lt;/div&gt;</p>\n"
    );
}

#[test]
fn images_are_lazy_and_counted() {
    let out = c("![alt](https://i.example/a.png \"t\")");
    assert_eq!(
        out.html,
        "<p><img src=\"https://i.example/a.png\" alt=\"alt\" title=\"t\" loading=\"lazy\"></p>\n"
    );
    assert_eq!((out.link_count, out.image_count), (0, 1));
}

#[test]
fn counts_links_and_images() {
    let md = "[a](https://a.example) and https://b.example and <https://c.example>\n\n\
              ![i](https://i.example/1.png) [![j](/2.png)](https://d.example)\n\n\
              `https://not.example` [bad](javascript:alert(1)) <me@example.com>";
    let out = c(md);
    // a, b, c, d and the mailto autolink; the javascript: link lost its href.
    assert_eq!(out.link_count, 5, "{}", out.html);
    assert_eq!(out.image_count, 2, "{}", out.html);
    assert_eq!(c("plain words").link_count, 0);
}

#[test]
fn plain_text_follows_blocks() {
    let out =
        c("# Title\n\nSome *text* with `code`.\n\n- a\n- b\n\n| h1 | h2 |\n|--|--|\n| x | y |\n");
    assert_eq!(out.text, "Title\nSome text with code.\na\nb\nh1 h2\nx y");
}

#[test]
fn excerpt_cuts_on_boundaries() {
    assert_eq!(excerpt("short text", 20), "short text");
    assert_eq!(excerpt("  spaced \n\n out  ", 20), "spaced out");
    assert_eq!(
        excerpt("hello brave new world", 21),
        "hello brave new world"
    );
    assert_eq!(excerpt("hello brave new world", 14), "hello brave…");
    // The cut falls exactly at a word end.
    assert_eq!(excerpt("hello brave new world", 12), "hello brave…");
    // A single long word is cut inside, on a char boundary.
    assert_eq!(excerpt("supercalifragilistic", 6), "super…");
    assert_eq!(excerpt("ééééééééé", 4), "ééé…");
    assert_eq!(excerpt("日本語のテキストです", 5), "日本語の…");
    // A boundary too far back is not used.
    assert_eq!(excerpt("a verylongwordindeed", 10), "a verylon…");
    // Trailing punctuation before the ellipsis is dropped.
    assert_eq!(excerpt("one, two, three", 9), "one, two…");
    assert_eq!(excerpt("anything", 0), "");
    assert_eq!(excerpt("anything", 1), "…");
    assert_eq!(excerpt("", 5), "");
    for n in 0..30 {
        assert!(
            excerpt("the quick brown fox jumps over the lazy dog", n)
                .chars()
                .count()
                <= n
        );
    }
}

#[test]
fn cooking_is_deterministic_and_plain_text_has_no_markup() {
    let md = "Hello **world** https://e.example";
    assert_eq!(c(md), c(md));
    assert_eq!(c(md).text, "Hello world https://e.example");
}
