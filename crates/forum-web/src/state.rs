//! Shared application state, and the one way handlers reach the database off the async threads.

use std::sync::Arc;

use actix_web::web;
use forum_core::policy::WritePolicy;
use forum_core::queries::ReadCaches;
use forum_db::{AnyConnection, Backend, Db};
use search::SearchIndex;

use crate::anon_cache::AnonCache;
use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::fragments::Fragments;
use crate::jobs::JobsHandle;
use crate::jwt::JwtKeys;
use crate::rate_limit::Limiters;
use crate::theme::Theme;

/// Everything handlers share; cloned into each worker by actix.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub theme: Arc<Theme>,
    pub search: Arc<SearchIndex>,
    /// The background jobs (named for the first of them, the search indexer): woken after
    /// each write, asked for the search cursor by `/healthz`.
    pub indexer: JobsHandle,
    pub limiters: Arc<Limiters>,
    pub jwt: Arc<JwtKeys>,
    /// Seals and checks the links emailed to members (confirm, reset, unsubscribe).
    pub links: Arc<forum_core::links::LinkKey>,
    pub base_url: Arc<str>,
    pub anon_cache: Arc<AnonCache>,
    /// Thread contents, list pages and categories reused until the data changes (SQLite).
    pub reads: Arc<ReadCaches>,
    /// Rendered posts reused across members' pages while unchanged.
    pub fragments: Arc<Fragments>,
    /// How many kudos a member may give a day.
    pub kudos: forum_core::kudos::KudosRules,
    /// The champion programme's term length.
    pub champions: forum_core::champions::ChampionRules,
    /// Visits and reads noted by requests, written in batches by a background job.
    pub activity: Arc<forum_core::activity::ActivityRecorder>,
    /// The social contract every write service asks (moderation's policy).
    pub policy: Arc<dyn WritePolicy>,
}

impl AppState {
    /// Runs blocking database work on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        let db = self.db.clone();
        web::block(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// A short read on the request's own thread when the database is SQLite and a connection
    /// is idle (reading a few pages of a local file takes microseconds, less than handing the
    /// work to the blocking pool and back, which was a tenth of a member's thread page);
    /// otherwise, and always on PostgreSQL (network round trips), as [`AppState::read`]. Only
    /// for reads bounded by a page's size: the session, a thread page.
    pub async fn read_quick<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        if self.db.backend() == Backend::Sqlite {
            if let Some(mut conn) = self.db.idle_conn() {
                return f(&mut conn);
            }
        }
        self.read(f).await
    }

    /// Runs a write service call on the blocking pool (each service opens its own transaction,
    /// in which rows, ledger and outbox commit together), then clears this node's page cache
    /// and wakes the background jobs.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    {
        let out = self.read(f).await;
        if out.is_ok() {
            self.anon_cache.invalidate();
            self.indexer.wake();
        }
        out
    }
}
