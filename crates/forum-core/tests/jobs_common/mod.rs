//! Test-only jobs (no once-only job exists in production yet), a handler that records what it
//! was given, row readers and log capture for the job tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use forum_core::jobs::{Deliver, Delivery, Job, JobError, Retry, TopicKind};
use forum_db::outbox::OutboxRow;
use forum_db::schema::outbox;
use forum_db::{write_tx, AnyConnection};
use serde::{Deserialize, Serialize};

/// A once-only job retried at once, three attempts, long lease.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ping {
    pub n: u32,
}

impl Job for Ping {
    const TOPIC: &'static str = "test.ping";
    const KIND: TopicKind = TopicKind::Once;
    const RETRY: Retry = Retry {
        max_attempts: 3,
        first_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
        lease: Duration::from_secs(600),
    };
}

/// A once-only job with the default minute-scale backoff.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slow {
    pub n: u32,
}

impl Job for Slow {
    const TOPIC: &'static str = "test.slow";
    const KIND: TopicKind = TopicKind::Once;
    const RETRY: Retry = Retry {
        max_attempts: 3,
        first_backoff: Duration::from_secs(60),
        max_backoff: Duration::from_secs(90),
        lease: Duration::from_secs(600),
    };
}

/// What a [`Recorder`] does with a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Succeed,
    Fail,
    Panic,
    /// Answers "not before a minute from now".
    NotYet,
}

/// Records every delivery it is handed; shares its log through `seen`.
#[derive(Clone)]
pub struct Recorder<J> {
    pub seen: Arc<Mutex<Vec<(u32, Delivery)>>>,
    pub mode: Mode,
    pub n_of: fn(&J) -> u32,
}

impl<J> Recorder<J> {
    pub fn new(mode: Mode, n_of: fn(&J) -> u32) -> Self {
        Recorder {
            seen: Arc::new(Mutex::new(Vec::new())),
            mode,
            n_of,
        }
    }

    pub fn seen(&self) -> Vec<(u32, Delivery)> {
        self.seen.lock().unwrap().clone()
    }
}

impl<J: Job> Deliver for Recorder<J> {
    type Job = J;

    fn deliver(&mut self, job: J, delivery: &Delivery) -> Result<(), JobError> {
        self.seen
            .lock()
            .unwrap()
            .push(((self.n_of)(&job), delivery.clone()));
        match self.mode {
            Mode::Succeed => Ok(()),
            Mode::Fail => Err(JobError::handler("the receiver said no")),
            Mode::Panic => panic!("the handler blew up"),
            Mode::NotYet => Err(JobError::NotYet(forum_db::time::plus(
                forum_db::time::now(),
                std::time::Duration::from_secs(60),
            ))),
        }
    }
}

/// Enqueues a job in its own transaction, returning its row.
pub fn enqueue<J: Job>(conn: &mut AnyConnection, job: &J) -> OutboxRow {
    let delivery_id = write_tx(conn, |c| job.enqueue(c)).unwrap();
    by_delivery(conn, &delivery_id)
}

/// The row with this delivery id.
pub fn by_delivery(conn: &mut AnyConnection, delivery_id: &str) -> OutboxRow {
    outbox::table
        .filter(outbox::delivery_id.eq(delivery_id))
        .select(OutboxRow::as_select())
        .first(conn)
        .unwrap()
}

/// Makes a row due now (skips its backoff).
pub fn make_due(conn: &mut AnyConnection, id: i64) {
    diesel::update(outbox::table.find(id))
        .set(outbox::available_at.eq(forum_db::time::now()))
        .execute(conn)
        .unwrap();
}

/// Everything logged (any level) while `f` runs on this thread.
pub fn capture_logs<T>(f: impl FnOnce() -> T) -> (T, String) {
    let buf = LogBuf::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buf.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8_lossy(&buf.0.lock().unwrap()).into_owned();
    (out, text)
}

#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuf {
    type Writer = LogBuf;
    fn make_writer(&'a self) -> LogBuf {
        self.clone()
    }
}
