//! `POST /api/v1/threads/{id}/answers`: answering, through the same service as the thread page.

use actix_web::{post, web, HttpResponse};
use forum_db::ids::ThreadId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// An answer's text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// Markdown, 10 to 30,000 characters.
    body: String,
}

/// The answer as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    id: i64,
    thread_id: i64,
    /// The cooked (sanitised) HTML.
    body_html: String,
    score: i64,
}

/// The answer created.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerCreated {
    answer: AnswerView,
}

/// Answers a thread.
#[utoipa::path(
    operation_id = "answer",
    tag = "threads",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = AnswerBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Answered", body = AnswerCreated),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
        (status = 422, description = "A rule broken (length, links)", body = ErrorBody),
        (status = 429, description = "Posting too fast (see Retry-After)", body = ErrorBody),
    )
)]
#[post("/threads/{id}/answers")]
pub async fn answer(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<ThreadId>,
    body: web::Json<AnswerBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let text = body.into_inner().body;
    let policy = state.policy.clone();
    let post = state
        .write(move |c| Ok(forum_core::posts::answer(c, &*policy, &actor, id, &text)?))
        .await?;
    let answer = AnswerView {
        id: post.id.0,
        thread_id: post.thread_id.0,
        body_html: post.body_html,
        score: post.score,
    };
    Ok(HttpResponse::Created().json(AnswerCreated { answer }))
}
