//! Background jobs on this node, started by `forum serve` next to the web server (never from a
//! request handler): the search follower, the email worker, the digest scheduler, the
//! visits-and-reads recorder and outbox pruning; webhook workers will register here as once-only topics. The generic runner is
//! `forum_core::jobs`.

pub mod search_follower;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use forum_core::activity::ActivityRecorder;
use forum_core::email::digests;
use forum_core::jobs::{Job, JobError, ReindexThread, Retention, Runner, RunnerHandle};
use forum_db::Db;
use search::SearchIndex;
use search_follower::{SearchFollower, SearchIndexer};

use crate::mail::EmailWorker;

/// How often each topic polls for rows written on other nodes (a commit here wakes it at once).
const POLL: Duration = Duration::from_secs(2);
/// How often old outbox rows are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);

/// The running jobs: woken after each commit, asked for the search cursor by `/healthz`,
/// stopped on shutdown. Cheap to clone; the threads stop when the last clone is dropped.
#[derive(Clone, Debug)]
pub struct JobsHandle {
    runner: RunnerHandle,
}

impl JobsHandle {
    /// Asks every topic to look at the outbox now rather than at its next poll.
    pub fn wake(&self) {
        self.runner.wake();
    }

    /// The last outbox row this node's search index has applied.
    pub fn cursor(&self) -> i64 {
        self.runner.cursor(ReindexThread::TOPIC).unwrap_or(0)
    }

    /// Stops the job threads after their current step, waiting up to `grace`.
    pub fn stop(&self, grace: Duration) {
        if !self.runner.stop(grace) {
            tracing::warn!("background jobs still running at exit; unfinished work is redone");
        }
    }
}

/// The jobs only a serving node runs (tools that only index go without them).
pub struct ServerJobs {
    /// Sends email.
    pub mail: EmailWorker,
    /// How often due digests are queued.
    pub digest_every: Duration,
    /// The visits and reads this node's requests noted, and how often they are written.
    pub activity: Arc<ActivityRecorder>,
    pub activity_every: Duration,
    /// The champion term clock and how often it runs.
    pub champions: forum_core::champions::ChampionRules,
    pub champions_every: Duration,
    /// What counts as serial voting; the check runs once per window.
    pub serial_votes: forum_core::serial_votes::SerialVoteRules,
}

/// Prepares the search follower for the index in `search_dir` (rebuilding when needed) and
/// starts every background job of this node.
pub fn start(
    db: &Db,
    index: &Arc<SearchIndex>,
    search_dir: Option<&Path>,
    server: Option<ServerJobs>,
) -> Result<JobsHandle, JobError> {
    let follower: SearchFollower = search_follower::prepare(db, index, search_dir)?;
    let mut runner = Runner::new(db.clone())
        .poll_interval(POLL)
        .prune(Retention::DEFAULT, PRUNE_EVERY)
        .follow(follower, SearchIndexer::new(index.clone()))?;
    if let Some(jobs) = server {
        let activity = jobs.activity;
        runner = runner
            .deliver(jobs.mail)?
            .every("digests", jobs.digest_every, |db| {
                let mut conn = db.conn()?;
                let queued = digests::queue_due(&mut conn, forum_db::time::now())?;
                if queued > 0 {
                    tracing::info!(queued, "digests queued");
                }
                Ok(())
            })
            .every("activity", jobs.activity_every, move |db| {
                let mut conn = db.conn()?;
                let members = activity.flush(&mut conn)?;
                tracing::debug!(members, "visits and reads recorded");
                Ok(())
            })
            .every("champion-terms", jobs.champions_every, move |db| {
                let mut conn = db.conn()?;
                let run = forum_core::champions::run_terms(
                    &mut conn,
                    jobs.champions,
                    forum_db::time::now(),
                )?;
                if run != forum_core::champions::TermsRun::default() {
                    tracing::info!(?run, "champion terms");
                }
                Ok(())
            })
            .every(
                "serial-votes",
                jobs.serial_votes
                    .window
                    .to_std()
                    .unwrap_or(Duration::from_secs(86_400)),
                move |db| {
                    let mut conn = db.conn()?;
                    let now = forum_db::time::now();
                    forum_core::serial_votes::correct(&mut conn, jobs.serial_votes, now)?;
                    Ok(())
                },
            );
    }
    Ok(JobsHandle {
        runner: runner.spawn(),
    })
}
