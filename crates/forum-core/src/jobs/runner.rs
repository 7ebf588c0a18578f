//! The runner: one thread per registered topic (a slow mail server does not hold up search),
//! plus one that prunes old outbox rows. Started by the binary next to the web server, never by
//! a request handler; a commit wakes it, and it also polls, so rows written by other nodes are
//! picked up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use forum_db::Db;

use super::follow::{follow_step, Follow, Follower, Stepped};
use super::once::{work_batch, Deliver};
use super::{Job, JobError, Retention, TopicKind};

/// Jobs claimed per batch by a once-only worker.
const CLAIM_BATCH: i64 = 20;

/// One step of a task; true when it did work (so the next step runs without waiting).
type Step = Box<dyn FnMut(&Db) -> Result<bool, JobError> + Send>;

struct Task {
    name: String,
    every: Duration,
    /// Woken by [`RunnerHandle::wake`] (topic workers) or only by its timer (the pruner).
    on_wake: bool,
    step: Step,
}

/// Collects the topics this node works on, then [`spawn`](Runner::spawn)s their threads.
pub struct Runner {
    db: Db,
    worker: String,
    poll: Duration,
    followed: Vec<&'static str>,
    prune: Option<(Retention, Duration)>,
    tasks: Vec<Task>,
    cursors: HashMap<&'static str, Arc<AtomicI64>>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("worker", &self.worker)
            .finish()
    }
}

impl Runner {
    /// A runner with no topics, polling every two seconds; its worker id (recorded on claimed
    /// rows) is the process id plus a random suffix.
    pub fn new(db: Db) -> Runner {
        Runner {
            db,
            worker: format!("{}-{:08x}", std::process::id(), rand::random::<u32>()),
            poll: Duration::from_secs(2),
            followed: Vec::new(),
            prune: None,
            tasks: Vec::new(),
            cursors: HashMap::new(),
        }
    }

    /// How often each topic looks for work it was not woken for (rows from other nodes).
    pub fn poll_interval(mut self, every: Duration) -> Runner {
        self.poll = every;
        self
    }

    /// Prunes outbox rows older than `retention` every `every` (on every node; it is safe).
    pub fn prune(mut self, retention: Retention, every: Duration) -> Runner {
        self.prune = Some((retention, every));
        self
    }

    /// Follows `F::Job`'s topic from `follower`'s cursor, applying rows with `handler`.
    pub fn follow<F: Follow>(
        mut self,
        mut follower: Follower<F::Job>,
        mut handler: F,
    ) -> Result<Runner, JobError> {
        let topic = F::Job::TOPIC;
        if F::Job::KIND != TopicKind::Followed {
            return Err(JobError::WrongKind(topic));
        }
        let cursor = Arc::new(AtomicI64::new(follower.cursor()));
        self.cursors.insert(topic, cursor.clone());
        self.followed.push(topic);
        self.tasks.push(Task {
            name: format!("follow-{topic}"),
            every: self.poll,
            on_wake: true,
            step: Box::new(move |db| {
                let mut conn = db.conn()?;
                let stepped = follow_step(&mut conn, &mut follower, &mut handler);
                cursor.store(follower.cursor(), Ordering::SeqCst);
                Ok(stepped? != Stepped::Applied(0))
            }),
        });
        Ok(self)
    }

    /// Works off `H::Job`'s once-only topic with `handler`.
    pub fn deliver<H: Deliver>(mut self, mut handler: H) -> Result<Runner, JobError> {
        let topic = H::Job::TOPIC;
        if H::Job::KIND != TopicKind::Once {
            return Err(JobError::WrongKind(topic));
        }
        let worker = self.worker.clone();
        self.tasks.push(Task {
            name: format!("jobs-{topic}"),
            every: self.poll,
            on_wake: true,
            step: Box::new(move |db| {
                let mut conn = db.conn()?;
                Ok(work_batch(&mut conn, &worker, &mut handler, CLAIM_BATCH)?.claimed > 0)
            }),
        });
        Ok(self)
    }

    /// Runs `step` on a thread of its own every `every` (a scheduler, such as the one that
    /// queues digests); an error is logged and the step runs again at the next tick.
    pub fn every<F>(mut self, name: &str, every: Duration, mut step: F) -> Runner
    where
        F: FnMut(&Db) -> Result<(), JobError> + Send + 'static,
    {
        self.tasks.push(Task {
            name: name.to_string(),
            every,
            on_wake: false,
            step: Box::new(move |db| {
                step(db)?;
                Ok(false)
            }),
        });
        self
    }

    /// Starts one thread per topic (and the pruner); they run until the handle is stopped or
    /// every clone of it is dropped.
    pub fn spawn(mut self) -> RunnerHandle {
        if let Some((retention, every)) = self.prune.take() {
            let followed = std::mem::take(&mut self.followed);
            self.tasks.push(Task {
                name: "outbox-prune".into(),
                every,
                on_wake: false,
                step: Box::new(move |db| {
                    let mut conn = db.conn()?;
                    let cutoffs = retention.cutoffs(forum_db::time::now());
                    let pruned = forum_db::outbox::prune(&mut conn, &followed, &cutoffs)?;
                    if pruned != forum_db::outbox::Pruned::default() {
                        tracing::info!(?pruned, "pruned old outbox rows");
                    }
                    Ok(false)
                }),
            });
        }
        let stop = Arc::new(AtomicBool::new(false));
        let mut wakers = Vec::new();
        let mut threads = Vec::new();
        for task in self.tasks {
            let (tx, rx) = sync_channel(1);
            wakers.push((task.on_wake, tx));
            let (db, stop) = (self.db.clone(), stop.clone());
            let name = task.name.clone();
            match std::thread::Builder::new()
                .name(name.clone())
                .spawn(move || run(task, db, rx, stop))
            {
                Ok(handle) => threads.push(handle),
                Err(e) => {
                    tracing::error!(task = %name, "cannot start a background job thread: {e}")
                }
            }
        }
        RunnerHandle {
            inner: Arc::new(Inner {
                wakers,
                stop,
                threads: Mutex::new(threads),
                cursors: self.cursors,
            }),
        }
    }
}

fn run(mut task: Task, db: Db, rx: Receiver<()>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match (task.step)(&db) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(task = %task.name, "background job step failed, will retry: {e}")
            }
        }
        match rx.recv_timeout(task.every) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Wakes and stops the runner's threads; cheap to clone.
#[derive(Clone, Debug)]
pub struct RunnerHandle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    wakers: Vec<(bool, SyncSender<()>)>,
    stop: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    cursors: HashMap<&'static str, Arc<AtomicI64>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl RunnerHandle {
    /// Asks every topic to look for work now rather than at its next poll (after a commit).
    pub fn wake(&self) {
        for (on_wake, tx) in &self.inner.wakers {
            if *on_wake {
                // A full channel already holds a wake-up; dropping this one loses nothing.
                let _ = tx.try_send(());
            }
        }
    }

    /// The cursor of a followed topic on this node (for `/healthz`).
    pub fn cursor(&self, topic: &str) -> Option<i64> {
        self.inner
            .cursors
            .get(topic)
            .map(|c| c.load(Ordering::SeqCst))
    }

    /// Stops every thread after its current step, waiting up to `grace`; true when all stopped.
    /// A job cut off by the process exiting is not lost: its row is delivered again.
    pub fn stop(&self, grace: Duration) -> bool {
        self.inner.stop.store(true, Ordering::SeqCst);
        for (_, tx) in &self.inner.wakers {
            let _ = tx.try_send(());
        }
        let deadline = Instant::now() + grace;
        let Ok(mut threads) = self.inner.threads.lock() else {
            return false;
        };
        while threads.iter().any(|t| !t.is_finished()) {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for t in threads.drain(..) {
            let _ = t.join();
        }
        true
    }
}
