//! The forum's email on this node: the worker that works off the `email` topic of the outbox
//! (started with the other background jobs), the transports, and the rendering of each email
//! from the theme's `email/` templates. Which emails exist and when they are queued is the
//! domain's business (`forum_core::email`); this module only sends them.

pub mod compose;
pub mod drafts;
pub mod transport;

use std::sync::Arc;

use diesel::prelude::*;
use forum_core::email::Email;
use forum_core::jobs::{Deliver, Delivery, JobError};
use forum_db::schema::users;
use forum_db::Db;

use compose::Sender;
use drafts::{draft, Decision, Site};
use transport::{Mailer, SendError};

use crate::theme::Theme;

/// Sends queued email: one claimed job at a time, deciding at send time whether it is still
/// wanted. A permanent refusal (5xx) marks the address undeliverable and ends the job; any
/// other failure is retried with backoff by the runner.
pub struct EmailWorker {
    pub db: Db,
    pub theme: Arc<Theme>,
    pub site: Site,
    pub sender: Sender,
    pub mailer: Mailer,
}

impl Deliver for EmailWorker {
    type Job = Email;

    fn deliver(&mut self, job: Email, delivery: &Delivery) -> Result<(), JobError> {
        if matches!(self.mailer, Mailer::Off) {
            // Nothing leaves: not even worth reading what the email would have said.
            return Ok(());
        }
        let mut conn = self.db.conn()?;
        let now = forum_db::time::now();
        let decision = draft(&mut conn, &self.theme, &self.site, &job, now)
            .map_err(|e| JobError::handler(format!("cannot prepare the email: {e:#}")))?;
        let draft = match decision {
            Decision::Send(d) => d,
            Decision::Skip(why) => {
                tracing::debug!(delivery_id = %delivery.delivery_id, why, "email not sent");
                return Ok(());
            }
            Decision::Later(at) => return Err(JobError::NotYet(at)),
        };
        let message = compose::message(&self.sender, &draft, &delivery.delivery_id)
            .map_err(JobError::handler)?;
        let to = draft.to.email.to_string();
        match self.mailer.send(&message, &delivery.delivery_id) {
            Ok(()) => {
                tracing::info!(delivery_id = %delivery.delivery_id, attempt = delivery.attempt, "email sent");
                Ok(())
            }
            Err(SendError::Permanent(reason)) => {
                // Retrying cannot help; stop mailing the address until the member changes it.
                let marked = diesel::update(
                    users::table
                        .filter(users::email_lower.eq(to.to_lowercase()))
                        .filter(users::email_undeliverable_at.is_null()),
                )
                .set(users::email_undeliverable_at.eq(now))
                .execute(&mut conn)?;
                tracing::warn!(delivery_id = %delivery.delivery_id, %reason, marked,
                    "the mail server refused the address; it gets no more email until it changes");
                Ok(())
            }
            Err(SendError::Transient(reason)) => Err(JobError::handler(reason)),
        }
    }
}
