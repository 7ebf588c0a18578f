//! `GET /api/v1/notifications` and `POST /api/v1/notifications/read`: the caller's
//! notifications and marking them read, through the same service as the notifications page.

use actix_web::{get, post, web, HttpResponse};
use forum_core::notifications::{list, mark_read, unread_count, MarkRead};
use forum_db::ids::NotificationId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;
use crate::view::{notification_view, NotificationView};

/// `GET /api/v1/notifications` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// 1-based page number (30 per page), newest first.
    page: Option<i64>,
}

/// A page of the caller's notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    /// `{id, kind, text, url, created_at, created_ago, read}`, newest first.
    #[schema(value_type = Vec<Object>)]
    notifications: Vec<NotificationView>,
    /// How many are unread (all pages).
    unread: i64,
    page: i64,
    /// True when another page follows.
    has_next: bool,
}

/// Which notifications to mark read: `{"ids": [...]}` or `{"all": true}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadBody {
    #[serde(default)]
    ids: Vec<i64>,
    #[serde(default)]
    all: bool,
}

/// How many were marked, and how many stay unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadResult {
    marked: usize,
    unread: i64,
}

/// The caller's notifications, newest first.
#[utoipa::path(
    operation_id = "list_notifications",
    tag = "notifications",
    params(NotificationsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationList),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
#[get("/notifications")]
pub async fn list_mine(
    state: web::Data<AppState>,
    user: ApiUser,
    q: web::Query<NotificationsQuery>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (items, has_next, unread) = state
        .read(move |c| {
            let (items, has_next) = list(c, me, page)?;
            Ok((items, has_next, unread_count(c, me)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        notifications: items.iter().map(notification_view).collect(),
        unread,
        page,
        has_next,
    }))
}

/// Marks some or all of the caller's notifications read (others' ids are ignored).
#[utoipa::path(
    operation_id = "read_notifications",
    tag = "notifications",
    request_body = ReadBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Marked", body = ReadResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "Neither `ids` nor `all`, or both", body = ErrorBody),
    )
)]
#[post("/notifications/read")]
pub async fn read(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<ReadBody>,
) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let body = body.into_inner();
    let which = match (body.all, body.ids.is_empty()) {
        (true, true) => MarkRead::All,
        (false, false) => MarkRead::Ids(body.ids.into_iter().map(NotificationId).collect()),
        _ => {
            return Err(AppError::new(
                ErrorKind::Validation,
                "Give either the ids to mark read or \"all\": true.",
            ))
        }
    };
    let (marked, unread) = state
        .write(move |c| Ok((mark_read(c, me, &which)?, unread_count(c, me)?)))
        .await?;
    Ok(HttpResponse::Ok().json(ReadResult { marked, unread }))
}
