//! Thread lists: home (latest, unanswered, solved), a category, a tag. One renderer serves all
//! three; each route only says which threads and what the page is about.

use actix_web::{get, web, HttpRequest, HttpResponse};
use forum_core::categories::list_categories;
use forum_core::lookup::{category_by_slug, tag_by_name};
use forum_core::queries::{list_threads, Tab, ThreadFilter};
use serde::Deserialize;

use crate::error::AppResult;
use crate::pages::{anon_cached, Page};
use crate::session::Viewer;
use crate::state::AppState;
use crate::view::{category_ref, page_number, tag_ref, thread_summary, Pagination};

/// Threads per page.
pub const PER_PAGE: i64 = 30;

/// The list parameters; `page` is read leniently (see [`page_number`]).
#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    page: Option<String>,
}

/// What a list page shows besides its threads.
struct ListPage {
    template: &'static str,
    title: String,
    /// Canonical path, also the base of pagination links.
    base: String,
    /// The page's own variables (`category`, `tag`, or `tab` and `categories` on home).
    context: Vec<(&'static str, serde_json::Value)>,
}

async fn render_list(
    state: &AppState,
    viewer: &Viewer,
    filter: ThreadFilter,
    list: ListPage,
) -> AppResult<HttpResponse> {
    let page_number = filter.page;
    let (threads, has_next) = state
        .read(move |c| {
            let (rows, has_next) = list_threads(c, &filter)?;
            Ok((
                rows.iter().map(thread_summary).collect::<Vec<_>>(),
                has_next,
            ))
        })
        .await?;
    let mut page =
        Page::new(state, viewer, list.template, &list.title).canonical(state, &list.base);
    for (key, value) in &list.context {
        page = page.with(key, value);
    }
    page.with("threads", &threads)
        .with(
            "pagination",
            &Pagination::new(&list.base, page_number, has_next),
        )
        .render(state)
}

fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn filter(q: &ListQuery, viewer: &Viewer, f: ThreadFilter) -> ThreadFilter {
    ThreadFilter {
        visibility: viewer.visibility(),
        page: page_number(q.page.as_deref()),
        per_page: PER_PAGE,
        ..f
    }
}

#[get("/")]
pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    anon_cached(&state, &viewer, &req, async {
        let tab = Tab::parse(q.tab.as_deref().unwrap_or("latest"));
        let (base, title) = match tab {
            Tab::Latest => ("/".to_string(), "Latest questions"),
            Tab::Unanswered => ("/?tab=unanswered".to_string(), "Unanswered questions"),
            Tab::Solved => ("/?tab=solved".to_string(), "Solved questions"),
        };
        let categories = state.read(|c| Ok(list_categories(c)?)).await?;
        let categories: Vec<_> = categories.iter().map(category_ref).collect();
        let list = ListPage {
            template: "home.html",
            title: title.into(),
            base,
            context: vec![
                ("tab", tab.as_str().into()),
                ("categories", json(&categories)),
            ],
        };
        let f = filter(
            &q,
            &viewer,
            ThreadFilter {
                tab,
                ..Default::default()
            },
        );
        render_list(&state, &viewer, f, list).await
    })
    .await
}

#[get("/c/{slug}")]
pub async fn category(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    anon_cached(&state, &viewer, &req, async {
        let slug = path.into_inner();
        let cat = state.read(move |c| Ok(category_by_slug(c, &slug)?)).await?;
        let list = ListPage {
            template: "category.html",
            title: cat.name.clone(),
            base: format!("/c/{}", cat.slug),
            context: vec![("category", json(&category_ref(&cat)))],
        };
        let f = filter(
            &q,
            &viewer,
            ThreadFilter {
                category_id: Some(cat.id),
                ..Default::default()
            },
        );
        render_list(&state, &viewer, f, list).await
    })
    .await
}

#[get("/tags/{name}")]
pub async fn tag(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    anon_cached(&state, &viewer, &req, async {
        let name = path.into_inner();
        let t = state.read(move |c| Ok(tag_by_name(c, &name)?)).await?;
        let list = ListPage {
            template: "tag.html",
            title: format!("Questions tagged {}", t.name),
            base: format!("/tags/{}", t.name),
            context: vec![("tag", json(&tag_ref(&t.name)))],
        };
        let f = filter(
            &q,
            &viewer,
            ThreadFilter {
                tag_id: Some(t.id),
                ..Default::default()
            },
        );
        render_list(&state, &viewer, f, list).await
    })
    .await
}
