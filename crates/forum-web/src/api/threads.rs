//! Threads over JSON: list, read, ask, answer.

use actix_web::{get, post, web, HttpResponse};
use forum_core::threads::{list_threads, AskInput, Tab, ThreadFilter};
use forum_core::views::thread_page;
use serde::Deserialize;

use super::auth::ApiUser;
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{post_view, thread_summary};

#[derive(Deserialize)]
struct ListQuery {
    tab: Option<String>,
    page: Option<i64>,
}

#[get("/threads")]
pub async fn list(state: web::Data<AppState>, q: web::Query<ListQuery>) -> AppResult<HttpResponse> {
    let tab = Tab::parse(q.tab.as_deref().unwrap_or("latest"));
    let page = q.page.unwrap_or(1).max(1);
    let filter = ThreadFilter {
        tab,
        page,
        per_page: 30,
        ..Default::default()
    };
    let (threads, has_next) = state
        .read(move |c| {
            let (list, has_next) = list_threads(c, &filter)?;
            Ok((
                list.iter().map(thread_summary).collect::<Vec<_>>(),
                has_next,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({"threads": threads, "page": page, "has_next": has_next})))
}

#[get("/threads/{id}")]
pub async fn show(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let page = state.read(move |c| Ok(thread_page(c, id, None)?)).await?;
    // An anonymous read: the public visibility rule applies inside `thread_page`.
    let t = &page.summary.thread;
    let accepted = t.accepted_post_id;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "thread": thread_summary(&page.summary),
        "question": post_view(&page.question, t.author_id, accepted, None),
        "answers": page.answers.iter().map(|a| post_view(a, t.author_id, accepted, None)).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct AskBody {
    title: String,
    body: String,
    category: String,
    #[serde(default)]
    tags: Vec<String>,
}

#[post("/threads")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<AskBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let b = body.into_inner();
    let policy = state.policy.clone();
    let id = state
        .write(move |c| {
            let tags = b.tags.join(" ");
            let input = AskInput {
                title: &b.title,
                body: &b.body,
                category_slug: &b.category,
                tags: &tags,
            };
            Ok(forum_core::threads::ask(c, &*policy, &actor, &input)?.id)
        })
        .await?;
    let summary = state
        .read(move |c| Ok(thread_summary(&thread_page(c, id, None)?.summary)))
        .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "thread": summary })))
}

#[derive(Deserialize)]
struct AnswerBody {
    body: String,
}

#[post("/threads/{id}/answers")]
pub async fn answer(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<AnswerBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let text = body.into_inner().body;
    let policy = state.policy.clone();
    let post = state
        .write(move |c| Ok(forum_core::posts::answer(c, &*policy, &actor, id, &text)?))
        .await?;
    Ok(HttpResponse::Created().json(serde_json::json!({
        "answer": {"id": post.id, "thread_id": post.thread_id, "body_html": post.body_html, "score": post.score}
    })))
}
