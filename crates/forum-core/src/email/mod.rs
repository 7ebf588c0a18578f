//! The forum's email as the domain sees it: which emails exist ([`Email`], one once-only job
//! type on the `email` topic), what each member wants by email ([`prefs`]) and when digests
//! are due ([`digests`]). Services queue an email in the transaction of its event
//! ([`Email::enqueue`](crate::jobs::Job::enqueue)); the web crate's worker renders and sends it,
//! and decides at send time whether it is still wanted (a notification read on the site
//! meanwhile is not sent).

pub mod digests;
pub mod prefs;

use chrono::NaiveDateTime;
use forum_db::ids::{NotificationId, UserId};
use forum_db::types::DigestPeriod;
use serde::{Deserialize, Serialize};

use crate::jobs::{Job, TopicKind};

/// The outbox topic of every email.
pub const TOPIC_EMAIL: &str = "email";

/// One email to send. Rows hold ids, not text: the worker reads the current state when it
/// sends, so an email never shows a title edited or a post deleted since it was queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "email", rename_all = "snake_case")]
pub enum Email {
    /// One notification, sent after the configured delay unless read on the site meanwhile.
    Notification { notification: NotificationId },
    /// A link confirming the member's address (at registration or after a change).
    ConfirmAddress {
        user: UserId,
        issued_at: NaiveDateTime,
    },
    /// A password-reset link.
    ResetPassword {
        user: UserId,
        issued_at: NaiveDateTime,
    },
    /// Someone used the member's address to register or as a new address: told to the owner
    /// instead of to the visitor, who learns nothing.
    AddressInUse { user: UserId },
    /// The member's address changed: the old address is told, in case it was not them.
    AddressChanged { user: UserId, old_address: String },
    /// A daily or weekly digest covering `from..until`.
    Digest {
        user: UserId,
        period: DigestPeriodName,
        from: NaiveDateTime,
        until: NaiveDateTime,
    },
}

/// [`DigestPeriod`] as it is written in a job payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestPeriodName {
    Daily,
    Weekly,
}

impl From<DigestPeriod> for DigestPeriodName {
    fn from(p: DigestPeriod) -> Self {
        match p {
            DigestPeriod::Daily => DigestPeriodName::Daily,
            DigestPeriod::Weekly => DigestPeriodName::Weekly,
        }
    }
}

impl From<DigestPeriodName> for DigestPeriod {
    fn from(p: DigestPeriodName) -> Self {
        match p {
            DigestPeriodName::Daily => DigestPeriod::Daily,
            DigestPeriodName::Weekly => DigestPeriod::Weekly,
        }
    }
}

impl Job for Email {
    const TOPIC: &'static str = TOPIC_EMAIL;
    const KIND: TopicKind = TopicKind::Once;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn payloads_name_their_email() {
        let job = Email::Notification {
            notification: NotificationId(7),
        };
        let text = serde_json::to_string(&job).unwrap();
        assert_eq!(text, r#"{"email":"notification","notification":7}"#);
        assert_eq!(Email::decode(&text).unwrap(), job);
        assert!(Email::decode(r#"{"email":"nonsense"}"#).is_err());
    }
}
