//! Behavioural tests for the whole crate (index + query language + snippets).

use std::fs;

use crate::index::VERSION_FILE;
use crate::query::{parse, Clause};
use crate::{SearchDoc, SearchError, SearchIndex, SearchQuery, SortOrder};

fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        thread_id: id,
        title: title.into(),
        body: body.into(),
        tags: vec![],
        category: "general".into(),
        author: "alice".into(),
        solved: false,
        answer_count: 1,
        score: 0,
        created_at: 1_000 + id,
    }
}

fn ids(idx: &SearchIndex, text: &str) -> Vec<i64> {
    ids_sorted(idx, text, SortOrder::Relevance)
}

fn ids_sorted(idx: &SearchIndex, text: &str, sort: SortOrder) -> Vec<i64> {
    let q = SearchQuery { text: text.into(), sort, offset: 0, limit: 100 };
    let mut v: Vec<i64> = idx.search(&q).unwrap().hits.iter().map(|h| h.thread_id).collect();
    if sort == SortOrder::Relevance {
        v.sort_unstable();
    }
    v
}

fn sample() -> SearchIndex {
    let idx = SearchIndex::in_memory().unwrap();
    let mut a = doc(1, "Printer crashes on startup", "The driver crashes when I press print.");
    a.tags = vec!["Hardware".into(), "printing".into()];
    a.category = "devices".into();
    a.solved = true;
    a.score = 5;
    let mut b = doc(2, "Billing question", "I was charged twice for the startup plan.");
    b.tags = vec!["billing".into()];
    b.category = "billing".into();
    b.author = "Bob".into();
    b.answer_count = 0;
    b.score = 10;
    let mut c = doc(3, "Login loop", "Startup of the app loops on login; printer unrelated.");
    c.tags = vec!["auth".into()];
    c.score = -1;
    idx.upsert(&[a, b, c]).unwrap();
    idx
}

#[test]
fn types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<SearchIndex>();
}

#[test]
fn word_stem_and_conjunction() {
    let idx = sample();
    assert_eq!(idx.num_docs(), 3);
    assert_eq!(ids(&idx, "printer"), vec![1, 3]);
    assert_eq!(ids(&idx, "crash"), vec![1], "stemming: crash finds crashes");
    assert_eq!(ids(&idx, "CRASHING"), vec![1]);
    assert_eq!(ids(&idx, "printer login"), vec![3], "words are ANDed");
    assert!(ids(&idx, "nonexistentword").is_empty());
}

#[test]
fn phrase_and_exclusion() {
    let idx = sample();
    assert_eq!(ids(&idx, "\"charged twice\""), vec![2]);
    assert!(ids(&idx, "\"twice charged\"").is_empty(), "phrase order matters");
    assert_eq!(ids(&idx, "startup -printer"), vec![2]);
    assert_eq!(ids(&idx, "startup -\"press print\""), vec![2, 3]);
    assert_eq!(ids(&idx, "-login"), vec![1, 2], "exclusion alone filters everything");
}

#[test]
fn filters() {
    let idx = sample();
    assert_eq!(ids(&idx, "tag:hardware"), vec![1], "tags are lower-cased");
    assert_eq!(ids(&idx, "tag:Billing"), vec![2]);
    assert_eq!(ids(&idx, "category:billing"), vec![2]);
    assert_eq!(ids(&idx, "user:bob"), vec![2]);
    assert_eq!(ids(&idx, "user:alice startup"), vec![1, 3]);
    assert_eq!(ids(&idx, "is:solved"), vec![1]);
    assert_eq!(ids(&idx, "is:open"), vec![2, 3]);
    assert_eq!(ids(&idx, "is:unanswered"), vec![2]);
    assert_eq!(ids(&idx, "is:unanswered tag:billing"), vec![2]);
    assert!(ids(&idx, "is:unanswered tag:auth").is_empty());
    assert_eq!(ids(&idx, "-tag:auth startup"), vec![1, 2]);
    assert_eq!(ids(&idx, ""), vec![1, 2, 3], "empty query lists everything");
}

#[test]
fn unknown_prefix_and_syntax_chars_are_plain_text() {
    let idx = sample();
    assert_eq!(ids(&idx, "login:loop"), vec![3]);
    assert_eq!(ids(&idx, "is:whatever"), Vec::<i64>::new());
    // tantivy query syntax must not cause errors
    for q in ["title:(foo AND", "a^2 [1 TO", "\"unterminated", "*:*", "-", "(((", "\\"] {
        let r = idx.search(&SearchQuery { text: q.into(), limit: 10, ..Default::default() });
        assert!(r.is_ok(), "query {q:?} failed: {r:?}");
    }
}

#[test]
fn title_is_boosted_over_body() {
    let idx = SearchIndex::in_memory().unwrap();
    idx.upsert(&[
        doc(1, "Something else", "we talk about kernels here and there"),
        doc(2, "Kernel panic", "we talk about something here and there"),
    ])
    .unwrap();
    let q = SearchQuery { text: "kernel".into(), limit: 10, ..Default::default() };
    let r = idx.search(&q).unwrap();
    assert_eq!(r.hits[0].thread_id, 2);
    assert!(r.hits[0].score > r.hits[1].score);
}

#[test]
fn sorts() {
    let idx = sample();
    assert_eq!(ids_sorted(&idx, "startup", SortOrder::Newest), vec![3, 2, 1]);
    assert_eq!(ids_sorted(&idx, "startup", SortOrder::Votes), vec![2, 1, 3]);
    assert_eq!(ids_sorted(&idx, "is:open", SortOrder::Votes), vec![2, 3]);
    let q = SearchQuery { text: "tag:auth".into(), limit: 5, ..Default::default() };
    assert_eq!(idx.search(&q).unwrap().hits[0].score, 0.0);
}

#[test]
fn pagination_total_and_clamping() {
    let idx = SearchIndex::in_memory().unwrap();
    let docs: Vec<_> = (1..=120).map(|i| doc(i, "Page test", "common words")).collect();
    idx.upsert(&docs).unwrap();
    let mut q = SearchQuery { text: "common".into(), sort: SortOrder::Newest, offset: 10, limit: 5 };
    let r = idx.search(&q).unwrap();
    assert_eq!(r.total, 120);
    assert_eq!(r.hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(), vec![110, 109, 108, 107, 106]);
    q.offset = 118;
    assert_eq!(idx.search(&q).unwrap().hits.len(), 2);
    q.offset = 1_000_000; // clamped to 10 000, beyond the end
    let r = idx.search(&q).unwrap();
    assert!(r.hits.is_empty());
    assert_eq!(r.total, 120);
    q.offset = 0;
    q.limit = 0;
    assert_eq!(idx.search(&q).unwrap().hits.len(), 1, "limit 0 clamps to 1");
    q.limit = 1_000;
    assert_eq!(idx.search(&q).unwrap().hits.len(), 100, "limit clamps to 100");
}

#[test]
fn upsert_replaces_delete_and_clear() {
    let idx = sample();
    idx.upsert(&[doc(1, "Scanner jams", "paper is stuck")]).unwrap();
    assert_eq!(idx.num_docs(), 3);
    assert!(ids(&idx, "crash").is_empty(), "old version gone");
    assert_eq!(ids(&idx, "scanner"), vec![1]);
    idx.upsert(&[doc(7, "dup one", "x"), doc(7, "dup two", "x")]).unwrap();
    assert_eq!(ids(&idx, "dup"), vec![7], "last one in a batch wins");
    let r = idx.search(&SearchQuery { text: "dup".into(), limit: 10, ..Default::default() });
    assert_eq!(r.unwrap().hits[0].title, "dup two");
    idx.delete(&[1, 7]).unwrap();
    assert!(ids(&idx, "scanner").is_empty());
    assert_eq!(idx.num_docs(), 2);
    idx.clear().unwrap();
    assert_eq!(idx.num_docs(), 0);
    assert!(ids(&idx, "").is_empty());
}

#[test]
fn open_reopen_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    {
        let idx = SearchIndex::open(dir.path()).unwrap();
        assert!(idx.needs_rebuild(), "fresh index must be filled from the DB");
        idx.upsert(&[doc(1, "Persistent thread", "kept on disk")]).unwrap();
    }
    {
        let idx = SearchIndex::open(dir.path()).unwrap();
        assert!(!idx.needs_rebuild());
        assert_eq!(idx.num_docs(), 1);
        assert_eq!(ids(&idx, "persistent"), vec![1]);
    }
    fs::write(dir.path().join(VERSION_FILE), "0\n").unwrap();
    let idx = SearchIndex::open(dir.path()).unwrap();
    assert!(idx.needs_rebuild(), "version mismatch must request a rebuild");
    assert_eq!(idx.num_docs(), 0, "old index wiped");
    assert_eq!(idx.index().schema().fields().count(), 10);
}

#[test]
fn query_limits() {
    let idx = sample();
    let long = SearchQuery { text: "a".repeat(501), limit: 10, ..Default::default() };
    assert!(matches!(idx.search(&long), Err(SearchError::InvalidQuery(_))));
    let ok = SearchQuery { text: "a".repeat(500), limit: 10, ..Default::default() };
    assert!(idx.search(&ok).is_ok());
    let many = vec!["w"; 33].join(" ");
    let err = idx.search(&SearchQuery { text: many, limit: 10, ..Default::default() });
    assert!(matches!(err, Err(SearchError::InvalidQuery(m)) if m.contains("32")));
    assert!(parse(&vec!["w"; 32].join(" ")).is_ok());
}

#[test]
fn parse_clauses() {
    let p = parse(r#"foo -"a b" tag:Rust is:solved -user:x cat:y"#).unwrap();
    assert_eq!(
        p,
        vec![
            (false, Clause::Text("foo".into())),
            (true, Clause::Phrase("a b".into())),
            (false, Clause::Tag("rust".into())),
            (false, Clause::Solved),
            (true, Clause::User("x".into())),
            (false, Clause::Text("cat:y".into())),
        ]
    );
}

#[test]
fn sort_order_strings() {
    for s in [SortOrder::Relevance, SortOrder::Newest, SortOrder::Votes] {
        assert_eq!(s.as_str().parse::<SortOrder>().unwrap(), s);
    }
    assert_eq!(SortOrder::default(), SortOrder::Relevance);
    assert!("random".parse::<SortOrder>().is_err());
}

#[test]
fn snippets_highlight_and_escape() {
    let idx = SearchIndex::in_memory().unwrap();
    idx.upsert(&[doc(1, "XSS <b>title</b>", "Why does <script>alert(1)</script> crash the page & more?")])
        .unwrap();
    let q = SearchQuery { text: "crashes".into(), limit: 10, ..Default::default() };
    let hit = &idx.search(&q).unwrap().hits[0];
    let s = &hit.snippet_html;
    assert!(s.contains("<mark>crash</mark>"), "{s}");
    assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{s}");
    assert!(s.contains("&amp; more"), "{s}");
    assert!(!s.contains("<script>"), "{s}");
    assert_eq!(s.replace("<mark>", "").replace("</mark>", "").matches('<').count(), 0);
    assert_eq!(hit.title, "XSS <b>title</b>", "title is returned raw");
    // no text terms -> escaped start of body, no marks
    let q = SearchQuery { text: "user:alice".into(), limit: 10, ..Default::default() };
    let s = &idx.search(&q).unwrap().hits[0].snippet_html;
    assert!(s.starts_with("Why does &lt;script&gt;"), "{s}");
    assert!(!s.contains("<mark>"));
}
