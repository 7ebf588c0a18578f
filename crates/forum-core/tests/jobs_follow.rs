//! Followed topics and pruning: a follower applies every row with its own cursor, skips an
//! unreadable row with an error log, and rebuilds when pruning removed rows it had not applied;
//! pruning keeps pending and recent rows, and ids are never reused after it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod jobs_common;

use diesel::prelude::*;
use forum_core::jobs::{follow_step, Follow, Follower, Job, JobError, ReindexThread, Stepped};
use forum_db::ids::ThreadId;
use forum_db::outbox::{
    bury, claim, enqueue, follow_start, last_id, mark_done, prune, pruned_through, row, ClaimSpec,
    Pruned, Retention,
};
use forum_db::test_util::TestDb;
use forum_db::AnyConnection;
use jobs_common::{capture_logs, enqueue as enqueue_job, Ping};

/// Collects applied thread ids; a rebuild records itself.
#[derive(Default)]
struct Collect {
    applied: Vec<ThreadId>,
    rebuilds: usize,
}

impl Follow for Collect {
    type Job = ReindexThread;

    fn apply(&mut self, _: &mut AnyConnection, jobs: &[ReindexThread]) -> Result<(), JobError> {
        self.applied.extend(jobs.iter().map(|j| j.thread_id));
        Ok(())
    }

    fn rebuild(
        &mut self,
        _: &mut AnyConnection,
        _: &mut dyn FnMut(usize),
    ) -> Result<usize, JobError> {
        self.rebuilds += 1;
        self.applied.clear();
        Ok(0)
    }
}

/// Cut-offs one second in the future: everything old enough by then goes.
fn everything() -> Retention {
    let later = forum_db::time::now() + chrono::Duration::seconds(1);
    Retention {
        done_before: later,
        dead_before: later,
        followed_before: later,
    }
}

fn an_unreadable_row_is_logged_and_skipped(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(1),
        },
    );
    enqueue(c, ReindexThread::TOPIC, "not a thread id").unwrap();
    let last = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(2),
        },
    );
    let mut f = Follower::<ReindexThread>::open(None);
    let mut h = Collect::default();
    let (stepped, logs) = capture_logs(|| follow_step(c, &mut f, &mut h).unwrap());
    assert_eq!(stepped, Stepped::Applied(3));
    assert_eq!(h.applied, vec![ThreadId(1), ThreadId(2)]);
    assert!(logs.contains("ERROR"), "{logs}");
    assert!(
        logs.contains("skipping an outbox row this build cannot read"),
        "{logs}"
    );
    assert_eq!(f.cursor(), last.id, "the follower moves on");
    assert_eq!(follow_step(c, &mut f, &mut h).unwrap(), Stepped::Applied(0));
}

fn a_follower_behind_the_pruned_outbox_rebuilds(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let mut f = Follower::<ReindexThread>::open(None);
    let mut h = Collect::default();
    enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(1),
        },
    );
    assert_eq!(follow_step(c, &mut f, &mut h).unwrap(), Stepped::Applied(1));
    assert!(!f.is_behind(c).unwrap());
    // This node stops; two more rows are written, then pruned before it returns.
    enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(2),
        },
    );
    let missed = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(3),
        },
    );
    let pruned = prune(c, &[ReindexThread::TOPIC], &everything()).unwrap();
    assert_eq!(pruned.followed, 3);
    assert_eq!(pruned_through(c, ReindexThread::TOPIC).unwrap(), missed.id);
    assert!(f.is_behind(c).unwrap(), "rows above the cursor were pruned");
    assert_eq!(follow_step(c, &mut f, &mut h).unwrap(), Stepped::Rebuilt(0));
    assert_eq!(h.rebuilds, 1);
    assert_eq!(f.cursor(), missed.id, "resumes past what was pruned");
    assert!(!f.is_behind(c).unwrap());
    let next = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(4),
        },
    );
    assert_eq!(follow_step(c, &mut f, &mut h).unwrap(), Stepped::Applied(1));
    assert_eq!(
        (h.applied.clone(), f.cursor()),
        (vec![ThreadId(4)], next.id)
    );
    assert_eq!(h.rebuilds, 1, "caught up: no second rebuild");
    // An up-to-date follower is never behind, however much is pruned.
    prune(c, &[ReindexThread::TOPIC], &everything()).unwrap();
    assert!(!f.is_behind(c).unwrap());
    assert_eq!(follow_start(c, ReindexThread::TOPIC).unwrap(), next.id);
}

fn pruning_keeps_pending_and_recent_rows(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    let spec = |limit| ClaimSpec {
        worker: "w",
        lease: std::time::Duration::from_secs(300),
        max_attempts: 3,
        limit,
    };
    let done = enqueue_job(c, &Ping { n: 1 });
    let dead = enqueue_job(c, &Ping { n: 2 });
    let pending = enqueue_job(c, &Ping { n: 3 });
    let followed = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(1),
        },
    );
    assert_eq!(claim(c, Ping::TOPIC, &spec(2)).unwrap().len(), 2);
    assert!(mark_done(c, done.id).unwrap());
    assert!(bury(c, dead.id, "w", "gave up").unwrap());
    let mut keep_dead = everything();
    keep_dead.dead_before = forum_db::time::now() - chrono::Duration::days(1);
    let pruned = prune(c, &[ReindexThread::TOPIC], &keep_dead).unwrap();
    assert_eq!(
        pruned,
        Pruned {
            done: 1,
            dead: 0,
            followed: 1
        }
    );
    assert!(row(c, done.id).is_err() && row(c, followed.id).is_err());
    assert!(
        row(c, dead.id).unwrap().dead_at.is_some(),
        "dead rows stay longer"
    );
    assert!(
        row(c, pending.id).unwrap().processed_at.is_none(),
        "pending work stays"
    );
    // Nothing is old enough under the default retention.
    let default = forum_core::jobs::Retention::DEFAULT.cutoffs(forum_db::time::now());
    assert_eq!(
        prune(c, &[ReindexThread::TOPIC], &default).unwrap(),
        Pruned::default()
    );
    assert_eq!(prune(c, &[], &everything()).unwrap().dead, 1);
    assert!(row(c, pending.id).is_ok());
}

fn ids_are_not_reused_after_pruning(t: &TestDb) {
    let c = &mut t.db.conn().unwrap();
    enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(1),
        },
    );
    let top = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(2),
        },
    );
    prune(c, &[ReindexThread::TOPIC], &everything()).unwrap();
    assert_eq!(
        last_id(c, ReindexThread::TOPIC).unwrap(),
        0,
        "the topic is empty"
    );
    let count: i64 = forum_db::schema::outbox::table
        .count()
        .get_result(c)
        .unwrap();
    assert_eq!(count, 0);
    let next = enqueue_job(
        c,
        &ReindexThread {
            thread_id: ThreadId(3),
        },
    );
    assert!(
        next.id > top.id,
        "a follower's cursor would skip a reused id"
    );
}

forum_db::backend_tests!(
    an_unreadable_row_is_logged_and_skipped,
    a_follower_behind_the_pruned_outbox_rebuilds,
    pruning_keeps_pending_and_recent_rows,
    ids_are_not_reused_after_pruning,
);
