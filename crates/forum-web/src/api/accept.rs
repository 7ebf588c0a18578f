//! `POST /api/v1/posts/{id}/accept`: accepting an answer, through the same service as the
//! page's accept button (again on the accepted answer un-accepts it).

use actix_web::{post, web, HttpResponse};
use forum_core::accept::AcceptOutcome;
use forum_db::ids::PostId;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// Whether the answer is now the accepted one.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptResult {
    accepted: bool,
}

/// Toggles acceptance of an answer (the asker or a moderator).
#[utoipa::path(
    operation_id = "accept",
    tag = "posts",
    params(("id" = i64, Path, description = "Answer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Accepted (true) or un-accepted (false)", body = AcceptResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Neither the asker nor a moderator", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "The post is a question", body = ErrorBody),
    )
)]
#[post("/posts/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let outcome = state
        .write(move |c| Ok(forum_core::accept::accept(c, &actor, id)?))
        .await?;
    Ok(HttpResponse::Ok().json(AcceptResult {
        accepted: outcome == AcceptOutcome::Accepted,
    }))
}
