//! Output stays bounded by input: expansion budgets and flattened nesting.

use super::*;

#[test]
fn output_is_bounded_by_input() {
    // Reference-link amplification: one long URL used many times.
    let url = format!("https://e.example/{}", "a".repeat(2000));
    let md = format!("[r]: {url}\n\n{}", "[r]".repeat(5000));
    let out = c(&md);
    assert!(
        out.html.len() < md.len() * 20,
        "{} vs {}",
        out.html.len(),
        md.len()
    );
    assert!(out.link_count < 20, "{}", out.link_count);
    // Same for images.
    let md = format!("[r]: {url}\n\n{}", "![r]".repeat(5000));
    let out = c(&md);
    assert!(
        out.html.len() < md.len() * 20,
        "{} vs {}",
        out.html.len(),
        md.len()
    );
    // Tables whose body rows are shorter than a wide header row.
    // pulldown-cmark pads them with empty cells; past a budget we drop
    // trailing empty cells.
    let md = format!(
        "{}\n{}\n{}",
        "|a".repeat(500),
        "|-".repeat(500),
        "x\n".repeat(5000)
    );
    let out = c(&md);
    assert!(
        out.html.len() < md.len() * 20,
        "{} vs {}",
        out.html.len(),
        md.len()
    );
    let md = format!(
        "{}\n{}\n{}",
        "|a".repeat(500),
        "|:-:".repeat(500),
        "x\n".repeat(5000)
    );
    let out = c(&md);
    assert!(
        out.html.len() < md.len() * 50,
        "{} vs {}",
        out.html.len(),
        md.len()
    );
    // Small tables keep their padding cells.
    assert_eq!(
        html("| a | b |\n|--|--|\n| x |\n"),
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody>\n\
         <tr><td>x</td><td></td></tr>\n</tbody></table>\n"
    );
    // Empty cells in the middle of a row stay in place.
    assert_eq!(
        html("| a | b | c |\n|--|--|--|\n| | | z |\n"),
        "<table><thead><tr><th>a</th><th>b</th><th>c</th></tr></thead><tbody>\n\
         <tr><td></td><td></td><td>z</td></tr>\n</tbody></table>\n"
    );
    // Many tiny constructs.
    for md in [
        "-\n".repeat(10000),
        ">".repeat(10000),
        "*a* ".repeat(5000),
        "http://a.b ".repeat(5000),
    ] {
        let out = c(&md);
        assert!(
            out.html.len() < md.len() * 20 + 100,
            "{} vs {}",
            out.html.len(),
            md.len()
        );
    }
}

#[test]
fn deep_nesting_is_flattened() {
    // html5ever is quadratic in nesting depth; we cap containers at 16.
    let out = html(&">".repeat(50_000));
    assert_eq!(out.matches("<blockquote>").count(), 16, "{out}");
    let out = html(&"1. ".repeat(50_000));
    assert_eq!(
        out.matches("<ol>").count() + out.matches("<ol ").count(),
        8,
        "{out}"
    );
    let out = html(&"> - ".repeat(50_000));
    assert_eq!(
        out.matches("<blockquote>").count() + out.matches("<ul>").count(),
        11,
        "{out}"
    );
    // Shallow nesting is untouched.
    assert_eq!(
        html(
            "> > - a
"
        ),
        "<blockquote>\n<blockquote>\n<ul>\n<li>a</li>\n</ul>\n</blockquote>\n</blockquote>\n"
    );
}
