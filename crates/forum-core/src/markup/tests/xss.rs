//! The sanitiser against XSS vectors: hand-picked ones and four public corpora.

use super::*;

#[test]
fn handpicked_xss_vectors_are_neutralised() {
    let vectors = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](<javascript:alert(1)>)",
        "[x](java\tscript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=alert(1)>",
        "<a href=\"java&#x09;script:alert(1)\">x</a>",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[x]",
        "![x](\"onerror=\"alert(1))",
        "[x](https://e.example \"title\\\" onmouseover=\\\"alert(1)\")",
        "<iframe src=javascript:alert(1)>",
        "```\"><script>alert(1)</script>\nx\n```",
        "<style>*{x:expression(alert(1))}</style>",
    ];
    for v in vectors {
        assert_safe_both(v);
        let out = html(v);
        // Nothing the user typed survives as a tag: only escaped text or
        // links whose dangerous href was dropped.
        assert!(
            !out.contains("href=\"javascript") && !out.contains("src=\"data"),
            "{v}: {out}"
        );
    }
    assert_eq!(
        html("[x](javascript:alert(1))"),
        "<p><a rel=\"noopener noreferrer ugc\">x</a></p>\n"
    );
    assert_eq!(
        html("<script>alert(1)</script>"),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    );
}

/// Set to `1` to let the corpus tests pass without their data sets (each says SKIPPED on
/// stderr); without it a missing data set fails the test, so a run with nothing checked cannot
/// pass for a sanitiser test.
const ALLOW_MISSING: &str = "FORUM_ALLOW_MISSING_DATASETS";

/// Read one corpus file from `FORUM_DATASETS_DIR` (default: `shared/datasets` beside the
/// checkout). A missing file fails the test, unless [`ALLOW_MISSING`] is `1`
/// (then `None`, loudly); a file that is there but unreadable always fails.
fn corpus(name: &str) -> Option<serde_json::Value> {
    let root = std::env::var("FORUM_DATASETS_DIR")
        .unwrap_or_else(|_| format!("{}/../../../shared/datasets", env!("CARGO_MANIFEST_DIR")));
    let path = format!("{root}/xss-sanitizer-vectors/{name}");
    if !std::path::Path::new(&path).is_file() {
        let why = format!(
            "XSS corpus {name} not found at {path}: set FORUM_DATASETS_DIR to the data sets \
             (default: shared/datasets beside the checkout), or {ALLOW_MISSING}=1 to skip"
        );
        if std::env::var(ALLOW_MISSING).as_deref() == Ok("1") {
            eprintln!("SKIPPED ({ALLOW_MISSING}=1): {why}");
            return None;
        }
        panic!("{why}");
    }
    let bytes = if path.ends_with(".gz") {
        let out = std::process::Command::new("gzip")
            .arg("-dc")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("run gzip for {path}: {e}"));
        assert!(out.status.success(), "gzip -dc {path} failed: {out:?}");
        out.stdout
    } else {
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
    };
    Some(serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{path} is not JSON: {e}")))
}

/// Run every vector of a corpus (the given field of each object) through
/// cook(), bare and inside a few Markdown contexts; returns how many ran.
fn run_corpus(name: &str, field: &str) -> usize {
    let Some(json) = corpus(name) else { return 0 };
    let items = json.as_array().unwrap();
    assert!(!items.is_empty(), "{name} is empty");
    for item in items {
        let v = item[field].as_str().unwrap();
        assert_safe_both(v);
        assert_safe_both(&format!("[x]({v})"));
        assert_safe_both(&format!("![x]({v})"));
        assert_safe_both(&format!("* {v}\n\n> {v}\n\n| {v} |\n|--|\n| {v} |\n"));
    }
    items.len()
}

#[test]
fn owasp_filter_evasion_vectors_are_safe() {
    let n = run_corpus("owasp-xss-filter-evasion-vectors.json", "vector");
    println!("owasp vectors: {n}");
}

#[test]
fn bleach_vectors_are_safe() {
    let n = run_corpus("bleach-xss-data.json", "input");
    println!("bleach vectors: {n}");
}

#[test]
fn html5lib_sanitizer_vectors_are_safe() {
    let n = run_corpus("html5lib-sanitizer-tests1.json", "input");
    println!("html5lib vectors: {n}");
}

#[test]
fn dompurify_vectors_are_safe() {
    let n = run_corpus("dompurify-expect.json.gz", "payload");
    println!("dompurify vectors: {n}");
}
