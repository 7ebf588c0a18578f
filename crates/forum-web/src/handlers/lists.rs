//! Thread lists: home (latest, unanswered, solved), a category, a tag. One renderer serves all
//! three; each route only says which threads and what the page is about.

use actix_web::{get, web, HttpRequest, HttpResponse};
use forum_core::lookup::{category_by_slug, tag_by_name};
use forum_core::queries::{Tab, ThreadFilter};
use forum_core::watching;
use forum_db::types::{WatchLevel, WatchTarget};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::pages::{anon_cached, fragment_into, Page};
use crate::session::Viewer;
use crate::state::AppState;
use crate::view::{category_ref, page_number, tag_ref, thread_summary, Pagination, ThreadSummary};

/// Threads per page.
pub const PER_PAGE: i64 = 30;

/// The list parameters; `page` is read leniently (see [`page_number`]).
#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    page: Option<String>,
}

/// What `partials/thread_row.html` sees.
#[derive(Serialize, Hash)]
struct ThreadRowInput<'a> {
    t: &'a ThreadSummary,
    heading_level: u8,
    show_category: bool,
}

/// The rows of a thread list, each rendered by `partials/thread_row.html` (reused while
/// unchanged, see [`crate::fragments`]) into one piece of HTML for `macros.html`'s
/// `thread_list`.
pub(crate) fn thread_rows(
    state: &AppState,
    viewer: &Viewer,
    threads: &[ThreadSummary],
    heading_level: u8,
    show_category: bool,
) -> AppResult<String> {
    let mut html = String::new();
    for t in threads {
        let input = ThreadRowInput {
            t,
            heading_level,
            show_category,
        };
        fragment_into(
            state,
            &viewer.csrf_token,
            "partials/thread_row.html",
            &input,
            &mut html,
        )?;
    }
    Ok(html)
}

/// What a list page shows besides its threads.
struct ListPage {
    template: &'static str,
    /// A category's page leaves the category out of its rows.
    show_category: bool,
    title: String,
    /// Canonical path, also the base of pagination links.
    base: String,
    /// The home list shown (marked in the navigation and given to the template as `tab`).
    tab: Option<&'static str>,
    /// A category's or tag's watch form: where it posts and the member's level (none for
    /// anonymous readers and on home).
    watch: Option<(String, WatchLevel)>,
    /// The page's own variables (`category`, `tag`, or `categories` on home).
    context: Vec<(&'static str, serde_json::Value)>,
}

async fn render_list(
    state: &AppState,
    viewer: &Viewer,
    filter: ThreadFilter,
    list: ListPage,
) -> AppResult<HttpResponse> {
    let page_number = filter.page;
    let reads = state.reads.clone();
    let found = state
        .read_quick(move |c| Ok(reads.list_threads(c, &filter)?))
        .await?;
    let (rows, has_next) = &*found;
    let has_next = *has_next;
    let threads: Vec<_> = rows.iter().map(thread_summary).collect();
    let mut page =
        Page::new(state, viewer, list.template, &list.title).canonical(state, &list.base);
    for (key, value) in &list.context {
        page = page.with(key, value);
    }
    if let Some(tab) = list.tab {
        page = page.current_tab(tab);
    }
    if let Some((action, level)) = &list.watch {
        page = page
            .with("watch_action", action)
            .with("watch_level", &level.as_str())
            .with("watch_new", &"question");
    }
    page.with("thread_count", &threads.len())
        .with_html(
            state,
            "threads_html",
            thread_rows(state, viewer, &threads, 2, list.show_category)?,
        )
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
        let reads = state.reads.clone();
        let categories = state.read_quick(move |c| Ok(reads.categories(c)?)).await?;
        let categories: Vec<_> = categories.iter().map(category_ref).collect();
        let list = ListPage {
            template: "home.html",
            show_category: true,
            watch: None,
            title: title.into(),
            base,
            tab: Some(tab.as_str()),
            context: vec![("categories", json(&categories))],
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
        let me = viewer.user.as_ref().map(|u| u.id);
        let (cat, level) = state
            .read(move |c| {
                let cat = category_by_slug(c, &slug)?;
                let level = watching::viewer_level(c, me, WatchTarget::Category, cat.id.0)?;
                Ok((cat, level))
            })
            .await?;
        let list = ListPage {
            template: "category.html",
            show_category: false,
            title: cat.name.clone(),
            base: format!("/c/{}", cat.slug),
            tab: None,
            watch: level.map(|l| (format!("/c/{}/watch", cat.slug), l)),
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
        let me = viewer.user.as_ref().map(|u| u.id);
        let (t, level) = state
            .read(move |c| {
                let t = tag_by_name(c, &name)?;
                let level = watching::viewer_level(c, me, WatchTarget::Tag, t.id.0)?;
                Ok((t, level))
            })
            .await?;
        let list = ListPage {
            template: "tag.html",
            show_category: true,
            title: format!("Questions tagged {}", t.name),
            base: format!("/tags/{}", t.name),
            tab: None,
            watch: level.map(|l| (format!("/tags/{}/watch", t.name), l)),
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
