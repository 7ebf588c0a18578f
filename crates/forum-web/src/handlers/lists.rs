//! Thread lists: home (latest, unanswered, solved), a category, a tag.

use actix_web::{get, web, HttpRequest, HttpResponse};
use forum_core::categories::{category_by_slug, list_categories, tag_by_name};
use forum_core::threads::{list_threads, Tab, ThreadFilter};
use serde::Deserialize;

use crate::error::AppResult;
use crate::pages::{anon_cached, Page};
use crate::session::Viewer;
use crate::state::AppState;
use crate::view::{category_ref, tag_ref, thread_summary, Pagination, ThreadSummary};

/// Threads per page.
pub const PER_PAGE: i64 = 30;

#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    page: Option<i64>,
}

async fn load(state: &AppState, filter: ThreadFilter) -> AppResult<(Vec<ThreadSummary>, bool)> {
    state
        .read(move |c| {
            let (list, has_next) = list_threads(c, &filter)?;
            Ok((list.iter().map(thread_summary).collect(), has_next))
        })
        .await
}

#[get("/")]
pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    anon_cached(
        &state,
        &viewer,
        &req,
        render_home(&state, &viewer, q.into_inner()),
    )
    .await
}

async fn render_home(state: &AppState, viewer: &Viewer, q: ListQuery) -> AppResult<HttpResponse> {
    let tab = Tab::parse(q.tab.as_deref().unwrap_or("latest"));
    let page = q.page.unwrap_or(1).max(1);
    let filter = ThreadFilter {
        tab,
        page,
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (threads, has_next) = load(state, filter).await?;
    let categories = state.read(|c| Ok(list_categories(c)?)).await?;
    let base = if tab == Tab::Latest {
        "/".to_string()
    } else {
        format!("/?tab={}", tab.as_str())
    };
    let title = match tab {
        Tab::Latest => "Latest questions",
        Tab::Unanswered => "Unanswered questions",
        Tab::Solved => "Solved questions",
    };
    Page::new(state, viewer, "home.html", title)
        .canonical(state, &base)
        .with("tab", &tab.as_str())
        .with("threads", &threads)
        .with("pagination", &Pagination::new(&base, page, has_next))
        .with(
            "categories",
            &categories.iter().map(category_ref).collect::<Vec<_>>(),
        )
        .render(state)
}

#[get("/c/{slug}")]
pub async fn category(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let page = render_category(&state, &viewer, path.into_inner(), q.into_inner());
    anon_cached(&state, &viewer, &req, page).await
}

async fn render_category(
    state: &AppState,
    viewer: &Viewer,
    slug: String,
    q: ListQuery,
) -> AppResult<HttpResponse> {
    let cat = state.read(move |c| Ok(category_by_slug(c, &slug)?)).await?;
    let page = q.page.unwrap_or(1).max(1);
    let filter = ThreadFilter {
        category_id: Some(cat.id),
        page,
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (threads, has_next) = load(state, filter).await?;
    let base = format!("/c/{}", cat.slug);
    Page::new(state, viewer, "category.html", &cat.name)
        .canonical(state, &base)
        .with("category", &category_ref(&cat))
        .with("threads", &threads)
        .with("pagination", &Pagination::new(&base, page, has_next))
        .render(state)
}

#[get("/tags/{name}")]
pub async fn tag(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let page = render_tag(&state, &viewer, path.into_inner(), q.into_inner());
    anon_cached(&state, &viewer, &req, page).await
}

async fn render_tag(
    state: &AppState,
    viewer: &Viewer,
    name: String,
    q: ListQuery,
) -> AppResult<HttpResponse> {
    let t = state.read(move |c| Ok(tag_by_name(c, &name)?)).await?;
    let page = q.page.unwrap_or(1).max(1);
    let filter = ThreadFilter {
        tag_id: Some(t.id),
        page,
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (threads, has_next) = load(state, filter).await?;
    let base = format!("/tags/{}", t.name);
    Page::new(
        &state,
        viewer,
        "tag.html",
        &format!("Questions tagged {}", t.name),
    )
    .canonical(state, &base)
    .with("tag", &tag_ref(&t.name))
    .with("threads", &threads)
    .with("pagination", &Pagination::new(&base, page, has_next))
    .render(state)
}
