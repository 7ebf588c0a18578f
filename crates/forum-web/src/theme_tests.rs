//! The default theme's forms: errors tied to their fields, all of them listed, and the title.

use serde_json::json;
use tera::Context;

use super::*;

fn theme() -> Theme {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes");
    Theme::load(&dir, "default").unwrap()
}

/// What `Page::new` gives every page, plus `extra`.
fn context(title: &str, extra: serde_json::Value) -> Context {
    let mut base = json!({
        "site": {"name": "Site", "description": "", "base_url": "http://x"},
        "current_user": null,
        "csrf_token": "t",
        "page_title": title,
        "canonical_url": null,
        "asset_version": "1",
        "form_errors": {},
    });
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    Context::from_value(base).unwrap()
}

fn ask(extra: serde_json::Value) -> String {
    let mut ctx = context(
        "Ask a question",
        json!({
            "form": {"title": "", "body": "", "category": "", "tags": ""},
            "error": null,
            "categories": [],
        }),
    );
    for (k, v) in extra.as_object().unwrap() {
        ctx.insert(k, v);
    }
    titled(&mut ctx, "Ask a question");
    theme().tera.render("ask.html", &ctx).unwrap()
}

/// What `Page::render` adds: the document title (marked when the page shows errors) and the
/// header's slot.
fn titled(ctx: &mut Context, page_title: &str) {
    let shows = |key: &str| {
        ctx.get(key)
            .is_some_and(|v| !v.is_null() && v != &json!({}) && v != &json!(""))
    };
    let has_errors = shows("error") || shows("form_errors");
    ctx.insert(
        "html_title",
        &crate::pages::html_title(page_title, "Site", has_errors),
    );
    ctx.insert("header_html", "");
}

fn title(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + 7;
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[test]
fn a_form_without_errors_is_not_marked() {
    let html = ask(json!({}));
    assert_eq!(title(&html), "Ask a question · Site");
    assert!(!html.contains("aria-invalid"));
    assert!(!html.contains("role=\"alert\""));
}

#[test]
fn field_errors_are_tied_to_their_fields_and_all_listed() {
    let html = ask(json!({"form_errors": {
        "title": "Say what the problem is in the title.",
        "body": "Describe what you tried.",
    }}));
    assert_eq!(title(&html), "Error: Ask a question · Site");
    assert!(html.contains("There are 2 problems"));
    for (field, message) in [
        ("title", "Say what the problem is in the title."),
        ("body", "Describe what you tried."),
    ] {
        let error = format!("<p class=\"field-error\" id=\"ask-{field}-error\">{message}</p>");
        assert!(html.contains(&error), "{field}: no error element");
        let described = format!("aria-describedby=\"ask-{field}-hint ask-{field}-error\"");
        assert!(
            html.contains(&described),
            "{field}: not described by its error"
        );
        let link = format!("<a href=\"#ask-{field}\">{message}</a>");
        assert!(html.contains(&link), "{field}: not in the summary");
    }
    assert_eq!(html.matches("aria-invalid=\"true\"").count(), 2);
}

#[test]
fn a_single_error_stays_at_the_top_of_the_form() {
    let html = ask(json!({"error": "That category does not exist."}));
    assert_eq!(title(&html), "Error: Ask a question · Site");
    assert!(html.contains("id=\"ask-errors\">That category does not exist.</div>"));
    assert!(!html.contains("aria-invalid"));
}

#[test]
fn sign_in_and_registration_fields_carry_their_errors() {
    let t = theme();
    let ctx = context(
        "Create an account",
        json!({
            "form": {"username": "x", "email": "", "next": "/ask"},
            "error": null,
            "login_url": "/login?next=%2Fask",
            "form_errors": {"username": "That username is taken."},
        }),
    );
    let mut ctx = ctx;
    titled(&mut ctx, "Create an account");
    let html = t.tera.render("register.html", &ctx).unwrap();
    assert!(html.contains(
        "aria-describedby=\"register-username-hint register-username-error\" aria-invalid=\"true\""
    ));
    assert!(html.contains("name=\"next\" value=\"/ask\""));
    let ctx = context(
        "Sign in",
        json!({
            "form": {"login": "x", "next": "/"},
            "error": null,
            "register_url": "/register",
            "form_errors": {"password": "Wrong password."},
        }),
    );
    let mut ctx = ctx;
    titled(&mut ctx, "Sign in");
    let html = t.tera.render("login.html", &ctx).unwrap();
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"login-password-error\""));
    assert_eq!(title(&html), "Error: Sign in · Site");
}

#[test]
fn asset_version_covers_nested_static_files() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("img");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(dir.path().join("app.css"), "body{}").unwrap();
    std::fs::write(nested.join("logo.svg"), "<svg/>").unwrap();
    let dirs = vec![dir.path().to_path_buf()];
    let before = super::hash_static(&dirs);
    std::fs::write(nested.join("logo.svg"), "<svg></svg>").unwrap();
    let after = super::hash_static(&dirs);
    assert_ne!(
        before, after,
        "a change in a nested static file changes the version"
    );
    assert_eq!(
        after,
        super::hash_static(&dirs),
        "stable while nothing changes"
    );
}

#[test]
fn escaping_keeps_slashes_and_escapes_the_five() {
    assert_eq!(
        super::escape_html(r#"<a href="/x?a=1&b='2'">"#),
        "&lt;a href=&quot;/x?a=1&amp;b=&#x27;2&#x27;&quot;&gt;"
    );
}
