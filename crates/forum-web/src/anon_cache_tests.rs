use super::*;

const MIB: usize = 1024 * 1024;

fn page(len: usize) -> Bytes {
    Bytes::from(vec![b'x'; len])
}

#[test]
fn entries_expire_and_writes_invalidate() {
    let c = AnonCache::new(Duration::from_secs(60), MIB);
    let g = c.generation();
    c.put("/".into(), Bytes::from_static(b"<p>a</p>"), g);
    assert_eq!(c.get("/").as_deref(), Some(&b"<p>a</p>"[..]));
    c.invalidate();
    assert!(c.get("/").is_none(), "a write clears the cache");
    let stale = c.generation() - 1;
    c.put("/".into(), Bytes::from_static(b"<p>old</p>"), stale);
    assert!(
        c.get("/").is_none(),
        "a page rendered before a write is never served"
    );
    let off = AnonCache::new(Duration::ZERO, MIB);
    off.put("/".into(), Bytes::from_static(b"x"), off.generation());
    assert!(off.get("/").is_none());
    let no_room = AnonCache::new(Duration::from_secs(60), 0);
    no_room.put("/".into(), Bytes::from_static(b"x"), no_room.generation());
    assert!(no_room.get("/").is_none());
    let short = AnonCache::new(Duration::from_millis(1), MIB);
    short.put("/".into(), Bytes::from_static(b"x"), short.generation());
    std::thread::sleep(Duration::from_millis(5));
    assert!(short.get("/").is_none(), "entries expire");
    assert_eq!(short.bytes(), 0, "an expired entry is dropped when met");
}

#[test]
fn memory_stays_within_the_byte_budget() {
    let budget = 4 * MIB;
    let c = AnonCache::new(Duration::from_secs(60), budget);
    // 200 cache-busting variants of a 900 KB thread page would be ~180 MB unbounded.
    for i in 0..200 {
        c.put(format!("/t/big/1?x={i}"), page(900 * 1024), c.generation());
        assert!(c.bytes() <= budget, "after {i}: {} bytes", c.bytes());
    }
    assert!(c.get("/t/big/1?x=199").is_some(), "the newest page is kept");
    assert!(c.get("/t/big/1?x=0").is_none(), "the oldest went first");
    c.put("/huge".into(), page(budget + 1), c.generation());
    assert!(
        c.get("/huge").is_none(),
        "a page over the whole budget is not cached"
    );
    assert!(c.get("/t/big/1?x=199").is_some(), "and evicts nothing");
}

#[test]
fn stale_entries_are_evicted_before_fresh_ones() {
    let c = AnonCache::new(Duration::from_secs(60), MIB);
    c.put("/old".into(), page(600 * 1024), c.generation());
    c.invalidate();
    c.put("/fresh".into(), page(300 * 1024), c.generation());
    c.put("/newer".into(), page(300 * 1024), c.generation());
    assert!(c.get("/fresh").is_some() && c.get("/newer").is_some());
    assert!(c.bytes() < 700 * 1024, "the invalidated page was dropped");
}

#[test]
fn replacing_a_key_does_not_count_it_twice() {
    let c = AnonCache::new(Duration::from_secs(60), MIB);
    for _ in 0..10 {
        c.put("/".into(), page(1000), c.generation());
    }
    assert_eq!(c.bytes(), 1 + 1000 + ENTRY_OVERHEAD);
}

#[test]
fn keys_name_the_page_not_the_url_as_typed() {
    assert_eq!(canonical_key("/t/a/1", ""), "/t/a/1");
    assert_eq!(canonical_key("/t/a/1", "x=1"), "/t/a/1");
    assert_eq!(canonical_key("/t/a/1", "utm_source=x&fbclid=y"), "/t/a/1");
    assert_eq!(
        canonical_key("/", "page=2&tab=solved"),
        "/?tab=solved&page=2"
    );
    assert_eq!(
        canonical_key("/", "x=9&tab=solved&page=2"),
        "/?tab=solved&page=2"
    );
    assert_eq!(canonical_key("/", "tab=latest&page=1"), "/");
    assert_eq!(
        canonical_key("/", "tab=nonsense"),
        "/",
        "an unknown tab shows latest"
    );
    assert_eq!(
        canonical_key("/", "page=abc"),
        "/",
        "a bad page number shows page 1"
    );
    assert_eq!(canonical_key("/", "page=02"), "/?page=2");
    assert_eq!(
        canonical_key("/", "page=2&page=3"),
        "/?page=2",
        "the first value counts"
    );
    assert_eq!(
        canonical_key("/search", "sort=votes&q=a%26b+c&ref=x"),
        "/search?sort=votes&q=a%26b+c"
    );
}
