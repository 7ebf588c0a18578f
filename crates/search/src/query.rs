//! The forum's query language: parsed by hand into tantivy queries so raw
//! user text never reaches tantivy's strict query parser.

use std::str::FromStr;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::doc::{keyword, Fields};
use crate::safe_seek::PlainSeek;
use crate::SearchError;

/// Longest accepted query text, in characters (protects the index from
/// pathological queries).
pub(crate) const MAX_QUERY_CHARS: usize = 500;
/// Most terms (words, phrase words, filters) accepted in one query.
pub(crate) const MAX_TERMS: usize = 32;
/// Title matches count about twice as much as body matches.
const TITLE_BOOST: f32 = 2.0;

/// How results are ordered.
///
/// Why an enum with string forms: it travels through the URL (`?sort=votes`),
/// so parsing is strict and the canonical spelling comes from `as_str`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// BM25 relevance (falls back to newest first when the query has no free text).
    #[default]
    Relevance,
    /// Newest thread first (`created_at` descending).
    Newest,
    /// Highest question score first.
    Votes,
}

impl SortOrder {
    /// Canonical URL spelling, the inverse of `FromStr`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Newest => "newest",
            SortOrder::Votes => "votes",
        }
    }
}

impl FromStr for SortOrder {
    type Err = SearchError;

    /// Accepts exactly the `as_str` spellings (case-insensitive); anything else
    /// is an `InvalidQuery` so a tampered URL gets a clear error.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "relevance" => Ok(SortOrder::Relevance),
            "newest" => Ok(SortOrder::Newest),
            "votes" => Ok(SortOrder::Votes),
            other => Err(SearchError::InvalidQuery(format!(
                "unknown sort order `{other}`"
            ))),
        }
    }
}

/// A search request, as the web layer builds it from the query string.
///
/// Why plain public fields: it is a dumb value; `SearchIndex::search`
/// validates and clamps (`limit` to 1..=100, `offset` to <= 10 000).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// The user's query in the forum query language (see the crate docs).
    pub text: String,
    /// Result ordering.
    pub sort: SortOrder,
    /// Number of hits to skip (pagination).
    pub offset: usize,
    /// Page size.
    pub limit: usize,
}

/// One result row.
///
/// Why `snippet_html` is HTML: highlighting needs markup; everything except
/// the `<mark>` tags is already escaped, so templates may output it raw.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The thread to link to.
    pub thread_id: i64,
    /// Stored title, plain text (the template escapes it).
    pub title: String,
    /// Escaped body excerpt with matches wrapped in `<mark>`…`</mark>`.
    pub snippet_html: String,
    /// BM25 score for `Relevance` with free text; 0.0 otherwise.
    pub score: f32,
}

/// A page of results plus the full match count (for pagination).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Number of matching threads in total, not just on this page.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<SearchHit>,
}

/// One parsed element of the query language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    Text(String),
    Phrase(String),
    Tag(String),
    Category(String),
    User(String),
    Solved,
    Unanswered,
    Open,
}

/// A clause and whether it was negated with a leading `-`.
pub(crate) type Parsed = Vec<(bool, Clause)>;

/// Splits the user's text into clauses, enforcing the length/term limits.
pub(crate) fn parse(text: &str) -> Result<Parsed, SearchError> {
    let text = text.trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::InvalidQuery(format!(
            "query is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut terms = 0usize;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        let clause = if chars[i] == '"' {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && chars[end] != '"' {
                end += 1;
            }
            i = end + 1; // skip closing quote (or run past the end if unterminated)
            let phrase: String = chars[start..end.min(chars.len())].iter().collect();
            terms += phrase.split_whitespace().count().max(1);
            Clause::Phrase(phrase)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            terms += 1;
            classify(chars[start..i].iter().collect())
        };
        if terms > MAX_TERMS {
            return Err(SearchError::InvalidQuery(format!(
                "query has more than {MAX_TERMS} terms"
            )));
        }
        out.push((negated, clause));
    }
    Ok(out)
}

/// Recognises `key:value` filters; unknown prefixes stay plain text.
fn classify(word: String) -> Clause {
    let Some((key, value)) = word.split_once(':') else {
        return Clause::Text(word);
    };
    if value.is_empty() {
        return Clause::Text(word);
    }
    match (
        key.to_ascii_lowercase().as_str(),
        value.to_ascii_lowercase().as_str(),
    ) {
        ("tag", _) => Clause::Tag(keyword(value)),
        ("category", _) => Clause::Category(keyword(value)),
        ("user", _) => Clause::User(keyword(value)),
        ("is", "solved") => Clause::Solved,
        ("is", "unanswered") => Clause::Unanswered,
        ("is", "open") => Clause::Open,
        _ => Clause::Text(word),
    }
}

/// The tantivy query to run plus the positive text part used for snippets.
pub(crate) struct Built {
    pub query: Box<dyn Query>,
    /// `None` when the query has no positive free text (then relevance is
    /// meaningless and snippets fall back to the body's start).
    pub text_query: Option<Box<dyn Query>>,
}

/// Turns parsed clauses into a tantivy query: AND of all positive clauses,
/// minus the negated ones; `AllQuery` when nothing positive remains.
pub(crate) fn build(parsed: &Parsed, f: &Fields, analyzer: &TextAnalyzer) -> Built {
    let mut analyzer = analyzer.clone();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut text_parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (negated, clause) in parsed {
        let occur = if *negated {
            Occur::MustNot
        } else {
            Occur::Must
        };
        let q = match clause {
            Clause::Text(s) | Clause::Phrase(s) => {
                let Some(q) = text_query(s, f, &mut analyzer) else {
                    continue;
                };
                if *negated {
                    Box::new(PlainSeek(q))
                } else {
                    text_parts.push((Occur::Must, q.box_clone()));
                    q
                }
            }
            Clause::Tag(v) => filter(Term::from_field_text(f.tags, v)),
            Clause::Category(v) => filter(Term::from_field_text(f.category, v)),
            Clause::User(v) => filter(Term::from_field_text(f.author, v)),
            Clause::Solved => filter(Term::from_field_bool(f.solved, true)),
            Clause::Open => filter(Term::from_field_bool(f.solved, false)),
            Clause::Unanswered => filter(Term::from_field_i64(f.answer_count, 0)),
        };
        clauses.push((occur, q));
    }
    if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    let text_query: Option<Box<dyn Query>> = if text_parts.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::new(text_parts)))
    };
    Built {
        query: Box::new(BooleanQuery::new(clauses)),
        text_query,
    }
}

/// Filters must not change relevance, so they score a constant 0.
fn filter(term: Term) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    ))
}

/// A word or phrase matched in title (boosted) OR body. Words that analyse to
/// several tokens (`foo-bar`) are matched as a phrase. `None` if the text
/// contains no indexable token (e.g. only punctuation).
fn text_query(text: &str, f: &Fields, analyzer: &mut TextAnalyzer) -> Option<Box<dyn Query>> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(tok) = stream.next() {
        tokens.push(tok.text.clone());
    }
    if tokens.is_empty() {
        return None;
    }
    let per_field = |field: Field| -> Box<dyn Query> {
        let terms: Vec<Term> = tokens
            .iter()
            .map(|t| Term::from_field_text(field, t))
            .collect();
        match <[Term; 1]>::try_from(terms) {
            Ok([term]) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            Err(terms) => Box::new(PhraseQuery::new(terms)),
        }
    };
    Some(Box::new(BooleanQuery::new(vec![
        (
            Occur::Should,
            Box::new(BoostQuery::new(per_field(f.title), TITLE_BOOST)),
        ),
        (Occur::Should, per_field(f.body)),
    ])))
}
