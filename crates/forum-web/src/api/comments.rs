//! `POST /api/v1/posts/{id}/comments`: commenting, through the same service as the page's
//! comment form.

use actix_web::{post, web, HttpResponse};
use forum_db::ids::PostId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// A comment's text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommentBody {
    /// Markdown, 2 to 1,000 characters.
    body: String,
}

/// The comment as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentRef {
    id: i64,
    post_id: i64,
}

/// The comment created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentCreated {
    comment: CommentRef,
}

/// Comments under a post.
#[utoipa::path(
    operation_id = "comment",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    request_body = CommentBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Commented", body = CommentCreated),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A rule broken (length, links)", body = ErrorBody),
        (status = 429, description = "Posting too fast (see Retry-After)", body = ErrorBody),
    )
)]
#[post("/posts/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
    body: web::Json<CommentBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let post_id = path.into_inner();
    let text = body.into_inner().body;
    let policy = state.policy.clone();
    let id = state
        .write(move |c| {
            Ok(forum_core::posts::comment(
                c, &*policy, &actor, post_id, &text,
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(CommentCreated {
        comment: CommentRef {
            id: id.0,
            post_id: post_id.0,
        },
    }))
}
