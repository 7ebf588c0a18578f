//! Error type for the search crate.

/// Everything that can go wrong while indexing or searching.
///
/// Why an enum: the web layer must tell a *user* mistake (`InvalidQuery`, shown
/// as a friendly message / 400) apart from an *index* failure (logged, 500 or
/// "search temporarily unavailable"), because the index is only a cache.
#[derive(thiserror::Error, Debug)]
pub enum SearchError {
    /// The user's query text is unacceptable (too long, too many terms).
    /// The message is safe to show to the user.
    #[error("invalid search query: {0}")]
    InvalidQuery(String),
    /// tantivy failed (corrupt segment, lock busy, ...). The index can always be
    /// rebuilt from the database, so callers may choose to wipe and reindex.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Filesystem failure while managing the index directory or its
    /// schema-version file.
    #[error("search index I/O error: {0}")]
    Io(#[from] std::io::Error),
}
