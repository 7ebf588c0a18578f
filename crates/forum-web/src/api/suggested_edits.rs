//! Suggested edits through the API, with the same services as their pages: an edit by a member
//! below the edit-others privilege answers 202 with the suggestion (`PATCH /posts/{id}`), the
//! waiting suggestion of a post is read with `GET /posts/{id}/suggested-edit`, and the author or
//! a trusted member approves or rejects it with `POST /suggested-edits/{id}`.

use actix_web::{get, post, web, HttpResponse};
use forum_core::suggested_edits::{self, SuggestedEdit};
use forum_db::ids::{PostId, SuggestedEditId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{ApiUser, ApiViewer};
use super::schema::ErrorBody;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;
use crate::view::iso;

/// An edit waiting for (or past) review.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedEditView {
    id: i64,
    post_id: i64,
    /// Username of the member who suggested it.
    suggester: String,
    /// `pending`, `approved` or `rejected`.
    state: String,
    /// The revision of the post it was written against.
    base_revision: i32,
    /// A new thread title (questions only).
    title: Option<String>,
    /// The whole suggested Markdown text.
    body: String,
    reason: String,
    /// ISO 8601, UTC.
    created_at: String,
}

/// One suggestion.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedEditResult {
    suggested_edit: SuggestedEditView,
}

impl SuggestedEditResult {
    /// The API's shape of a suggestion; `suggester` is the suggester's username.
    pub fn new(s: SuggestedEdit, suggester: String) -> SuggestedEditResult {
        SuggestedEditResult {
            suggested_edit: SuggestedEditView {
                id: s.id.0,
                post_id: s.post_id.0,
                suggester,
                state: s.state.as_str().to_string(),
                base_revision: s.base_revision,
                title: s.title,
                body: s.body_raw,
                reason: s.reason,
                created_at: iso(s.created_at),
            },
        }
    }
}

impl SuggestedEditResult {
    /// The post the suggestion is for.
    pub fn post_id(&self) -> PostId {
        PostId(self.suggested_edit.post_id)
    }
}

/// A verdict on a suggestion.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// `approve` or `reject`.
    action: String,
}

/// The edit suggested for a post and waiting for review.
#[utoipa::path(
    operation_id = "pending_suggested_edit",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The waiting suggestion", body = SuggestedEditResult),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        (status = 404, description = "No such post, or nothing waiting", body = ErrorBody),
    )
)]
#[get("/posts/{id}/suggested-edit")]
pub async fn pending(
    state: web::Data<AppState>,
    viewer: ApiViewer,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let vis = forum_core::visibility::Visibility::for_viewer(viewer.0.as_ref());
    let found = state
        .read(move |c| {
            vis.post(forum_core::lookup::post_by_id(c, id)?)?;
            let Some(s) = suggested_edits::pending_for(c, id)? else {
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    "No suggested edit is waiting for this post.",
                ));
            };
            let name = forum_core::lookup::user_by_id(c, s.suggester_id)?.username;
            Ok(SuggestedEditResult::new(s, name))
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Approves (the suggestion becomes a revision by its suggester) or rejects a suggestion: the
/// post's author, a member holding the edit-others privilege, or a moderator.
#[utoipa::path(
    operation_id = "review_suggested_edit",
    tag = "posts",
    params(("id" = i64, Path, description = "Suggested edit id")),
    request_body = ReviewBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Reviewed", body = SuggestedEditResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Neither the author nor a member who may edit the post", body = ErrorBody),
        (status = 404, description = "No such suggestion", body = ErrorBody),
        (status = 409, description = "Already reviewed, or the post changed since", body = ErrorBody),
        (status = 422, description = "An unknown action", body = ErrorBody),
    )
)]
#[post("/suggested-edits/{id}")]
pub async fn review(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<SuggestedEditId>,
    body: web::Json<ReviewBody>,
) -> AppResult<HttpResponse> {
    let approve = parse_action(&body.action)?;
    let reviewed = save(&state, user.0, path.into_inner(), approve).await?;
    Ok(HttpResponse::Ok().json(reviewed))
}

/// `approve` → true, `reject` → false.
pub fn parse_action(action: &str) -> AppResult<bool> {
    match action {
        "approve" => Ok(true),
        "reject" => Ok(false),
        _ => Err(forum_core::CoreError::invalid("action", "Choose approve or reject").into()),
    }
}

/// Reviews through the service; shared with the page.
pub async fn save(
    state: &AppState,
    actor: forum_core::Actor,
    id: SuggestedEditId,
    approve: bool,
) -> AppResult<SuggestedEditResult> {
    let policy = state.policy.clone();
    state
        .write(move |c| {
            let s = suggested_edits::review(c, &*policy, &actor, id, approve)?;
            let name = forum_core::lookup::user_by_id(c, s.suggester_id)?.username;
            Ok(SuggestedEditResult::new(s, name))
        })
        .await
}
