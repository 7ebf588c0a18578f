//! `PUT /api/v1/{threads/{id}|categories/{slug}|tags/{name}}/watch`: watch, normal or mute,
//! through the same service as the pages' watch forms.

use actix_web::{put, web, HttpResponse};
use forum_core::watching::WatchOn;
use forum_db::ids::ThreadId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::handlers::watch::save;
use crate::state::AppState;

/// The level to hold.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WatchBody {
    /// `watch` (every new answer, or every new thread of a category or tag), `normal` or
    /// `mute` (nothing about it, whatever else applies).
    level: String,
}

/// The level now held.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchResult {
    level: &'static str,
}

async fn answer(
    state: &AppState,
    user: ApiUser,
    on: WatchOn,
    body: WatchBody,
) -> AppResult<HttpResponse> {
    let level = save(state, user.0, on, &body.level).await?;
    Ok(HttpResponse::Ok().json(WatchResult {
        level: level.as_str(),
    }))
}

/// Sets the caller's level on a thread they can see.
#[utoipa::path(
    operation_id = "watch_thread",
    tag = "notifications",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = WatchBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The level now held", body = WatchResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such thread", body = ErrorBody),
        (status = 422, description = "A level other than watch, normal or mute", body = ErrorBody),
    )
)]
#[put("/threads/{id}/watch")]
pub async fn thread(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<ThreadId>,
    body: web::Json<WatchBody>,
) -> AppResult<HttpResponse> {
    answer(
        &state,
        user,
        WatchOn::Thread(path.into_inner()),
        body.into_inner(),
    )
    .await
}

/// Sets the caller's level on a category (watchers hear of its new threads).
#[utoipa::path(
    operation_id = "watch_category",
    tag = "notifications",
    params(("slug" = String, Path, description = "Category slug")),
    request_body = WatchBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The level now held", body = WatchResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such category", body = ErrorBody),
        (status = 422, description = "A level other than watch, normal or mute", body = ErrorBody),
    )
)]
#[put("/categories/{slug}/watch")]
pub async fn category(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<WatchBody>,
) -> AppResult<HttpResponse> {
    answer(
        &state,
        user,
        WatchOn::Category(path.into_inner()),
        body.into_inner(),
    )
    .await
}

/// Sets the caller's level on a tag (watchers hear of new threads with it).
#[utoipa::path(
    operation_id = "watch_tag",
    tag = "notifications",
    params(("name" = String, Path, description = "Tag name")),
    request_body = WatchBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The level now held", body = WatchResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such tag", body = ErrorBody),
        (status = 422, description = "A level other than watch, normal or mute", body = ErrorBody),
    )
)]
#[put("/tags/{name}/watch")]
pub async fn tag(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<WatchBody>,
) -> AppResult<HttpResponse> {
    answer(
        &state,
        user,
        WatchOn::Tag(path.into_inner()),
        body.into_inner(),
    )
    .await
}
