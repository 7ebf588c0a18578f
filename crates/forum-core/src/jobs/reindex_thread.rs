//! The search job: "this thread changed, rebuild its search document".

use serde::{Deserialize, Serialize};

use super::{Job, TopicKind};

/// Followed by every node's search index. Serialized transparently as the bare thread id
/// (`42`), which is exactly the payload written before jobs were typed, so rows from before an
/// upgrade and nodes of either build read each other's rows during a rolling deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReindexThread {
    pub thread_id: forum_db::ids::ThreadId,
}

impl Job for ReindexThread {
    const TOPIC: &'static str = forum_db::outbox::TOPIC_SEARCH;
    const KIND: TopicKind = TopicKind::Followed;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn payload_is_the_bare_thread_id() {
        let job = ReindexThread {
            thread_id: forum_db::ids::ThreadId(42),
        };
        assert_eq!(serde_json::to_string(&job).unwrap(), "42");
        assert_eq!(ReindexThread::decode("42").unwrap(), job);
        assert!(ReindexThread::decode("forty-two").is_err());
    }
}
