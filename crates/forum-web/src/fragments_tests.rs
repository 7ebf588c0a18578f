use std::cell::Cell;
use std::convert::Infallible;

use super::*;

fn render_with<'a>(
    calls: &'a Cell<u32>,
    body: &str,
) -> impl FnOnce(&str) -> Result<String, Infallible> + use<'a> {
    let body = body.to_string();
    move |token: &str| {
        calls.set(calls.get() + 1);
        Ok(format!(
            "<form><input value=\"{token}\">{body}</form><i>{token}</i>"
        ))
    }
}

/// The fragment as a page would place it for a member with `csrf_token`.
fn to_html(frag: &Fragment, csrf_token: &str) -> String {
    let mut out = String::new();
    frag.write_into(&mut out, csrf_token);
    out
}

#[test]
fn an_equal_input_reuses_the_rendering_and_a_changed_one_does_not() {
    let f = Fragments::new(1 << 20);
    let calls = Cell::new(0);
    let a1 = f.get_or_render("post.html", &("post", 1, 5), render_with(&calls, "a"));
    let a2 = f.get_or_render("post.html", &("post", 1, 5), render_with(&calls, "a"));
    let (Ok(a1), Ok(a2)) = (a1, a2);
    assert!(Arc::ptr_eq(&a1, &a2));
    assert_eq!(calls.get(), 1);
    // A new score, or the same input through another template, renders again.
    let Ok(b) = f.get_or_render("post.html", &("post", 1, 6), render_with(&calls, "b"));
    let Ok(c) = f.get_or_render("row.html", &("post", 1, 5), render_with(&calls, "c"));
    assert_eq!(calls.get(), 3);
    assert!(!Arc::ptr_eq(&a1, &b) && !Arc::ptr_eq(&a1, &c));
    assert_eq!(f.usage().0, 3);
}

#[test]
fn the_viewer_token_replaces_every_placeholder_and_the_placeholder_never_leaks() {
    let f = Fragments::new(1 << 20);
    let calls = Cell::new(0);
    let Ok(frag) = f.get_or_render("post.html", &1, render_with(&calls, "x"));
    let html = to_html(&frag, "tok-member-1");
    assert_eq!(
        html,
        "<form><input value=\"tok-member-1\">x</form><i>tok-member-1</i>"
    );
    assert!(!html.contains(f.placeholder()));
    // The same stored fragment serves another member with their own token.
    assert_eq!(to_html(&frag, "T2").matches("T2").count(), 2);
    // Placeholders differ between processes (start-ups), so a post cannot spell one out.
    assert_ne!(Fragments::new(1).placeholder(), f.placeholder());
}

#[test]
fn memory_stays_within_the_budget_dropping_the_least_recently_used() {
    let body = "y".repeat(1000);
    let f = Fragments::new(3 * (1000 + 200));
    let calls = Cell::new(0);
    for id in 0..3 {
        let _ = f.get_or_render("p", &id, render_with(&calls, &body));
    }
    // Touch 0, so 1 is the least recently used when 3 arrives.
    let _ = f.get_or_render("p", &0, render_with(&calls, &body));
    let _ = f.get_or_render("p", &3, render_with(&calls, &body));
    let (entries, bytes) = f.usage();
    assert!(bytes <= 3 * 1200, "{bytes}");
    assert!(entries < 4, "{entries}");
    let before = calls.get();
    let _ = f.get_or_render("p", &0, render_with(&calls, &body));
    assert_eq!(calls.get(), before, "the recently used fragment was kept");
    let _ = f.get_or_render("p", &1, render_with(&calls, &body));
    assert_eq!(
        calls.get(),
        before + 1,
        "the least recently used fragment was dropped"
    );
}

#[test]
fn a_zero_budget_renders_every_time_and_keeps_nothing() {
    let f = Fragments::new(0);
    let calls = Cell::new(0);
    for _ in 0..3 {
        let Ok(frag) = f.get_or_render("p", &7, render_with(&calls, "z"));
        assert!(to_html(&frag, "t").contains('z'));
    }
    assert_eq!(calls.get(), 3);
    assert_eq!(f.usage(), (0, 0));
}

#[test]
fn a_failed_render_is_returned_and_not_stored() {
    let f = Fragments::new(1 << 20);
    let r: Result<_, &str> = f.get_or_render("p", &1, |_| Err("template broke"));
    assert_eq!(r.err(), Some("template broke"));
    assert_eq!(f.usage(), (0, 0));
}

#[test]
fn slots_are_spliced_where_their_markers_are_in_one_pass() {
    let f = Fragments::new(0);
    let (q, a) = (
        f.slot_marker("question_html"),
        f.slot_marker("answers_html"),
    );
    assert_ne!(q, a);
    assert!(q.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    let page = format!("<h1>T</h1>{q}<section>{a}</section><i>{q}</i>");
    let slots = vec![
        (a, "<p>A1</p><p>A2</p>".to_string()),
        (q, "<p>Q</p>".to_string()),
    ];
    assert_eq!(
        splice(&page, &slots),
        "<h1>T</h1><p>Q</p><section><p>A1</p><p>A2</p></section><i><p>Q</p></i>"
    );
    // A page without markers is left as it was.
    assert_eq!(splice("<p>plain</p>", &slots), "<p>plain</p>");
    // Markers differ between processes.
    assert_ne!(Fragments::new(0).slot_marker("x"), f.slot_marker("x"));
}
