//! `GET /api/v1/users/{username}` (a member's public standing, as on the profile) and
//! `GET /api/v1/leaderboard` (as the leaderboard page).

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use forum_core::lookup::user_by_username;
use forum_core::queries::standing::{member_standing, Leader, Period};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::etag::json_with_etag;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::handlers::leaderboard::{load, LeaderboardQuery};
use crate::state::AppState;
use crate::view::{iso, user_url};

/// A member's public standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    username: String,
    /// `member`, `moderator`, `staff` or `admin`.
    role: String,
    url: String,
    reputation: i64,
    /// 0 to 4.
    trust_level: i32,
    /// ISO 8601, UTC.
    joined_at: String,
    /// `{slug, name, tier, count, tags}`, best tier first.
    #[schema(value_type = Vec<Object>)]
    badges: Vec<Value>,
    /// Null, or `{"scope": {"all", "categories"}, "term_end"}`.
    #[schema(value_type = Option<Object>)]
    champion: Option<Value>,
    answers: i64,
    accepted_answers: i64,
    /// Accepted answers per answer, 0 to 1; null before the first answer.
    accepted_rate: Option<f64>,
    kudos_received: i64,
    /// `{name, answers, score}`.
    #[schema(value_type = Vec<Object>)]
    top_tags: Vec<Value>,
    /// `{date, reputation}` at the end of each day it changed, oldest first.
    #[schema(value_type = Vec<Object>)]
    reputation_history: Vec<Value>,
}

/// A member's public standing: reputation, trust level, badges, champion status and more.
#[utoipa::path(
    operation_id = "show_user",
    tag = "users",
    params(("username" = String, Path, description = "The member's username (any case)")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The member", body = MemberView,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
#[get("/users/{username}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let (u, s) = state
        .read(move |c| {
            let u = user_by_username(c, &name)?;
            let s = member_standing(c, &u)?;
            Ok((u, s))
        })
        .await?;
    let view = MemberView {
        url: user_url(&u.username),
        role: u.role.as_str().into(),
        reputation: u.reputation,
        trust_level: u.trust_level.0,
        joined_at: iso(u.created_at),
        badges: s
            .badges
            .iter()
            .map(|h| {
                json!({"slug": h.badge.slug, "name": h.badge.name, "tier": h.badge.tier,
                       "count": h.count, "tags": h.tags})
            })
            .collect(),
        champion: s.champion.as_ref().map(|c| {
            let slugs: Vec<&str> = c.categories.iter().map(|(s, _)| s.as_str()).collect();
            json!({"scope": {"all": c.all_categories, "categories": slugs},
                   "term_end": iso(c.ends_at)})
        }),
        answers: s.answers,
        accepted_answers: s.accepted_answers,
        accepted_rate: s.accepted_rate(),
        kudos_received: s.kudos_received,
        top_tags: s.top_tags.iter().map(|t| json!(t)).collect(),
        reputation_history: s
            .reputation_history
            .iter()
            .map(|(d, r)| json!({"date": d.to_string(), "reputation": r}))
            .collect(),
        username: u.username,
    };
    json_with_etag(&req, &view)
}

/// A leaderboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaderboardView {
    /// `week`, `month` or `all`.
    #[schema(value_type = String)]
    period: Period,
    /// The category's slug, or null for every category.
    category: Option<String>,
    /// `{rank, username, reputation}`: reputation earned in the period, most first (50).
    #[schema(value_type = Vec<Object>)]
    leaders: Vec<Leader>,
}

/// Who earned the most reputation in the last week, month or ever, optionally in a category.
#[utoipa::path(
    operation_id = "leaderboard",
    tag = "users",
    params(LeaderboardQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The leaders", body = LeaderboardView,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
        (status = 404, description = "No such category", body = ErrorBody),
        (status = 422, description = "A period that is not week, month or all", body = ErrorBody),
    )
)]
#[get("/leaderboard")]
pub async fn leaderboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<LeaderboardQuery>,
) -> AppResult<HttpResponse> {
    let (period, leaders) = load(&state, &q).await?;
    json_with_etag(
        &req,
        &LeaderboardView {
            period,
            category: q.category.clone().filter(|c| !c.is_empty()),
            leaders,
        },
    )
}

/// Whether a member holds trust level 4.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct LeaderBody {
    pub granted: bool,
}

/// A member's trust level after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrustLevelView {
    username: String,
    trust_level: i32,
}

/// Grants trust level 4 (`{"granted": true}`) or withdraws it (the level is then computed
/// from the member's reputation and activity again). Staff only.
#[utoipa::path(
    operation_id = "set_leader",
    tag = "users",
    params(("username" = String, Path, description = "The member's username")),
    request_body = LeaderBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new level", body = TrustLevelView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    )
)]
#[put("/users/{username}/leader")]
pub async fn leader(
    state: web::Data<AppState>,
    user: super::auth::ApiUser,
    path: web::Path<String>,
    body: web::Json<LeaderBody>,
) -> AppResult<HttpResponse> {
    let (username, level) = save_leader(&state, user.0, path.into_inner(), body.granted).await?;
    Ok(HttpResponse::Ok().json(TrustLevelView {
        username,
        trust_level: level.0,
    }))
}

/// Grants or withdraws TL4 through the service; returns the member's username and new level.
/// Shared with the profile's staff button.
pub async fn save_leader(
    state: &AppState,
    actor: forum_core::Actor,
    username: String,
    granted: bool,
) -> AppResult<(String, forum_db::types::TrustLevel)> {
    state
        .write(move |c| {
            let u = user_by_username(c, &username)?;
            let level = forum_core::trust::set_leader(c, &actor, u.id, granted)?;
            Ok((u.username, level))
        })
        .await
}
