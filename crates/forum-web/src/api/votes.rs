//! `POST /api/v1/posts/{id}/vote`: voting, through the same service as the page's vote buttons.

use actix_web::{post, web, HttpResponse};
use forum_core::votes::VoteChoice;
use forum_db::ids::PostId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// The vote to hold on a post.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VoteValue {
    Up,
    Down,
    /// Withdraw any vote.
    None,
}

impl From<VoteValue> for VoteChoice {
    fn from(v: VoteValue) -> VoteChoice {
        match v {
            VoteValue::Up => VoteChoice::Up,
            VoteValue::Down => VoteChoice::Down,
            VoteValue::None => VoteChoice::None,
        }
    }
}

/// A vote.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteBody {
    value: VoteValue,
}

/// The post's score after the vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteResult {
    score: i64,
}

/// Sets the caller's vote on a post (the same vote again changes nothing).
#[utoipa::path(
    operation_id = "vote",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    request_body = VoteBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Voted", body = VoteResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "One's own post, or not enough reputation to downvote", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A value other than up, down or none", body = ErrorBody),
    )
)]
#[post("/posts/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
    body: web::Json<VoteBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let choice = VoteChoice::from(body.value);
    let policy = state.policy.clone();
    let score = state
        .write(move |c| {
            Ok(forum_core::votes::vote(
                c,
                policy.as_ref(),
                &actor,
                id,
                choice,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(VoteResult { score }))
}
