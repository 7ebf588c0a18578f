//! `POST /api/v1/threads`: asking a question, through the same service as the ask page.

use actix_web::{post, web, HttpResponse};
use forum_core::queries::thread_page;
use forum_core::threads::AskInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{thread_summary, ThreadSummary};

/// A question to ask.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AskBody {
    /// 8 to 150 characters.
    title: String,
    /// Markdown, 10 to 30,000 characters.
    body: String,
    /// A category slug (staff-only categories refuse members).
    category: String,
    /// Up to 5 tags.
    #[serde(default)]
    tags: Vec<String>,
}

/// The thread created.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadCreated {
    /// Its summary, as in the list.
    #[schema(value_type = Object)]
    thread: ThreadSummary,
}

/// Asks a question: a new thread and its first post.
#[utoipa::path(
    operation_id = "ask",
    tag = "threads",
    request_body = AskBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Asked", body = ThreadCreated),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "A staff-only category", body = ErrorBody),
        (status = 422, description = "A rule broken (title, body, tags, category, links)", body = ErrorBody),
        (status = 429, description = "Posting too fast (see Retry-After)", body = ErrorBody),
    )
)]
#[post("/threads")]
pub async fn create(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<AskBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let b = body.into_inner();
    let policy = state.policy.clone();
    let reader = actor.clone();
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
    let thread = state
        .read(move |c| Ok(thread_summary(&thread_page(c, id, Some(&reader))?.summary)))
        .await?;
    Ok(HttpResponse::Created().json(ThreadCreated { thread }))
}
