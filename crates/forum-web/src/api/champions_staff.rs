//! Staff's side of the champion programme through the API (the same services as
//! `/champions/manage`): pending nominations, declining one, granting, renewing and revoking.

use actix_web::{get, post, web, HttpResponse};
use forum_core::champions::{self, Grant, Nomination};
use forum_core::lookup::{category_by_slug, user_by_username};
use forum_core::privileges::Privilege;
use forum_core::{Actor, CoreError};
use forum_db::ids::{ChampionId, NominationId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::champions::{parse_term_end, ChampionResult, NominationResult};
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// Nominations waiting for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationList {
    #[schema(value_type = Vec<Object>)]
    nominations: Vec<Nomination>,
}

/// A grant.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GrantBody {
    pub username: String,
    /// Category slugs in scope; empty or absent for every category.
    #[serde(default)]
    pub categories: Vec<String>,
    /// `YYYY-MM-DD`; absent for the end of the current programme term.
    #[serde(default)]
    pub term_end: Option<String>,
    /// Extra privileges by name: `links_and_images`, `downvote`, `flag`, `retag`,
    /// `edit_others`, `close_reopen`, `review_queue`, `trusted_flags`.
    #[serde(default)]
    pub perks: Vec<String>,
    /// Renew for another term at the end instead of lapsing.
    #[serde(default)]
    pub auto_renew: bool,
    /// The nomination this grant answers.
    #[serde(default)]
    pub nomination_id: Option<i64>,
}

/// A renewal: a new term end, or one more programme term.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RenewBody {
    /// `YYYY-MM-DD`; absent for one more term.
    #[serde(default)]
    pub term_end: Option<String>,
}

/// Why a championship ends.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeBody {
    pub reason: String,
}

/// Nominations waiting for review, oldest first (staff).
#[utoipa::path(
    operation_id = "list_nominations",
    tag = "champions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pending nominations", body = NominationList),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
    )
)]
#[get("/champions/nominations")]
pub async fn nominations(state: web::Data<AppState>, user: ApiUser) -> AppResult<HttpResponse> {
    let actor = user.0;
    let nominations = state
        .read(move |c| Ok(champions::pending_nominations(c, &actor)?))
        .await?;
    Ok(HttpResponse::Ok().json(NominationList { nominations }))
}

/// Declines a pending nomination (staff).
#[utoipa::path(
    operation_id = "decline_nomination",
    tag = "champions",
    params(("id" = i64, Path, description = "Nomination id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Declined", body = NominationResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such nomination", body = ErrorBody),
        (status = 409, description = "Already reviewed", body = ErrorBody),
    )
)]
#[post("/champions/nominations/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<NominationId>,
) -> AppResult<HttpResponse> {
    let n = save_decline(&state, user.0, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(NominationResult::new(n)))
}

/// Declines through the service; shared with the page.
pub async fn save_decline(
    state: &AppState,
    actor: Actor,
    id: NominationId,
) -> AppResult<Nomination> {
    state
        .write(move |c| Ok(champions::decline(c, &actor, id, forum_db::time::now())?))
        .await
}

/// Makes a member a champion (staff): scope, term end, perks, renewal.
#[utoipa::path(
    operation_id = "grant_champion",
    tag = "champions",
    request_body = GrantBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Granted", body = ChampionResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such member, category or nomination", body = ErrorBody),
        (status = 409, description = "A champion already, or the nomination was reviewed", body = ErrorBody),
        (status = 422, description = "A bad term end or an unknown perk", body = ErrorBody),
    )
)]
#[post("/champions")]
pub async fn grant(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<GrantBody>,
) -> AppResult<HttpResponse> {
    let c = save_grant(&state, user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(c))
}

/// Grants through the service; shared with the page.
pub async fn save_grant(
    state: &AppState,
    actor: Actor,
    body: GrantBody,
) -> AppResult<ChampionResult> {
    let rules = state.champions;
    let ends_at = parse_term_end(body.term_end.as_deref().unwrap_or(""))?;
    let perks = body
        .perks
        .iter()
        .map(|p| Privilege::from_name(p).ok_or_else(|| CoreError::invalid("perks", "Unknown perk")))
        .collect::<Result<Vec<_>, _>>()?;
    state
        .write(move |c| {
            let user = user_by_username(c, body.username.trim())?.id;
            let categories = body
                .categories
                .iter()
                .map(|slug| Ok(category_by_slug(c, slug)?.id))
                .collect::<Result<Vec<_>, CoreError>>()?;
            let g = Grant {
                user,
                categories,
                ends_at,
                perks: perks.clone(),
                auto_renew: body.auto_renew,
                nomination: body.nomination_id.map(NominationId),
            };
            let granted = champions::grant(c, rules, &actor, &g, forum_db::time::now())?;
            Ok(ChampionResult::new(&granted))
        })
        .await
}

/// Extends an active championship (staff).
#[utoipa::path(
    operation_id = "renew_champion",
    tag = "champions",
    params(("id" = i64, Path, description = "Championship id")),
    request_body = RenewBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Renewed", body = ChampionResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such championship", body = ErrorBody),
        (status = 409, description = "It has ended", body = ErrorBody),
        (status = 422, description = "A term end that is not later", body = ErrorBody),
    )
)]
#[post("/champions/{id}/renew")]
pub async fn renew(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<ChampionId>,
    body: Option<web::Json<RenewBody>>,
) -> AppResult<HttpResponse> {
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let c = save_renewal(&state, user.0, path.into_inner(), body).await?;
    Ok(HttpResponse::Ok().json(c))
}

/// Renews through the service; shared with the page.
pub async fn save_renewal(
    state: &AppState,
    actor: Actor,
    id: ChampionId,
    body: RenewBody,
) -> AppResult<ChampionResult> {
    let rules = state.champions;
    let ends_at = parse_term_end(body.term_end.as_deref().unwrap_or(""))?;
    state
        .write(move |c| {
            let now = forum_db::time::now();
            let renewed = champions::renew(c, rules, &actor, id, ends_at, now)?;
            Ok(ChampionResult::new(&renewed))
        })
        .await
}

/// Ends an active championship now, with a reason the champion is told (staff).
#[utoipa::path(
    operation_id = "revoke_champion",
    tag = "champions",
    params(("id" = i64, Path, description = "Championship id")),
    request_body = RevokeBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Revoked", body = ChampionResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No such championship", body = ErrorBody),
        (status = 409, description = "It has ended", body = ErrorBody),
        (status = 422, description = "No reason", body = ErrorBody),
    )
)]
#[post("/champions/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<ChampionId>,
    body: web::Json<RevokeBody>,
) -> AppResult<HttpResponse> {
    let c = save_revocation(&state, user.0, path.into_inner(), body.into_inner().reason).await?;
    Ok(HttpResponse::Ok().json(c))
}

/// Revokes through the service; shared with the page.
pub async fn save_revocation(
    state: &AppState,
    actor: Actor,
    id: ChampionId,
    reason: String,
) -> AppResult<ChampionResult> {
    state
        .write(move |c| {
            let now = forum_db::time::now();
            Ok(ChampionResult::new(&champions::revoke(
                c, &actor, id, &reason, now,
            )?))
        })
        .await
}
