//! A partial theme overrides the default theme file by file: `<theme_dir>/<active>/templates/X`
//! first, then `<theme_dir>/default/templates/X` (same for static files).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use forum_e2e::{html, repo_root, Backend, ForumServer};

const MARKER: &str = "Override theme footer";

fn static_assets(body: &str) -> Vec<String> {
    ["link", "script"]
        .iter()
        .flat_map(|t| html::open_tags(body, t))
        .filter_map(|t| html::attr(t, "href").or_else(|| html::attr(t, "src")))
        .filter(|u| u.starts_with("/static/"))
        .collect()
}

#[test]
fn override_theme_replaces_the_footer_and_falls_back_to_default() {
    let root = repo_root();
    let fixture = root.join("tests/fixtures/themes/override");
    assert!(
        fixture.join("templates").is_dir(),
        "fixture theme missing: {} (tests/fixtures/themes/override/templates)",
        fixture.display()
    );
    let themes = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root.join("themes/default"), themes.path().join("default")).unwrap();
    std::os::unix::fs::symlink(&fixture, themes.path().join("override")).unwrap();
    let theme_dir = themes.path().to_str().unwrap();

    let server = ForumServer::start_seeded_with(
        Backend::Sqlite,
        &[("FORUM_THEME_DIR", theme_dir), ("FORUM_THEME", "override")],
    );
    let mut client = server.client();
    let home = client.get("/");
    home.expect_status(200, "home with the override theme");
    assert!(
        home.body.contains(MARKER),
        "override footer missing: {}",
        home.short()
    );
    assert!(home.body.contains("<header"), "default header missing");
    assert!(home.body.contains("<nav"), "default nav missing");
    assert!(
        home.body.contains("href=\"/login"),
        "default nav has no login link"
    );
    assert!(
        !html::thread_links(&home.body).is_empty(),
        "home lists no seeded threads"
    );

    // A template the override does not have comes from the default theme.
    let login = client.get("/login");
    login.expect_status(200, "login page with the override theme");
    assert!(
        login.body.contains("id=\"login-form\""),
        "login form (default template) missing"
    );

    // So does a static file.
    for asset in static_assets(&home.body) {
        let page = client.get(&asset);
        page.expect_status(200, &format!("static {asset} through the override theme"));
    }

    // And the default theme alone does not carry the marker (so the check above means something).
    let plain = ForumServer::start_seeded(Backend::Sqlite);
    let page = plain.client().get("/");
    page.expect_status(200, "home with the default theme");
    assert!(
        !page.body.contains(MARKER),
        "the default theme already shows the override marker"
    );
    assert!(Path::new(theme_dir).join("override").exists());
}
