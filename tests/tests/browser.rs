//! One real-browser pass over the whole loop (Chromium via chromedriver, thirtyfour):
//! register → ask → log out → register → answer → log out → log in → the bell shows the
//! answer, reading the notifications clears it → accept → "Solved".
//!
//! Skipped (with a SKIPPED line) when /usr/bin/chromedriver is missing, unless
//! FORUM_REQUIRE_BROWSER is set (CI sets it), in which case a missing driver is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use forum_e2e::{free_port, unique_word, Backend, ForumServer, PASSWORD};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(100);
const LOGOUT: &str = "form[action$='/logout'] button, form[action$='/logout'] [type=submit]";

/// Kills chromedriver (and with it the browser it started) when the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_chromedriver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {CHROMEDRIVER}: {e}"));
    let driver = Driver(child);
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port} within 20 s"
        );
        std::thread::sleep(POLL);
    }
    (driver, port)
}

async fn browser(port: u16, profile: &Path) -> WebDriverResult<WebDriver> {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM)?;
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ] {
        caps.add_arg(arg)?;
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display()))?;
    WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await
}

async fn wait_for(driver: &WebDriver, css: &str) -> WebDriverResult<WebElement> {
    driver
        .query(By::Css(css))
        .wait(WAIT, POLL)
        .desc(css)
        .first()
        .await
}

async fn fill(driver: &WebDriver, form: &str, name: &str, value: &str) -> WebDriverResult<()> {
    let field = wait_for(driver, &format!("{form} [name='{name}']")).await?;
    if field.tag_name().await?.eq_ignore_ascii_case("select") {
        SelectElement::new(&field)
            .await?
            .select_by_value(value)
            .await
    } else {
        field.clear().await?;
        field.send_keys(value).await
    }
}

async fn log_in(driver: &WebDriver, base: &str, user: &str) -> WebDriverResult<()> {
    driver.goto(format!("{base}/login")).await?;
    fill(driver, "#login-form", "login", user).await?;
    fill(driver, "#login-form", "password", PASSWORD).await?;
    wait_for(driver, "#login-submit").await?.click().await?;
    wait_for(driver, LOGOUT).await?;
    Ok(())
}

async fn register(driver: &WebDriver, base: &str, user: &str) -> WebDriverResult<()> {
    driver.goto(format!("{base}/register")).await?;
    fill(driver, "#register-form", "username", user).await?;
    fill(
        driver,
        "#register-form",
        "email",
        &format!("{user}@example.com"),
    )
    .await?;
    fill(driver, "#register-form", "password", PASSWORD).await?;
    wait_for(driver, "#register-submit").await?.click().await?;
    // Registration either logs the user in or sends them to the login form.
    let landed = driver
        .query(By::Css(LOGOUT))
        .or(By::Css("#login-form"))
        .wait(WAIT, POLL)
        .desc("logout button or login form after registering")
        .first()
        .await?;
    if landed.tag_name().await?.eq_ignore_ascii_case("form") {
        log_in(driver, base, user).await?;
    }
    Ok(())
}

async fn log_out(driver: &WebDriver) -> WebDriverResult<()> {
    wait_for(driver, LOGOUT).await?.click().await?;
    driver
        .query(By::Css(LOGOUT))
        .wait(WAIT, POLL)
        .desc("logged out")
        .wait_until_gone()
        .await?;
    wait_for(driver, "a[href^='/login']").await?;
    Ok(())
}

async fn scenario(driver: &WebDriver, base: &str) -> WebDriverResult<()> {
    let word = unique_word();
    register(driver, base, "user1").await?;
    driver.goto(format!("{base}/ask")).await?;
    fill(
        driver,
        "#ask-form",
        "title",
        &format!("Browser question about exports {word}"),
    )
    .await?;
    let log_line = "export job 4711: wrote 0 rows to report.csv ".repeat(8);
    let body = format!(
        "When I export a report the file is empty. The log says:\n\n```\n{log_line}\n```\n\nWhat am I missing? {word}"
    );
    fill(driver, "#ask-form", "body", &body).await?;
    fill(driver, "#ask-form", "category", "getting-started").await?;
    fill(driver, "#ask-form", "tags", "export").await?;
    wait_for(driver, "#ask-submit").await?.click().await?;
    wait_for(driver, "article.post").await?;
    let thread = driver.current_url().await?.to_string();
    assert!(
        thread.contains("/t/"),
        "after asking the browser is at {thread}"
    );
    log_out(driver).await?;

    register(driver, base, "user2").await?;
    driver.goto(thread.as_str()).await?;
    let answer = format!("Pick a date range first, then export again. {word}ans");
    fill(driver, "#answer-form", "body", &answer).await?;
    wait_for(driver, "#answer-submit").await?.click().await?;
    let xpath = format!("//article[contains(@class,'post') and contains(., '{word}ans')]");
    driver
        .query(By::XPath(xpath))
        .wait(WAIT, POLL)
        .desc("the new answer")
        .first()
        .await?;
    log_out(driver).await?;

    log_in(driver, base, "user1").await?;
    // The answer and the "First question" badge rang the asker's bell; reading the
    // notifications silences it.
    bell_shows(driver, 2).await?;
    wait_for(driver, ".notification-bell")
        .await?
        .click()
        .await?;
    let item = wait_for(driver, ".notification.is-unread").await?;
    assert!(item.text().await?.contains("answered your question"));
    wait_for(driver, "#mark-all-read").await?.click().await?;
    bell_shows(driver, 0).await?;
    driver.goto(thread.as_str()).await?;
    wait_for(driver, ".accept-button").await?.click().await?;
    let badge = wait_for(driver, ".badge-solved").await?;
    let text = badge.text().await?;
    assert!(text.contains("Solved"), ".badge-solved says {text:?}");
    let code = wait_for(driver, ".post-body pre").await?;
    let tabindex = code.attr("tabindex").await?;
    assert_eq!(
        tabindex.as_deref(),
        Some("0"),
        "a scrolling code block cannot take focus"
    );
    for width in [390, 1280] {
        header_focus_follows_reading_order(driver, base, width).await?;
    }
    log_out(driver).await?;
    champion_pages_on_a_phone(driver, base).await
}

/// Staff grant user2 a championship from the manage page; then, 375 px wide, the profile,
/// badges, champions, manage, impact and leaderboard pages fit the screen (nothing scrolls
/// sideways) and show what they are for.
async fn champion_pages_on_a_phone(driver: &WebDriver, base: &str) -> WebDriverResult<()> {
    log_in(driver, base, "boss").await?;
    driver.goto(format!("{base}/champions/manage")).await?;
    fill(driver, "form.champion-grant", "username", "user2").await?;
    wait_for(driver, "form.champion-grant input[name='perk_retag']")
        .await?
        .click()
        .await?;
    wait_for(driver, "form.champion-grant button[type='submit']")
        .await?
        .click()
        .await?;
    let impact = wait_for(driver, "a[href$='/impact']").await?;
    let impact_url = format!("{base}{}", impact.attr("href").await?.unwrap_or_default());
    driver.set_window_rect(0, 0, 375, 800).await?;
    for (path, marker) in [
        ("/u/user2".to_string(), "#reputation-chart"),
        ("/badges".to_string(), ".badge-list"),
        ("/badges/first_answer".to_string(), "#badge-recipients"),
        ("/champions".to_string(), "#champion-list"),
        ("/champions/manage".to_string(), "form.champion-grant"),
        (impact_url.replacen(base, "", 1), "#impact-stats"),
        ("/leaderboard?period=all".to_string(), "#leaderboard"),
    ] {
        driver.goto(format!("{base}{path}")).await?;
        wait_for(driver, marker).await?;
        let widths = driver
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                Vec::new(),
            )
            .await?;
        let w = widths.json().clone();
        let (scroll, inner) = (w[0].as_f64().unwrap_or(0.0), w[1].as_f64().unwrap_or(0.0));
        assert!(
            scroll <= inner + 1.0,
            "{path} scrolls sideways at 375 px: {scroll} > {inner}"
        );
    }
    driver.set_window_rect(0, 0, 1280, 900).await?;
    Ok(())
}

/// Waits until the header's bell shows `count` unread notifications.
async fn bell_shows(driver: &WebDriver, count: u32) -> WebDriverResult<()> {
    let xpath = format!("//span[@id='bell-count' and normalize-space(.)='{count}']");
    driver
        .query(By::XPath(xpath))
        .wait(WAIT, POLL)
        .desc("the bell's count")
        .first()
        .await?;
    Ok(())
}

/// Tabbing through the header must move the way the eye reads it (rows top to bottom, each
/// left to right): every focusable element is below the previous one or right of it.
async fn header_focus_follows_reading_order(
    driver: &WebDriver,
    base: &str,
    width: u32,
) -> WebDriverResult<()> {
    driver.set_window_rect(0, 0, width, 900).await?;
    driver.goto(format!("{base}/")).await?;
    wait_for(driver, ".site-header").await?;
    let script = r#"
        return Array.from(document.querySelectorAll(
            ".site-header a, .site-header button, .site-header input, .site-header select"))
          .filter(function (e) { return e.offsetParent !== null; })
          .map(function (e) {
            var r = e.getBoundingClientRect();
            return [e.textContent.trim() || e.id, r.top, r.bottom, r.left, r.right];
          });"#;
    let ret = driver.execute(script, Vec::new()).await?;
    let items = ret.json().as_array().cloned().unwrap_or_default();
    let rect = |v: &serde_json::Value, i: usize| v[i].as_f64().unwrap_or(0.0);
    assert!(
        items.len() >= 3,
        "at {width}px the header has too few focusable items to compare: {items:?}"
    );
    for pair in items.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let below = rect(b, 1) >= rect(a, 2) - 1.0;
        let same_row = rect(b, 1) < rect(a, 2) && rect(a, 1) < rect(b, 2);
        let right = same_row && rect(b, 3) >= rect(a, 4) - 1.0;
        assert!(
            below || right,
            "at {width}px the header focus goes from {a} to {b}, against the reading order"
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_answer_accept_in_a_real_browser() {
    if !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("FORUM_REQUIRE_BROWSER").is_none(),
            "FORUM_REQUIRE_BROWSER is set but {CHROMEDRIVER} is missing (apt-get install chromium-driver)"
        );
        println!("SKIPPED ask_answer_accept_in_a_real_browser: {CHROMEDRIVER} not installed");
        return;
    }
    let server = tokio::task::block_in_place(|| {
        let server = ForumServer::start_seeded(Backend::Sqlite);
        server.create_user("boss", "staff", PASSWORD);
        server
    });
    let (_chromedriver, port) = tokio::task::block_in_place(start_chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let driver = browser(port, profile.path())
        .await
        .expect("start a Chromium session");
    let result = scenario(&driver, &server.base_url).await;
    if result.is_err() {
        if let Ok(source) = driver.source().await {
            eprintln!(
                "--- page at failure ---\n{}",
                forum_e2e::html::excerpt(&source, 2000)
            );
        }
        eprintln!("--- server log ---\n{}", server.log_tail(40));
    }
    let _ = driver.quit().await;
    result.expect("browser scenario");
}
