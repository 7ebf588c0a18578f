//! `GET /api/v1/badges` and `GET /api/v1/badges/{badge}`: every badge with how often it was
//! awarded, and who earned one most recently, from the same service as the badges pages.

use actix_web::{get, web, HttpRequest, HttpResponse};
use forum_core::badges::{overview, recipients, Listed};
use forum_db::types::Badge;
use serde::Serialize;
use utoipa::ToSchema;

use super::etag::json_with_etag;
use super::schema::ErrorBody;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;
use crate::view::iso;

/// Every badge.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeList {
    /// `{slug, name, tier (bronze|silver|gold), description, repeatable, awarded_count}`.
    #[schema(value_type = Vec<Object>)]
    badges: Vec<Listed>,
}

/// A member who earned the badge.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecipientView {
    username: String,
    /// The member's profile page.
    url: String,
    /// ISO 8601, UTC.
    awarded_at: String,
}

/// One badge and its most recent recipients.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadgeDetail {
    #[schema(value_type = Object)]
    badge: Listed,
    /// Newest first, at most 100.
    recipients: Vec<RecipientView>,
}

/// Every badge, with how many times it was awarded.
#[utoipa::path(
    operation_id = "list_badges",
    tag = "badges",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The badges", body = BadgeList,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
    )
)]
#[get("/badges")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let badges = state.read(|c| Ok(overview(c)?)).await?;
    json_with_etag(&req, &BadgeList { badges })
}

/// One badge and who earned it most recently.
#[utoipa::path(
    operation_id = "show_badge",
    tag = "badges",
    params(("badge" = String, Path, description = "The badge's slug, e.g. `nice_answer`")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The badge", body = BadgeDetail,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 404, description = "No such badge", body = ErrorBody),
    )
)]
#[get("/badges/{badge}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let detail = badge_detail(&state, &path.into_inner()).await?;
    json_with_etag(&req, &detail)
}

/// The badge named by `slug` and its recent recipients; 404 for an unknown slug.
pub async fn badge_detail(state: &AppState, slug: &str) -> AppResult<BadgeDetail> {
    let Ok(badge) = slug.parse::<Badge>() else {
        return Err(AppError::new(
            ErrorKind::NotFound,
            "There is no such badge.",
        ));
    };
    let (listed, people) = state
        .read(move |c| {
            let listed = overview(c)?
                .into_iter()
                .find(|l| l.badge.slug == badge.as_str())
                .ok_or_else(|| AppError::new(ErrorKind::NotFound, "There is no such badge."))?;
            Ok((listed, recipients(c, badge, 100)?))
        })
        .await?;
    Ok(BadgeDetail {
        badge: listed,
        recipients: people
            .into_iter()
            .map(|r| RecipientView {
                url: crate::view::user_url(&r.username),
                username: r.username,
                awarded_at: iso(r.awarded_at),
            })
            .collect(),
    })
}

impl BadgeDetail {
    /// The badge's description and count.
    pub fn badge(&self) -> &Listed {
        &self.badge
    }
}
