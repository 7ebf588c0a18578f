//! Index lifecycle tests (sorting, paging, upsert/delete/clear, on-disk reopen) and snippets.

use std::fs;

use super::tests::{doc, ids, ids_sorted, sample};
use crate::index::VERSION_FILE;
use crate::{SearchIndex, SearchQuery, SortOrder};

#[test]
fn sorts() {
    let idx = sample();
    assert_eq!(
        ids_sorted(&idx, "startup", SortOrder::Newest),
        vec![3, 2, 1]
    );
    assert_eq!(ids_sorted(&idx, "startup", SortOrder::Votes), vec![2, 1, 3]);
    assert_eq!(ids_sorted(&idx, "is:open", SortOrder::Votes), vec![2, 3]);
    let q = SearchQuery {
        text: "tag:auth".into(),
        limit: 5,
        ..Default::default()
    };
    assert_eq!(idx.search(&q).unwrap().hits[0].score, 0.0);
}

#[test]
fn pagination_total_and_clamping() {
    let idx = SearchIndex::in_memory().unwrap();
    let docs: Vec<_> = (1..=120)
        .map(|i| doc(i, "Page test", "common words"))
        .collect();
    idx.upsert(&docs).unwrap();
    let mut q = SearchQuery {
        text: "common".into(),
        sort: SortOrder::Newest,
        offset: 10,
        limit: 5,
    };
    let r = idx.search(&q).unwrap();
    assert_eq!(r.total, 120);
    assert_eq!(
        r.hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
        vec![110, 109, 108, 107, 106]
    );
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
    assert_eq!(
        idx.search(&q).unwrap().hits.len(),
        100,
        "limit clamps to 100"
    );
}

#[test]
fn upsert_replaces_delete_and_clear() {
    let idx = sample();
    idx.upsert(&[doc(1, "Scanner jams", "paper is stuck")])
        .unwrap();
    assert_eq!(idx.num_docs(), 3);
    assert!(ids(&idx, "crash").is_empty(), "old version gone");
    assert_eq!(ids(&idx, "scanner"), vec![1]);
    idx.upsert(&[doc(7, "dup one", "x"), doc(7, "dup two", "x")])
        .unwrap();
    assert_eq!(ids(&idx, "dup"), vec![7], "last one in a batch wins");
    let r = idx.search(&SearchQuery {
        text: "dup".into(),
        limit: 10,
        ..Default::default()
    });
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
        assert!(
            idx.needs_rebuild(),
            "fresh index must be filled from the DB"
        );
        idx.upsert(&[doc(1, "Persistent thread", "kept on disk")])
            .unwrap();
    }
    {
        let idx = SearchIndex::open(dir.path()).unwrap();
        assert!(!idx.needs_rebuild());
        assert_eq!(idx.num_docs(), 1);
        assert_eq!(ids(&idx, "persistent"), vec![1]);
    }
    fs::write(dir.path().join(VERSION_FILE), "0\n").unwrap();
    let idx = SearchIndex::open(dir.path()).unwrap();
    assert!(
        idx.needs_rebuild(),
        "version mismatch must request a rebuild"
    );
    assert_eq!(idx.num_docs(), 0, "old index wiped");
    assert!(ids(&idx, "persistent").is_empty());
}

#[test]
fn snippets_highlight_and_escape() {
    let idx = SearchIndex::in_memory().unwrap();
    idx.upsert(&[doc(
        1,
        "XSS <b>title</b>",
        "Why does <script>alert(1)</script> crash the page & more?",
    )])
    .unwrap();
    let q = SearchQuery {
        text: "crashes".into(),
        limit: 10,
        ..Default::default()
    };
    let hit = &idx.search(&q).unwrap().hits[0];
    let s = &hit.snippet_html;
    assert!(s.contains("<mark>crash</mark>"), "{s}");
    assert!(s.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{s}");
    assert!(s.contains("&amp; more"), "{s}");
    assert!(!s.contains("<script>"), "{s}");
    assert_eq!(
        s.replace("<mark>", "")
            .replace("</mark>", "")
            .matches('<')
            .count(),
        0
    );
    assert_eq!(hit.title, "XSS <b>title</b>", "title is returned raw");
    // no text terms -> escaped start of body, no marks
    let q = SearchQuery {
        text: "user:alice".into(),
        limit: 10,
        ..Default::default()
    };
    let s = &idx.search(&q).unwrap().hits[0].snippet_html;
    assert!(s.starts_with("Why does &lt;script&gt;"), "{s}");
    assert!(!s.contains("<mark>"));
}

#[test]
fn snippets_come_from_the_start_of_long_threads() {
    use crate::doc::{snippet_source, SNIPPET_SOURCE_CHARS};
    let idx = SearchIndex::in_memory().unwrap();
    let filler = "lorem ipsum dolor sit amet ".repeat(2_000); // 54,000 characters
    let body = format!("The exporter crashes on large files. {filler} Later the gateway timeouts.");
    idx.upsert(&[doc(7, "Exporter crash", &body)]).unwrap();
    // A match near the start is highlighted.
    let q = |text: &str| SearchQuery {
        text: text.into(),
        limit: 5,
        ..Default::default()
    };
    let hit = &idx.search(&q("crashes")).unwrap().hits[0];
    assert!(
        hit.snippet_html.contains("<mark>crashes</mark>"),
        "{}",
        hit.snippet_html
    );
    // A match beyond the stored start still finds the thread; its snippet is the start.
    let hits = idx.search(&q("gateway")).unwrap().hits;
    assert_eq!(
        hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
        vec![7]
    );
    assert!(hits[0].snippet_html.starts_with("The exporter crashes"));
    assert!(!hits[0].snippet_html.contains("<mark>"));
    // The stored start is bounded and cut after a word.
    let kept = snippet_source(&body);
    assert!(kept.chars().count() <= SNIPPET_SOURCE_CHARS);
    assert!(kept.chars().count() > SNIPPET_SOURCE_CHARS - 20);
    assert!(body[kept.len()..].starts_with(char::is_whitespace));
    assert_eq!(snippet_source("short body"), "short body");
}
