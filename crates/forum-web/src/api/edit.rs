//! Editing a post and reading its history, through the same services as the edit and
//! revisions pages (`PATCH /api/v1/posts/{id}`, `GET /api/v1/posts/{id}/revisions`).

use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use forum_core::edit::{EditInput, Edited};
use forum_core::lookup::{post_by_id, thread_by_id};
use forum_core::queries::authors_by_id;
use forum_db::ids::PostId;
use forum_db::ids::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{ApiUser, ApiViewer};
use super::etag::json_with_etag;
use super::schema::ErrorBody;
use super::suggested_edits::SuggestedEditResult;
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::{iso, user_ref, UserRef};

/// A new text for a post.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EditBody {
    /// The whole new Markdown text, 10 to 30,000 characters.
    body: String,
    /// Why (shown in the history); up to 300 characters, may be empty.
    #[serde(default)]
    reason: String,
    /// A new thread title; only a question's edit uses it.
    #[serde(default)]
    title: Option<String>,
}

/// The post after the edit.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditedPost {
    id: i64,
    thread_id: i64,
    /// The revision number, 1 for the original text.
    revision: i32,
    /// The cooked (sanitised) HTML.
    body_html: String,
}

/// The edit's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct EditResult {
    post: EditedPost,
}

/// One revision of a post.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    revision: i32,
    /// Who wrote this revision: username, url, reputation, role.
    #[schema(value_type = Object)]
    editor: UserRef,
    /// ISO 8601, UTC.
    created_at: String,
    reason: String,
    /// The thread title at this revision (questions only).
    title: Option<String>,
    /// The Markdown text of this revision.
    body_raw: String,
}

/// A post's history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    post_id: i64,
    revisions: Vec<Revision>,
}

/// Edits a post (its author, a member holding the edit-others privilege, or a moderator),
/// keeping the previous text as a revision; anyone else's edit becomes a suggestion (202).
#[utoipa::path(
    operation_id = "edit_post",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    request_body = EditBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Edited", body = EditResult),
        (status = 202, description = "Suggested for review: the caller may not edit others' posts yet", body = SuggestedEditResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 409, description = "Another suggested edit of this post is waiting", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A rule broken, or nothing changed", body = ErrorBody),
        (status = 429, description = "Editing too fast (see Retry-After)", body = ErrorBody),
    )
)]
#[patch("/posts/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<PostId>,
    body: web::Json<EditBody>,
) -> AppResult<HttpResponse> {
    let actor = user.0;
    let id = path.into_inner();
    let b = body.into_inner();
    let policy = state.policy.clone();
    let post = state
        .write(move |c| {
            let input = EditInput {
                title: b.title.as_deref(),
                body: &b.body,
                reason: &b.reason,
            };
            Ok(
                match forum_core::edit::edit(c, &*policy, &actor, id, &input)? {
                    Edited::Applied(post) => Ok(EditResult {
                        post: EditedPost {
                            id: post.id.0,
                            thread_id: post.thread_id.0,
                            revision: post.revision,
                            body_html: post.body_html,
                        },
                    }),
                    Edited::Suggested(s) => {
                        Err(SuggestedEditResult::new(s, actor.username.clone()))
                    }
                },
            )
        })
        .await?;
    Ok(match post {
        Ok(edited) => HttpResponse::Ok().json(edited),
        Err(suggested) => HttpResponse::Accepted().json(suggested),
    })
}

/// Every revision of a post the reader can see.
#[utoipa::path(
    operation_id = "post_revisions",
    tag = "posts",
    params(("id" = i64, Path, description = "Post id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The history", body = RevisionList,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 401, description = "A token was sent but is not valid", body = ErrorBody),
        (status = 404, description = "No such post, or not visible to the reader", body = ErrorBody),
    )
)]
#[get("/posts/{id}/revisions")]
pub async fn revisions(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: ApiViewer,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let post_id = path.into_inner();
    let vis = viewer.visibility();
    let revisions = state
        .read(move |c| {
            // As on the page: an answer in a deleted thread is gone with its thread.
            let post = vis.post(post_by_id(c, post_id)?)?;
            vis.thread(thread_by_id(c, post.thread_id)?)?;
            let revs = forum_core::edit::revisions(c, vis, post_id)?;
            let editors: Vec<UserId> = revs.iter().map(|r| r.editor_id).collect();
            let authors = authors_by_id(c, &editors)?;
            Ok(revs
                .into_iter()
                .filter_map(|r| {
                    authors.get(&r.editor_id).map(|a| Revision {
                        revision: r.revision,
                        editor: user_ref(a),
                        created_at: iso(r.created_at),
                        reason: r.reason,
                        title: r.title,
                        body_raw: r.body_raw,
                    })
                })
                .collect::<Vec<_>>())
        })
        .await?;
    json_with_etag(
        &req,
        &RevisionList {
            post_id: post_id.0,
            revisions,
        },
    )
}
