//! HTTP-level behaviour: health, security headers, cookies, caching, gzip, rate limits, SIGTERM.

use forum_e2e::{html, Backend, ForumServer, PASSWORD};

forum_e2e::on_both_backends!(headers_cookies_assets_gzip, rate_limits, access_log_policy);

fn headers_cookies_assets_gzip(backend: Backend) {
    let mut server = ForumServer::start_seeded(backend);
    let mut anon = server.client();
    let health = anon.get("/healthz");
    health.expect_status(200, "healthz");
    let json = health.json();
    assert_eq!(json["status"], "ok");
    let db = if backend == Backend::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    assert_eq!(json["database"], db, "healthz database");

    let home = anon.get("/");
    home.expect_status(200, "home");
    let csp = home
        .header("content-security-policy")
        .expect("Content-Security-Policy header");
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{name} ")))
            .map(str::to_string)
    };
    let script = directive("script-src").or_else(|| directive("default-src"));
    let script = script.unwrap_or_else(|| panic!("CSP has no script-src/default-src: {csp}"));
    assert!(
        !script.contains("'unsafe-inline'"),
        "CSP allows inline scripts: {csp}"
    );
    assert!(
        directive("frame-ancestors").is_some(),
        "CSP lacks frame-ancestors: {csp}"
    );
    assert_eq!(
        home.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert!(
        home.header("referrer-policy").is_some(),
        "no Referrer-Policy"
    );

    let mut bob = server.client();
    bob.register("bob", PASSWORD);
    bob.logout().expect_see_other("logout");
    assert!(!bob.logged_in(), "still logged in after logout");
    let login = bob.login("bob", PASSWORD);
    login.expect_see_other("login");
    let cookies = login.header_all("set-cookie");
    assert!(!cookies.is_empty(), "login set no cookie");
    let named: Vec<&String> = cookies
        .iter()
        .filter(|c| c.to_lowercase().contains("session"))
        .collect();
    let session = if named.is_empty() {
        cookies.iter().collect()
    } else {
        named
    };
    for cookie in session {
        let lower = cookie.to_lowercase();
        assert!(
            lower.contains("httponly"),
            "session cookie not HttpOnly: {cookie}"
        );
        assert!(
            lower.contains("samesite=lax"),
            "session cookie not SameSite=Lax: {cookie}"
        );
    }

    let assets: Vec<String> = ["link", "script"]
        .iter()
        .flat_map(|t| html::open_tags(&home.body, t))
        .filter_map(|t| html::attr(t, "href").or_else(|| html::attr(t, "src")))
        .filter(|u| u.starts_with("/static/"))
        .collect();
    let asset = assets
        .first()
        .unwrap_or_else(|| panic!("home links no /static/ asset"));
    let page = anon.get(asset);
    page.expect_status(200, "static asset");
    let cache = page.header("cache-control").unwrap_or_default();
    let max_age = cache
        .split(',')
        .find_map(|d| d.trim().strip_prefix("max-age=")?.parse::<u64>().ok());
    assert!(
        max_age.is_some_and(|a| a > 0),
        "{asset}: Cache-Control {cache:?} has no max-age"
    );

    let gz = anon.get_with_headers("/", &[("accept-encoding", "gzip")]);
    gz.expect_status(200, "home with gzip");
    assert_eq!(
        gz.header("content-encoding").as_deref(),
        Some("gzip"),
        "page not gzipped"
    );
    assert!(
        gz.bytes.starts_with(&[0x1f, 0x8b]),
        "gzip body lacks the gzip magic"
    );
    let plain = anon.get("/");
    assert_ne!(
        plain.header("content-encoding").as_deref(),
        Some("gzip"),
        "gzip unasked"
    );

    let status = server
        .terminate()
        .expect("server did not stop within 10 s of SIGTERM");
    assert!(status.success(), "SIGTERM: server exited with {status}");
}

fn rate_limits(backend: Backend) {
    let env = [
        ("FORUM_LOGIN_PER_MINUTE", "3"),
        ("FORUM_REGISTER_PER_HOUR", "2"),
    ];
    let server = ForumServer::start_with(backend, &env);
    let mut mallory = server.client();
    let pages: Vec<_> = (0..5)
        .map(|_| mallory.login("nobody", "wrong-password-123"))
        .collect();
    let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
    assert_ne!(
        statuses[0], 429,
        "first bad login already rate limited: {statuses:?}"
    );
    assert_eq!(statuses[4], 429, "5 bad logins at 3/min: {statuses:?}");
    let limited = &pages[4];
    let retry = limited.header("retry-after").unwrap_or_default();
    assert!(
        retry.parse::<u64>().is_ok_and(|s| s > 0),
        "the 429 page has no Retry-After: {retry:?}"
    );
    assert!(
        limited
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/html"),
        "the sign-in 429 is not an HTML page"
    );

    let statuses: Vec<u16> = (0..3)
        .map(|i| {
            let mut reg = server.client();
            reg.get("/register");
            let (name, email) = (format!("user{i}"), format!("user{i}@example.com"));
            let fields = [
                ("username", name.as_str()),
                ("email", &email),
                ("password", PASSWORD),
            ];
            reg.post_form("/register", &fields).status
        })
        .collect();
    assert_eq!(statuses[0], 303, "first registration: {statuses:?}");
    assert_eq!(statuses[2], 429, "3 registrations at 2/hour: {statuses:?}");
}

/// Access log lines in the server's log so far.
fn access_lines(server: &ForumServer) -> Vec<String> {
    server
        .log_tail(10_000)
        .lines()
        .filter(|l| l.contains("forum_web::access"))
        .map(str::to_string)
        .collect()
}

fn access_log_policy(backend: Backend) {
    for (mode, sample, expected) in [
        ("all", "1", 5),
        ("all", "2", 3),
        ("errors", "1", 1),
        ("off", "1", 0),
    ] {
        let env = [
            ("RUST_LOG", "info"),
            ("FORUM_LOG_ACCESS", mode),
            ("FORUM_LOG_ACCESS_SAMPLE", sample),
        ];
        let server = ForumServer::start_with(backend, &env);
        let before = access_lines(&server).len();
        let mut anon = server.client();
        for _ in 0..4 {
            anon.get("/").expect_status(200, "home");
        }
        anon.get("/no-such-page")
            .expect_status(404, "a missing page");
        let lines = access_lines(&server);
        let new = &lines[before.min(lines.len())..];
        // Health checks during start-up are successes too; count only this test's requests.
        let ours: Vec<&String> = new.iter().filter(|l| !l.contains("/healthz")).collect();
        assert_eq!(
            ours.len(),
            expected,
            "access={mode} sample={sample}: {ours:#?}"
        );
        if mode == "errors" {
            assert!(ours[0].contains("404"), "{}", ours[0]);
        }
        let log = server.log_tail(10_000);
        assert!(!log.contains('\u{1b}'), "colour codes in a log file: {log}");
    }
}
