//! `SearchIndex`: owns the tantivy index, its single writer and its reader.

use std::fs;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

use crate::doc::{
    analyzer, build_schema, Fields, FIELD_CREATED_AT, FIELD_VOTES, SCHEMA_VERSION, TOKENIZER,
};
use crate::query::{build, parse, SearchHit, SearchQuery, SearchResults, SortOrder};
use crate::snippet::{render, SNIPPET_CHARS};
use crate::{SearchDoc, SearchError};

/// Name of the file (inside the directory given to `open`) holding the schema version.
pub(crate) const VERSION_FILE: &str = "schema_version";
/// Sub-directory holding the tantivy files; the only thing `open` ever wipes.
pub(crate) const INDEX_SUBDIR: &str = "index";
const MAX_LIMIT: usize = 100;
const MAX_OFFSET: usize = 10_000;

/// The forum's full-text index: a derived cache of the database.
///
/// Why this shape: tantivy allows exactly one `IndexWriter` per index, so it
/// lives here behind a `Mutex` (writes are serialised, searches are not); the
/// single `IndexReader` is reloaded explicitly after every commit so a search
/// right after `upsert` sees the change. The type is `Send + Sync`; share it
/// with an `Arc`.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzer: TextAnalyzer,
    needs_rebuild: bool,
}

impl SearchIndex {
    /// Opens (or creates) the index stored under `dir`.
    ///
    /// Layout: `dir/schema_version` and `dir/index/` (tantivy files). If the
    /// version file is missing or differs from this build's schema, or the
    /// index cannot be opened, `dir/index/` is wiped and recreated empty and
    /// `needs_rebuild()` returns true: the caller must reindex from the DB.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = build_schema();
        let index_dir = dir.join(INDEX_SUBDIR);
        let version_path = dir.join(VERSION_FILE);
        fs::create_dir_all(dir)?;
        let stored = fs::read_to_string(&version_path).ok();
        let version_ok = stored.as_deref().map(str::trim) == Some(&*SCHEMA_VERSION.to_string());
        let existing = if version_ok && index_dir.join("meta.json").exists() {
            match Index::open_in_dir(&index_dir) {
                Ok(index) if index.schema() == schema => Some(index),
                Ok(_) => {
                    tracing::warn!("search index schema differs from this build; rebuilding");
                    None
                }
                Err(e) => {
                    tracing::warn!(error = %e, "search index unreadable; rebuilding");
                    None
                }
            }
        } else {
            None
        };
        let (index, needs_rebuild) = match existing {
            Some(index) => (index, false),
            None => {
                tracing::info!(dir = %index_dir.display(), ?stored, "creating empty search index");
                if index_dir.exists() {
                    fs::remove_dir_all(&index_dir)?;
                }
                fs::create_dir_all(&index_dir)?;
                let index = Index::create_in_dir(&index_dir, schema)?;
                // Written only once the new index exists: a crash before this
                // point just makes the next open wipe again.
                let tmp = dir.join(format!("{VERSION_FILE}.tmp"));
                fs::write(&tmp, format!("{SCHEMA_VERSION}\n"))?;
                fs::rename(&tmp, &version_path)?;
                (index, true)
            }
        };
        let writer = index.writer(50_000_000)?;
        Self::assemble(index, writer, fields, needs_rebuild)
    }

    /// A RAM-only index for tests. Always starts empty, so `needs_rebuild()`
    /// is true (same meaning as for a freshly created on-disk index).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(TOKENIZER, analyzer());
        let writer = index.writer_with_num_threads(1, 15_000_000)?;
        Self::assemble(index, writer, fields, true)
    }

    fn assemble(
        index: Index,
        writer: IndexWriter,
        fields: Fields,
        needs_rebuild: bool,
    ) -> Result<Self, SearchError> {
        // Tokenizers are not persisted by tantivy; register on every open.
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzer: analyzer(),
            needs_rebuild,
        })
    }

    /// True when the index was (re)created empty by this process (first run,
    /// schema upgrade, corruption): the caller should reindex every thread.
    pub fn needs_rebuild(&self) -> bool {
        self.needs_rebuild
    }

    /// Inserts or replaces the given threads (keyed by `thread_id`) with a
    /// single commit, then reloads the reader so searches see them at once.
    /// Batch your calls: each commit costs an fsync and a new segment.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let f = self.fields;
        self.write(|w| {
            for doc in docs {
                w.delete_term(Term::from_field_i64(f.thread_id, doc.thread_id));
                w.add_document(doc.to_tantivy(&f))?;
            }
            Ok(())
        })
    }

    /// Removes the given threads (deleted or hidden in the DB); one commit.
    pub fn delete(&self, thread_ids: &[i64]) -> Result<(), SearchError> {
        if thread_ids.is_empty() {
            return Ok(());
        }
        let f = self.fields;
        self.write(|w| {
            for id in thread_ids {
                w.delete_term(Term::from_field_i64(f.thread_id, *id));
            }
            Ok(())
        })
    }

    /// Deletes every document and commits; used before a full reindex.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.write(|w| w.delete_all_documents().map(|_| ()))
    }

    /// Number of live (searchable) documents, as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs a query in the forum query language (see the crate docs).
    ///
    /// Errors with `InvalidQuery` for over-long queries or too many terms;
    /// `limit` is clamped to 1..=100 and `offset` to at most 10 000.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let parsed = parse(&q.text)?;
        let built = build(&parsed, &self.fields, &self.analyzer);
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let offset = q.offset.min(MAX_OFFSET);
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let searcher = self.reader.searcher();
        let query = &*built.query;
        let sort = match (q.sort, &built.text_query) {
            (SortOrder::Relevance, None) => SortOrder::Newest,
            (s, _) => s,
        };
        let (total, docs): (usize, Vec<(f32, DocAddress)>) = match sort {
            SortOrder::Relevance => searcher.search(query, &(Count, top.order_by_score()))?,
            SortOrder::Newest | SortOrder::Votes => {
                let field = if sort == SortOrder::Newest {
                    FIELD_CREATED_AT
                } else {
                    FIELD_VOTES
                };
                let collector = top.order_by_fast_field::<i64>(field, Order::Desc);
                let (total, docs) = searcher.search(query, &(Count, collector))?;
                (
                    total,
                    docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
                )
            }
        };
        let generator = match &built.text_query {
            Some(tq) => {
                let mut g = SnippetGenerator::create(&searcher, &**tq, self.fields.body)?;
                g.set_max_num_chars(SNIPPET_CHARS);
                Some(g)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            if let Some(hit) = self.hit(&searcher, addr, score, generator.as_ref())? {
                hits.push(hit);
            }
        }
        Ok(SearchResults { total, hits })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        generator: Option<&SnippetGenerator>,
    ) -> Result<Option<SearchHit>, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned()
        };
        let Some(thread_id) = doc.get_first(f.thread_id).and_then(|v| v.as_i64()) else {
            tracing::warn!(?addr, "search document without thread_id; skipped");
            return Ok(None);
        };
        let body = text(f.snippet_source);
        Ok(Some(SearchHit {
            thread_id,
            title: text(f.title),
            snippet_html: render(generator, &body),
            score,
        }))
    }

    /// Runs `ops` then commits and reloads the reader; on failure rolls back
    /// so half-applied operations are never committed by a later call.
    fn write<F>(&self, ops: F) -> Result<(), SearchError>
    where
        F: FnOnce(&mut IndexWriter) -> tantivy::Result<()>,
    {
        let mut w = self.lock_writer();
        let result = ops(&mut w).and_then(|()| w.commit().map(|_| ()));
        if let Err(e) = result {
            if let Err(rb) = w.rollback() {
                tracing::error!(error = %rb, "search index rollback failed");
            }
            return Err(e.into());
        }
        // Reload while still holding the lock so reloads happen in commit order.
        self.reader.reload()?;
        Ok(())
    }

    /// Locks the writer; a poisoned lock (a panic mid-write) is recovered by
    /// rolling back uncommitted operations.
    fn lock_writer(&self) -> MutexGuard<'_, IndexWriter> {
        match self.writer.lock() {
            Ok(w) => w,
            Err(poisoned) => {
                self.writer.clear_poison();
                let mut w = poisoned.into_inner();
                if let Err(e) = w.rollback() {
                    tracing::error!(error = %e, "search index rollback after panic failed");
                }
                w
            }
        }
    }
}
