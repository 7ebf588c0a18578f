//! The document model (`SearchDoc`) and the tantivy schema it maps to.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer};
use tantivy::TantivyDocument;

/// Name under which the English stemming analyzer is registered. Stored in
/// the index meta, so renaming it requires bumping `SCHEMA_VERSION`.
pub(crate) const TOKENIZER: &str = "en_stem";

/// Bump whenever the schema or the analyzer changes: `SearchIndex::open` then
/// wipes the on-disk index and reports `needs_rebuild()`.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// One forum thread as the search index sees it.
///
/// Why a plain struct: this crate knows nothing about the database or HTTP;
/// the web layer maps its rows to this shape, so the index stays a derived
/// cache that can be rebuilt from the DB at any time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchDoc {
    /// Primary key of the thread; upserts and deletes are keyed on it.
    pub thread_id: i64,
    /// Thread title (plain text). Boosted ~2x over the body when ranking.
    pub title: String,
    /// Plain text of the question and all answers (no HTML/markdown), used
    /// for matching and for snippets.
    pub body: String,
    /// Tag names; matched exactly (lower-cased) by `tag:`.
    pub tags: Vec<String>,
    /// Category slug; matched exactly (lower-cased) by `category:`.
    pub category: String,
    /// Username of the asker; matched exactly (lower-cased) by `user:`.
    pub author: String,
    /// Whether an answer was accepted; drives `is:solved` / `is:open`.
    pub solved: bool,
    /// Number of answers; `is:unanswered` means zero.
    pub answer_count: i64,
    /// Question vote score; used by the `Votes` sort.
    pub score: i64,
    /// Creation time in unix seconds; used by the `Newest` sort.
    pub created_at: i64,
}

/// Handles to every schema field, resolved once at open time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub thread_id: Field,
    pub title: Field,
    pub body: Field,
    /// The start of the body, stored for snippets (see [`SNIPPET_SOURCE_CHARS`]).
    pub snippet_source: Field,
    pub tags: Field,
    pub category: Field,
    pub author: Field,
    pub solved: Field,
    pub answer_count: Field,
    pub votes: Field,
    pub created_at: Field,
}

/// How much of a thread's text is kept for its snippet. A snippet is made by running the
/// analyzer (tokenising and stemming) over the stored text of each hit; over a whole long thread
/// that was most of a search's time, so only its start is stored: the question and the first
/// answers, where a thread's subject is. A match further on still finds the thread (the whole
/// body is indexed); its snippet is then the start of the text, unhighlighted.
pub(crate) const SNIPPET_SOURCE_CHARS: usize = 1_200;

/// Fast-field names used for sorting.
pub(crate) const FIELD_VOTES: &str = "votes";
pub(crate) const FIELD_CREATED_AT: &str = "created_at";

/// Builds the schema together with its field handles.
pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        thread_id: b.add_i64_field("thread_id", INDEXED | STORED),
        title: b.add_text_field("title", indexed.clone().set_stored()),
        // Indexed only: what a hit shows of it is `snippet_source`.
        body: b.add_text_field("body", indexed),
        snippet_source: b.add_text_field("snippet_source", STORED),
        tags: b.add_text_field("tags", STRING),
        category: b.add_text_field("category", STRING),
        author: b.add_text_field("author", STRING),
        solved: b.add_bool_field("solved", INDEXED),
        answer_count: b.add_i64_field("answer_count", INDEXED),
        votes: b.add_i64_field(FIELD_VOTES, FAST),
        created_at: b.add_i64_field(FIELD_CREATED_AT, FAST),
    };
    (b.build(), fields)
}

/// The analyzer for title/body: lower-cased English stems so that
/// "crashes" finds "crash". Very long tokens (base64 blobs, hashes) are dropped.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Normalises an exact-match keyword (tag, category, username).
pub(crate) fn keyword(s: &str) -> String {
    s.trim().to_lowercase()
}

impl SearchDoc {
    /// Converts to a tantivy document with the given field handles.
    pub(crate) fn to_tantivy(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_i64(f.thread_id, self.thread_id);
        d.add_text(f.title, &self.title);
        d.add_text(f.body, &self.body);
        d.add_text(f.snippet_source, snippet_source(&self.body));
        for tag in &self.tags {
            let tag = keyword(tag);
            if !tag.is_empty() {
                d.add_text(f.tags, &tag);
            }
        }
        d.add_text(f.category, keyword(&self.category));
        d.add_text(f.author, keyword(&self.author));
        d.add_bool(f.solved, self.solved);
        d.add_i64(f.answer_count, self.answer_count);
        d.add_i64(f.votes, self.score);
        d.add_i64(f.created_at, self.created_at);
        d
    }
}

/// The start of `body` kept for snippets: at most [`SNIPPET_SOURCE_CHARS`] characters, cut
/// after a word.
pub(crate) fn snippet_source(body: &str) -> &str {
    match body.char_indices().nth(SNIPPET_SOURCE_CHARS) {
        None => body,
        Some((cut, _)) => {
            let head = &body[..cut];
            head.rfind(char::is_whitespace)
                .map_or(head, |at| &head[..at])
        }
    }
}
