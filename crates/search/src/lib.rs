//! Full-text search over forum threads, backed by tantivy.
//!
//! The index is a **derived cache** of the database: the web layer maps DB
//! rows to [`SearchDoc`] and calls [`SearchIndex::upsert`] / [`SearchIndex::delete`];
//! if the index is lost, corrupt or its schema changes, it is recreated empty
//! and [`SearchIndex::needs_rebuild`] tells the caller to reindex from the DB.
//! This crate knows nothing about diesel or HTTP.
//!
//! # Query language
//!
//! | Syntax            | Meaning                                            |
//! |-------------------|----------------------------------------------------|
//! | `word word`       | all words must match (title boosted ~2x over body), English stemming |
//! | `"exact phrase"`  | words adjacent, in order                           |
//! | `-word`, `-"p q"` | exclude threads matching the word/phrase           |
//! | `tag:rust`        | thread has this tag (case-insensitive exact)       |
//! | `category:billing`| thread is in this category slug                    |
//! | `user:alice`      | thread was asked by this username                  |
//! | `is:solved`       | an answer was accepted                             |
//! | `is:open`         | no accepted answer                                 |
//! | `is:unanswered`   | no answers at all                                  |
//!
//! Filters can be negated too (`-tag:rust`). Unknown `foo:bar` prefixes are
//! plain text. A query with only filters (or empty) matches all threads that
//! pass the filters, ordered newest first when `Relevance` is requested.

mod doc;
mod error;
mod index;
mod query;
mod safe_seek;
mod snippet;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_index;

pub use doc::SearchDoc;
pub use error::SearchError;
pub use index::SearchIndex;
pub use query::{SearchHit, SearchQuery, SearchResults, SortOrder};
