//! The search page: the query language of the `search` crate over the tantivy index.

use actix_web::{get, web, HttpResponse};
use forum_db::ids::ThreadId;
use search::{SearchError, SearchQuery, SortOrder};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;
use crate::view::{page_number, Pagination};

const PER_PAGE: usize = 20;
/// Deepest result page served; nobody reads 10,000 results, and deeper offsets cost the index.
const MAX_SEARCH_PAGE: i64 = 500;

#[derive(Deserialize)]
struct Params {
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct ResultView {
    title: String,
    url: String,
    snippet_html: String,
    score: i64,
    answer_count: i64,
    solved: bool,
}

#[get("/search")]
pub async fn search_page(
    state: web::Data<AppState>,
    viewer: Viewer,
    p: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let q = p.q.clone().unwrap_or_default();
    let sort: SortOrder = p
        .sort
        .as_deref()
        .unwrap_or("relevance")
        .parse()
        .unwrap_or_default();
    let page = page_number(p.page.as_deref()).min(MAX_SEARCH_PAGE);
    let offset = (page as usize - 1) * PER_PAGE;
    let mut results = Vec::new();
    let mut total = 0;
    let mut error = None;
    if !q.trim().is_empty() {
        let index = state.search.clone();
        let query = SearchQuery {
            text: q.clone(),
            sort,
            offset,
            limit: PER_PAGE,
        };
        match web::block(move || index.search(&query))
            .await
            .map_err(AppError::internal)?
        {
            Ok(r) => {
                total = r.total;
                // The index knows bare numbers; the database's ids are typed.
                let ids: Vec<ThreadId> = r.hits.iter().map(|h| ThreadId(h.thread_id)).collect();
                let vis = viewer.visibility();
                let slugs = state
                    .read(move |c| Ok(forum_core::queries::thread_links(c, vis, &ids)?))
                    .await?;
                results = r
                    .hits
                    .into_iter()
                    .filter_map(|h| {
                        slugs.get(&ThreadId(h.thread_id)).map(|link| ResultView {
                            url: crate::view::thread_url(&link.slug, ThreadId(h.thread_id)),
                            title: h.title,
                            snippet_html: h.snippet_html,
                            score: link.score,
                            answer_count: link.answer_count,
                            solved: link.solved,
                        })
                    })
                    .collect();
            }
            Err(SearchError::InvalidQuery(m)) => error = Some(m),
            Err(e) => return Err(AppError::internal(e)),
        }
    }
    let base = format!("/search?q={}&sort={}", urlencode(&q), sort.as_str());
    let has_next = (page as usize) * PER_PAGE < total;
    let title = if q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {q}")
    };
    Page::new(&state, &viewer, "search.html", &title)
        .without_header_search()
        .with("q", &q)
        .with("sort", &sort.as_str())
        .with("total", &total)
        .with("first", &(offset + 1))
        .with("last", &(offset + results.len()))
        .with("results", &results)
        .with("pagination", &Pagination::new(&base, page, has_next))
        .with("error", &error)
        .render(&state)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
