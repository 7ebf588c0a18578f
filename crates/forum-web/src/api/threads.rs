//! Reading threads over JSON: the list (by cursor or by page) and one thread, as the reader
//! may see them (a moderator's token shows deleted posts, as the pages do).

use actix_web::{get, web, HttpRequest, HttpResponse};
use forum_core::queries::PostWithMeta;
use forum_core::queries::{Tab, ThreadFilter};
use forum_db::ids::ThreadId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiViewer;
use super::cursor;
use super::etag::json_with_etag;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{post_view, thread_summary, PostView, ThreadSummary};

/// Threads per API page.
pub const PER_PAGE: i64 = 30;

/// `GET /api/v1/threads` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `latest` (by last activity, the default), `unanswered` (newest first) or `solved`
    /// (most recently solved first); unknown values mean `latest`.
    tab: Option<String>,
    /// 1-based page number, for clients that page by number; ignored when `cursor` is given.
    page: Option<i64>,
    /// The `next_cursor` of the previous response: the list goes on right after its last row.
    cursor: Option<String>,
}

/// One page of a thread list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadList {
    /// Thread summaries (id, title, url, category, author, tags, score, answer_count, solved,
    /// created_at, excerpt, ...), as the list pages show them.
    #[schema(value_type = Vec<Object>)]
    threads: Vec<ThreadSummary>,
    /// The page number asked for (1 when reading by cursor).
    page: i64,
    /// True when more threads follow.
    has_next: bool,
    /// Pass as `?cursor=` for the next page; null at the end of the list.
    next_cursor: Option<String>,
}

/// A thread with its question and answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDetail {
    /// The thread's summary, as in the list.
    #[schema(value_type = Object)]
    thread: ThreadSummary,
    /// The question post: body_html, score, author, comments, and what the reader may do
    /// (can_edit, can_delete, can_vote, my_vote, ...).
    #[schema(value_type = Object)]
    question: PostView,
    /// The answers, accepted first, then by score.
    #[schema(value_type = Vec<Object>)]
    answers: Vec<PostView>,
}

/// Lists threads, newest activity first by default.
#[utoipa::path(
    operation_id = "list_threads",
    tag = "threads",
    params(ListQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of threads", body = ThreadList,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        (status = 422, description = "Invalid cursor or query", body = ErrorBody),
    )
)]
#[get("/threads")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: ApiViewer,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let tab = Tab::parse(q.tab.as_deref().unwrap_or("latest"));
    let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(token) => Some(cursor::decode(tab, token)?),
        None => None,
    };
    let page = if after.is_some() {
        1
    } else {
        q.page.unwrap_or(1).max(1)
    };
    let filter = ThreadFilter {
        tab,
        page,
        per_page: PER_PAGE,
        visibility: viewer.visibility(),
        after,
        ..Default::default()
    };
    let reads = state.reads.clone();
    let list = state
        .read_quick(move |c| Ok(reads.list_threads(c, &filter)?))
        .await?;
    let (rows, has_next) = &*list;
    let has_next = *has_next;
    let last = rows.last().map(|s| tab.cursor_after(&s.thread));
    let threads: Vec<_> = rows.iter().map(thread_summary).collect();
    let next_cursor = last
        .filter(|_| has_next)
        .map(|last| cursor::encode(tab, last));
    let body = ThreadList {
        threads,
        page,
        has_next,
        next_cursor,
    };
    json_with_etag(&req, &body)
}

/// One thread: its summary, question and answers.
#[utoipa::path(
    operation_id = "show_thread",
    tag = "threads",
    params(("id" = i64, Path, description = "Thread id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The thread", body = ThreadDetail,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        (status = 404, description = "No such thread, or not visible to the reader", body = ErrorBody),
    )
)]
#[get("/threads/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: ApiViewer,
    path: web::Path<ThreadId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = viewer.0;
    let reader = me.clone();
    let reads = state.reads.clone();
    let page = state
        .read_quick(move |c| Ok(reads.thread_page(c, id, reader.as_ref())?))
        .await?;
    let me = me.as_ref();
    let privileges = state.policy.privileges();
    let view = |p: &PostWithMeta| post_view(p, &page, me, &privileges);
    let body = ThreadDetail {
        thread: thread_summary(&page.summary),
        question: view(&page.question),
        answers: page.answers.iter().map(view).collect(),
    };
    json_with_etag(&req, &body)
}
