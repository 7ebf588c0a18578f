//! `POST` and `DELETE /api/v1/posts/{id}/kudos`: thank a post's author or take it back,
//! through the same service as the post's button.

use actix_web::{delete, post, web, HttpResponse};
use forum_db::ids::PostId;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::handlers::kudos::save;
use crate::state::AppState;

/// The post's kudos after the change.
#[derive(Debug, Serialize, ToSchema)]
pub struct KudosResult {
    /// Thank-yous the post has.
    kudos: i64,
    /// Whether the caller's is among them.
    given: bool,
}

async fn answer(
    state: &AppState,
    user: ApiUser,
    id: PostId,
    thank: bool,
) -> AppResult<HttpResponse> {
    let s = save(state, user.0, id, thank).await?;
    Ok(HttpResponse::Ok().json(KudosResult {
        kudos: s.count,
        given: s.given,
    }))
}

/// Thanks the post's author (+2 reputation to them); giving again changes nothing.
#[utoipa::path(
    operation_id = "give_kudos",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Given", body = KudosResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The caller's own post", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 429, description = "The daily allowance is used up", body = ErrorBody),
    )
)]
#[post("/posts/{id}/kudos")]
pub async fn give(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    answer(&state, user, path.into_inner(), true).await
}

/// Takes the caller's kudos back (and the reputation it gave); a no-op when there is none.
#[utoipa::path(
    operation_id = "withdraw_kudos",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Withdrawn", body = KudosResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The caller's own post", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
    )
)]
#[delete("/posts/{id}/kudos")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    answer(&state, user, path.into_inner(), false).await
}
