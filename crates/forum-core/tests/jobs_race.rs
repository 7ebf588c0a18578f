//! Two workers racing for the same once-only topic, each on its own connection: on PostgreSQL
//! claims use `FOR UPDATE SKIP LOCKED`, on SQLite `BEGIN IMMEDIATE` serialises them. Every job
//! must be delivered exactly once, by one worker, and claimed exactly once (a claim counts an
//! attempt, so a row claimed twice while its lease held would show two).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod jobs_common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use forum_core::jobs::{work_batch, Deliver, Delivery, Job, JobError};
use forum_db::outbox::OutboxRow;
use forum_db::schema::outbox;
use forum_db::test_util::TestDb;
use forum_db::write_tx;
use jobs_common::Ping;

const JOBS: u32 = 200;

/// (worker, job number, delivery id) per delivery.
type Log = Arc<Mutex<Vec<(&'static str, u32, String)>>>;

/// Records (worker, job), and any job handed out while another worker holds it.
struct Racer {
    worker: &'static str,
    log: Log,
    in_flight: Arc<Mutex<HashSet<String>>>,
    overlaps: Arc<Mutex<Vec<u32>>>,
}

impl Deliver for Racer {
    type Job = Ping;

    fn deliver(&mut self, job: Ping, d: &Delivery) -> Result<(), JobError> {
        if !self.in_flight.lock().unwrap().insert(d.delivery_id.clone()) {
            self.overlaps.lock().unwrap().push(job.n);
        }
        std::thread::sleep(Duration::from_millis(1)); // hold the lease a moment
        self.in_flight.lock().unwrap().remove(&d.delivery_id);
        self.log
            .lock()
            .unwrap()
            .push((self.worker, job.n, d.delivery_id.clone()));
        Ok(())
    }
}

fn two_workers_claim_each_job_once(t: &TestDb) {
    {
        let c = &mut t.db.conn().unwrap();
        write_tx(c, |c| {
            for n in 0..JOBS {
                Ping { n }.enqueue(c)?;
            }
            Ok::<_, forum_core::CoreError>(())
        })
        .unwrap();
    }
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let in_flight = Arc::new(Mutex::new(HashSet::new()));
    let overlaps = Arc::new(Mutex::new(Vec::new()));
    let start = Arc::new(Barrier::new(2));
    let workers: Vec<_> = ["worker-a", "worker-b"]
        .into_iter()
        .map(|worker| {
            let mut racer = Racer {
                worker,
                log: log.clone(),
                in_flight: in_flight.clone(),
                overlaps: overlaps.clone(),
            };
            let (db, start) = (t.db.clone(), start.clone());
            std::thread::spawn(move || {
                let mut conn = db.conn().unwrap();
                start.wait();
                // Nothing claimable means every job is done or held by the other worker.
                while work_batch(&mut conn, worker, &mut racer, 5)
                    .unwrap()
                    .claimed
                    > 0
                {}
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }

    assert!(
        overlaps.lock().unwrap().is_empty(),
        "no job held by two workers at once"
    );
    let log = log.lock().unwrap();
    assert_eq!(log.len(), JOBS as usize, "each job delivered once");
    let jobs: HashSet<u32> = log.iter().map(|(_, n, _)| *n).collect();
    assert_eq!(jobs, (0..JOBS).collect(), "every job delivered");
    let ids: HashSet<&str> = log.iter().map(|(_, _, id)| id.as_str()).collect();
    assert_eq!(ids.len(), JOBS as usize, "delivery ids are unique");
    let mut per_worker: HashMap<&str, usize> = HashMap::new();
    for (w, _, _) in log.iter() {
        *per_worker.entry(w).or_default() += 1;
    }
    // SKIP LOCKED lets both work side by side; SQLite's single writer lock promises no fairness.
    if t.db.backend() == forum_db::Backend::Postgres {
        assert_eq!(per_worker.len(), 2, "both workers got work: {per_worker:?}");
    }

    let rows: Vec<OutboxRow> = outbox::table
        .filter(outbox::topic.eq(Ping::TOPIC))
        .select(OutboxRow::as_select())
        .load(&mut *t.db.conn().unwrap())
        .unwrap();
    assert_eq!(rows.len(), JOBS as usize);
    for r in rows {
        assert!(r.processed_at.is_some(), "row {} done", r.id);
        assert_eq!(r.attempts, 1, "row {} claimed exactly once", r.id);
        assert!(r.dead_at.is_none() && r.last_error.is_none());
    }
}

forum_db::backend_tests!(two_workers_claim_each_job_once);
