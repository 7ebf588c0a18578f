//! Behavioural tests for the whole crate (index + query language + snippets).

use crate::query::{parse, Clause};
use crate::{SearchDoc, SearchError, SearchIndex, SearchQuery, SortOrder};

pub(crate) fn doc(id: i64, title: &str, body: &str) -> SearchDoc {
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

pub(crate) fn ids(idx: &SearchIndex, text: &str) -> Vec<i64> {
    ids_sorted(idx, text, SortOrder::Relevance)
}

pub(crate) fn ids_sorted(idx: &SearchIndex, text: &str, sort: SortOrder) -> Vec<i64> {
    let q = SearchQuery {
        text: text.into(),
        sort,
        offset: 0,
        limit: 100,
    };
    let mut v: Vec<i64> = idx
        .search(&q)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.thread_id)
        .collect();
    if sort == SortOrder::Relevance {
        v.sort_unstable();
    }
    v
}

pub(crate) fn sample() -> SearchIndex {
    let idx = SearchIndex::in_memory().unwrap();
    let mut a = doc(
        1,
        "Printer crashes on startup",
        "The driver crashes when I press print.",
    );
    a.tags = vec!["Hardware".into(), "printing".into()];
    a.category = "devices".into();
    a.solved = true;
    a.score = 5;
    let mut b = doc(
        2,
        "Billing question",
        "I was charged twice for the startup plan.",
    );
    b.tags = vec!["billing".into()];
    b.category = "billing".into();
    b.author = "Bob".into();
    b.answer_count = 0;
    b.score = 10;
    let mut c = doc(
        3,
        "Login loop",
        "Startup of the app loops on login; printer unrelated.",
    );
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
    assert!(
        ids(&idx, "\"twice charged\"").is_empty(),
        "phrase order matters"
    );
    assert_eq!(ids(&idx, "startup -printer"), vec![2]);
    assert_eq!(ids(&idx, "startup -\"press print\""), vec![2, 3]);
    assert_eq!(
        ids(&idx, "-login"),
        vec![1, 2],
        "exclusion alone filters everything"
    );
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
    for q in [
        "title:(foo AND",
        "a^2 [1 TO",
        "\"unterminated",
        "*:*",
        "-",
        "(((",
        "\\",
    ] {
        let r = idx.search(&SearchQuery {
            text: q.into(),
            limit: 10,
            ..Default::default()
        });
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
    let q = SearchQuery {
        text: "kernel".into(),
        limit: 10,
        ..Default::default()
    };
    let r = idx.search(&q).unwrap();
    assert_eq!(r.hits[0].thread_id, 2);
    assert!(r.hits[0].score > r.hits[1].score);
}

#[test]
fn query_limits() {
    let idx = sample();
    let long = SearchQuery {
        text: "a".repeat(501),
        limit: 10,
        ..Default::default()
    };
    assert!(matches!(
        idx.search(&long),
        Err(SearchError::InvalidQuery(_))
    ));
    let ok = SearchQuery {
        text: "a".repeat(500),
        limit: 10,
        ..Default::default()
    };
    assert!(idx.search(&ok).is_ok());
    let many = vec!["w"; 33].join(" ");
    let err = idx.search(&SearchQuery {
        text: many,
        limit: 10,
        ..Default::default()
    });
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

/// Phrases and exclusions across several segments, checked against a brute-force oracle.
#[test]
fn phrases_filters_and_exclusions_across_segments() {
    let idx = SearchIndex::in_memory().unwrap();
    let mut all = Vec::new();
    for batch in 0..4 {
        let docs: Vec<_> = (0..25)
            .map(|i| {
                let id = batch * 25 + i;
                let body = match id % 3 {
                    0 => "alpha beta gamma",
                    1 => "beta alpha gamma",
                    _ => "alpha delta beta",
                };
                let mut d = doc(id, "t", body);
                d.tags = vec![if id % 2 == 0 { "even" } else { "odd" }.into()];
                d
            })
            .collect();
        idx.upsert(&docs).unwrap();
        all.extend(docs);
    }
    let oracle = |pred: &dyn Fn(&SearchDoc) -> bool| -> Vec<i64> {
        all.iter()
            .filter(|d| pred(d))
            .map(|d| d.thread_id)
            .collect()
    };
    let phrase = |d: &SearchDoc| d.body.contains("alpha beta");
    let even = |d: &SearchDoc| d.tags[0] == "even";
    assert_eq!(ids(&idx, "\"alpha beta\""), oracle(&phrase));
    assert_eq!(ids(&idx, "-\"alpha beta\""), oracle(&|d| !phrase(d)));
    assert_eq!(
        ids(&idx, "\"alpha beta\" tag:even"),
        oracle(&|d| phrase(d) && even(d))
    );
    assert_eq!(
        ids(&idx, "gamma -\"alpha beta\" tag:odd"),
        oracle(&|d| d.body.contains("gamma") && !phrase(d) && !even(d))
    );
    assert_eq!(
        ids(&idx, "alpha -delta -tag:even"),
        oracle(&|d| !d.body.contains("delta") && !even(d))
    );
    assert_eq!(
        ids(&idx, "alpha-beta"),
        oracle(&phrase),
        "hyphenated word is a phrase"
    );
}
