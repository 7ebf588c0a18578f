//! Once-only jobs: claimed by one worker under a lease, delivered at least once with a stable
//! delivery id, retried with backoff, dead after the last attempt; a bad payload or a panic is
//! a logged failed attempt, never a silent drop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod jobs_common;

use std::time::Duration;

use forum_core::jobs::{work_batch, Job, JobError, Runner, Worked};
use forum_db::outbox::{claim, mark_done, retry_later, row, ClaimSpec};
use forum_db::test_util::TestDb;
use jobs_common::{by_delivery, capture_logs, enqueue, make_due, Mode, Ping, Recorder, Slow};

fn ping_n(p: &Ping) -> u32 {
    p.n
}

fn slow_n(s: &Slow) -> u32 {
    s.n
}

fn delivered_once_and_marked_done(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Ping { n: 7 });
    assert!(!queued.delivery_id.is_empty());
    let mut h = Recorder::new(Mode::Succeed, ping_n);
    let worked = work_batch(c, "w1", &mut h, 10).unwrap();
    assert_eq!(
        worked,
        Worked {
            claimed: 1,
            done: 1,
            ..Worked::default()
        }
    );
    let seen = h.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, 7);
    assert_eq!(
        seen[0].1.delivery_id, queued.delivery_id,
        "the handler gets the delivery id"
    );
    assert_eq!(seen[0].1.attempt, 1);
    let done = row(c, queued.id).unwrap();
    assert!(done.processed_at.is_some());
    assert_eq!((done.claimed_by, done.claimed_until), (None, None));
    assert_eq!(
        work_batch(c, "w1", &mut h, 10).unwrap().claimed,
        0,
        "done is done"
    );
}

fn failures_back_off_then_the_row_is_dead(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Slow { n: 1 });
    let mut h = Recorder::new(Mode::Fail, slow_n);
    for attempt in 1..=2 {
        let before = forum_db::time::now();
        assert_eq!(work_batch(c, "w1", &mut h, 10).unwrap().retried, 1);
        let r = row(c, queued.id).unwrap();
        assert_eq!(r.attempts, attempt);
        assert!(r
            .last_error
            .as_deref()
            .unwrap()
            .contains("the receiver said no"));
        assert_eq!(r.claimed_by, None, "released for the next attempt");
        let wait = (r.available_at - before).num_seconds();
        let expected = if attempt == 1 { 60 } else { 90 }; // doubled, then capped
        assert!(
            (expected - 2..=expected + 2).contains(&wait),
            "waits {wait}s"
        );
        assert_eq!(
            work_batch(c, "w1", &mut h, 10).unwrap().claimed,
            0,
            "not due yet"
        );
        make_due(c, queued.id);
    }
    assert_eq!(work_batch(c, "w1", &mut h, 10).unwrap().dead, 1);
    let r = row(c, queued.id).unwrap();
    assert!(r.dead_at.is_some() && r.processed_at.is_none());
    assert_eq!(r.attempts, 3);
    make_due(c, queued.id);
    assert_eq!(
        work_batch(c, "w1", &mut h, 10).unwrap().claimed,
        0,
        "dead is never retried"
    );
    let seen = h.seen();
    let ids: Vec<&str> = seen.iter().map(|(_, d)| d.delivery_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![queued.delivery_id.as_str(); 3],
        "same delivery id on every attempt"
    );
    let attempts: Vec<i32> = seen.iter().map(|(_, d)| d.attempt).collect();
    assert_eq!(attempts, vec![1, 2, 3]);
}

fn bad_payload_is_a_logged_failed_attempt(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let id = forum_db::outbox::enqueue(c, Ping::TOPIC, "{not json").unwrap();
    let queued = by_delivery(c, &id);
    let mut h = Recorder::new(Mode::Succeed, ping_n);
    let (worked, logs) = capture_logs(|| work_batch(c, "w1", &mut h, 10).unwrap());
    assert_eq!(worked.retried, 1);
    assert!(logs.contains("ERROR"), "{logs}");
    assert!(
        logs.contains("cannot read the payload of a 'test.ping' job"),
        "{logs}"
    );
    let r = row(c, queued.id).unwrap();
    assert_eq!(r.attempts, 1);
    assert!(r.last_error.unwrap().contains("cannot read the payload"));
    work_batch(c, "w1", &mut h, 10).unwrap();
    assert_eq!(
        work_batch(c, "w1", &mut h, 10).unwrap().dead,
        1,
        "dead after three"
    );
    assert!(row(c, queued.id).unwrap().dead_at.is_some());
    assert!(h.seen().is_empty(), "the handler never saw it");
}

fn a_panicking_handler_is_a_failed_attempt(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Ping { n: 1 });
    let mut h = Recorder::new(Mode::Panic, ping_n);
    let worked = work_batch(c, "w1", &mut h, 10).unwrap();
    assert_eq!(worked.retried, 1);
    let r = row(c, queued.id).unwrap();
    assert!(r
        .last_error
        .unwrap()
        .contains("the handler panicked: the handler blew up"));
}

fn spec(worker: &str, lease_ms: u64, max_attempts: i32) -> ClaimSpec<'_> {
    ClaimSpec {
        worker,
        lease: Duration::from_millis(lease_ms),
        max_attempts,
        limit: 10,
    }
}

fn an_expired_lease_lets_another_worker_claim(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Ping { n: 1 });
    let a = claim(c, Ping::TOPIC, &spec("a", 150, 5)).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].claimed_by.as_deref(), Some("a"));
    assert!(
        claim(c, Ping::TOPIC, &spec("b", 150, 5))
            .unwrap()
            .is_empty(),
        "lease holds"
    );
    std::thread::sleep(Duration::from_millis(250)); // "a" crashed
    let b = claim(c, Ping::TOPIC, &spec("b", 60_000, 5)).unwrap();
    assert_eq!(b.len(), 1, "the lease ran out");
    assert_eq!(b[0].attempts, 2);
    assert_eq!(b[0].delivery_id, queued.delivery_id);
    let later = forum_db::time::now();
    assert!(
        !retry_later(c, queued.id, "a", "late", later).unwrap(),
        "a stale holder's failure is ignored"
    );
    assert_eq!(row(c, queued.id).unwrap().claimed_by.as_deref(), Some("b"));
    assert!(mark_done(c, queued.id).unwrap());
    assert!(!mark_done(c, queued.id).unwrap(), "only once");
}

fn a_last_attempt_without_verdict_is_buried(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Ping { n: 1 });
    assert_eq!(claim(c, Ping::TOPIC, &spec("a", 50, 1)).unwrap().len(), 1);
    std::thread::sleep(Duration::from_millis(150));
    assert!(claim(c, Ping::TOPIC, &spec("b", 50, 1)).unwrap().is_empty());
    let r = row(c, queued.id).unwrap();
    assert!(
        r.dead_at.is_some(),
        "buried, not lost and not retried past the limit"
    );
    assert!(r.last_error.unwrap().contains("no verdict"));
}

fn the_runner_delivers_and_stops(t: &TestDb) {
    let h = Recorder::new(Mode::Succeed, ping_n);
    let seen = h.seen.clone();
    let runner = Runner::new(t.db.clone())
        .poll_interval(Duration::from_secs(60))
        .deliver(h)
        .unwrap()
        .spawn();
    let queued = enqueue(&mut t.db.conn().unwrap(), &Ping { n: 3 });
    runner.wake();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while seen.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(runner.stop(Duration::from_secs(10)), "threads stopped");
    assert_eq!(seen.lock().unwrap().len(), 1, "woken, not polled");
    let r = row(&mut t.db.conn().unwrap(), queued.id).unwrap();
    assert!(r.processed_at.is_some());
}

#[test]
fn a_job_of_the_other_kind_is_refused() {
    let t = TestDb::sqlite();
    let h = Recorder::new(Mode::Succeed, |j: &forum_core::jobs::ReindexThread| {
        j.thread_id.0 as u32
    });
    let r = Runner::new(t.db.clone()).deliver(h);
    assert!(matches!(r, Err(JobError::WrongKind("search"))));
}

forum_db::backend_tests!(
    delivered_once_and_marked_done,
    failures_back_off_then_the_row_is_dead,
    bad_payload_is_a_logged_failed_attempt,
    a_panicking_handler_is_a_failed_attempt,
    an_expired_lease_lets_another_worker_claim,
    a_last_attempt_without_verdict_is_buried,
    the_runner_delivers_and_stops,
    a_job_claimed_early_goes_back_without_using_an_attempt,
);

fn a_job_claimed_early_goes_back_without_using_an_attempt(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let queued = enqueue(c, &Ping { n: 3 });
    let mut early = Recorder::new(Mode::NotYet, ping_n);
    for _ in 0..3 {
        make_due(c, queued.id);
        let worked = work_batch(c, "w1", &mut early, 10).unwrap();
        assert_eq!((worked.claimed, worked.deferred, worked.retried), (1, 1, 0));
    }
    let r = row(c, queued.id).unwrap();
    assert_eq!(r.attempts, 0, "putting a job back uses no attempt");
    assert!(
        r.available_at > forum_db::time::now(),
        "it waits until then"
    );
    assert_eq!(r.last_error, None);
    assert_eq!(work_batch(c, "w1", &mut early, 10).unwrap().claimed, 0);
    make_due(c, queued.id);
    let mut ok = Recorder::new(Mode::Succeed, ping_n);
    assert_eq!(work_batch(c, "w1", &mut ok, 10).unwrap().done, 1);
    assert_eq!(ok.seen()[0].1.attempt, 1, "the first real attempt");
}
