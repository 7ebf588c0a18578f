//! The write side of search: services record that a thread changed (the read side, what the
//! index is fed, is `queries::index_docs`).

use forum_db::ids::ThreadId;
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::jobs::{Job, ReindexThread};

/// Records that a thread's search document must be rebuilt; call in the transaction that
/// changed it. The one call site the services use for the [`ReindexThread`] job.
pub fn reindex_later(conn: &mut AnyConnection, thread_id: ThreadId) -> CoreResult<()> {
    ReindexThread { thread_id }.enqueue(conn)?;
    Ok(())
}
