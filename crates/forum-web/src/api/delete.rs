//! `DELETE /api/v1/posts/{id}`: soft deletion, through the same service as the page's delete
//! button (a question takes its thread with it).

use actix_web::{delete, web, HttpResponse};
use forum_core::deletion::Deleted;
use forum_db::ids::PostId;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// What a deletion removed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeletedKind {
    /// An answer; its thread remains.
    Answer,
    /// A question, and so its whole thread.
    Thread,
}

/// The deletion's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeleteResult {
    deleted: DeletedKind,
    thread_id: i64,
}

/// Deletes a post: its author (a question only while unanswered) or a moderator.
#[utoipa::path(
    operation_id = "delete_post",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deleted", body = DeleteResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not the author, or an answered question", body = ErrorBody),
        (status = 404, description = "No such post (or already deleted)", body = ErrorBody),
    )
)]
#[delete("/posts/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let outcome = state
        .write(move |c| Ok(forum_core::deletion::delete_post(c, &actor, id)?))
        .await?;
    let (deleted, thread_id) = match outcome {
        Deleted::Answer { thread_id } => (DeletedKind::Answer, thread_id),
        Deleted::Thread { thread_id } => (DeletedKind::Thread, thread_id),
    };
    Ok(HttpResponse::Ok().json(DeleteResult {
        deleted,
        thread_id: thread_id.0,
    }))
}
