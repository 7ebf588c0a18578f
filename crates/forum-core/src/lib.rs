//! The forum's domain: accounts, categories and tags, questions and answers, edits with
//! revisions, votes, acceptance, the reputation ledger, trust levels, and the Markdown pipeline.
//!
//! Services take `&mut AnyConnection` and an [`actor::Actor`], check permission themselves and
//! return [`error::CoreError`]. Each writer opens its own `forum_db::write_tx` (joining one the
//! caller already holds), so the rows, the ledger events and the outbox rows of one action
//! commit together; writers that create content take the social contract as a
//! [`policy::WritePolicy`] and validate and cook text before the transaction starts. Reads go
//! through [`lookup`] (one row by key) and the read models, which all apply [`visibility`].
//!
//! Hot single-row reads filter on a unique key and `load` rather than `first`: `first` binds its
//! LIMIT as a parameter, and SQLite re-prepares a statement with a bound LIMIT on every run (its
//! planner looks at the value), which cost about 12% of a thread page's CPU.

pub mod accept;
pub mod account_settings;
pub mod accounts;
pub mod activity;
pub mod actor;
pub mod audit;
pub mod badges;
pub mod categories;
pub mod champions;
pub mod content;
pub mod deletion;
pub mod edit;
pub mod email;
pub mod error;
pub mod held;
pub mod indexing;
pub mod jobs;
pub mod kudos;
pub mod links;
pub mod lookup;
pub mod markup;
pub mod notifications;
pub mod policy;
pub mod posts;
pub mod privileges;
pub mod queries;
pub mod recovery;
pub mod reputation;
pub mod reputation_audit;
pub mod serial_votes;
pub mod sessions;
pub mod suggested_edits;
#[cfg(feature = "test-util")]
pub mod testing;
pub mod threads;
pub mod trust;
pub mod visibility;
pub mod votes;
pub mod watching;

pub use actor::{Actor, Role};
pub use error::{CoreError, CoreResult};
