//! The champion programme through the API, with the same services as its pages: the active
//! champions (`GET /champions`), a nomination (`POST /champions/nominations`) and a term's
//! impact report (`GET /champions/{id}/impact`); staff's review, grant, renew and revoke are in
//! [`super::champions_staff`].

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDateTime;
use forum_core::champions::{self, Championship, Impact, Nomination};
use forum_core::lookup::user_by_username;
use forum_core::{Actor, CoreError};
use forum_db::ids::ChampionId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{ApiUser, ApiViewer};
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;
use crate::view::iso;

/// A championship: who, where, until when, with which perks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionView {
    id: i64,
    username: String,
    /// `active`, `lapsed` or `revoked`.
    state: String,
    /// `{"all": true}` or `{"all": false, "categories": [slug, ...]}`.
    #[schema(value_type = Object)]
    scope: serde_json::Value,
    /// Extra privileges by name (`edit_others`, `retag`, ...).
    perks: Vec<String>,
    auto_renew: bool,
    /// ISO 8601, UTC.
    starts_at: String,
    /// When the term ends (ISO 8601, UTC).
    term_end: String,
    ended_at: Option<String>,
    end_reason: String,
}

impl ChampionView {
    /// The API's shape of a championship.
    pub fn new(c: &Championship) -> ChampionView {
        let slugs: Vec<&str> = c.categories.iter().map(|(s, _)| s.as_str()).collect();
        ChampionView {
            id: c.id.0,
            username: c.username.clone(),
            state: c.state.as_str().into(),
            scope: if c.all_categories {
                serde_json::json!({"all": true})
            } else {
                serde_json::json!({"all": false, "categories": slugs})
            },
            perks: c.perks.iter().map(|p| p.to_string()).collect(),
            auto_renew: c.auto_renew,
            starts_at: iso(c.starts_at),
            term_end: iso(c.ends_at),
            ended_at: c.ended_at.map(iso),
            end_reason: c.end_reason.clone(),
        }
    }
}

/// The active champions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionList {
    champions: Vec<ChampionView>,
}

/// One championship.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChampionResult {
    champion: ChampionView,
}

impl ChampionResult {
    /// Wraps a championship.
    pub fn new(c: &Championship) -> ChampionResult {
        ChampionResult {
            champion: ChampionView::new(c),
        }
    }
}

/// A nomination.
#[derive(Debug, Serialize, ToSchema)]
pub struct NominationResult {
    /// `{id, nominee, nominator, by_staff, term, reason, state, created_at}`.
    #[schema(value_type = Object)]
    nomination: Nomination,
}

impl NominationResult {
    /// Wraps a nomination.
    pub fn new(nomination: Nomination) -> NominationResult {
        NominationResult { nomination }
    }
}

/// Who to nominate, and why.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NominateBody {
    pub username: String,
    /// Why they should be a champion: 10 to 1,000 characters.
    pub reason: String,
}

/// A term's impact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImpactResult {
    /// `{championship, from, to, answers, accepted_answers, first_responses,
    /// median_first_response_hours, kudos_received}`.
    #[schema(value_type = Object)]
    impact: Impact,
}

/// The active champions, soonest term end first.
#[utoipa::path(
    operation_id = "list_champions",
    tag = "champions",
    security((), ("bearer" = [])),
    responses((status = 200, description = "The active champions", body = ChampionList))
)]
#[get("/champions")]
pub async fn list(state: web::Data<AppState>, _viewer: ApiViewer) -> AppResult<HttpResponse> {
    let all = state.read(|c| Ok(champions::active(c)?)).await?;
    Ok(HttpResponse::Ok().json(ChampionList {
        champions: all.iter().map(ChampionView::new).collect(),
    }))
}

/// Nominates a member as a champion: staff freely, members once per programme term.
#[utoipa::path(
    operation_id = "nominate_champion",
    tag = "champions",
    request_body = NominateBody,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Nominated", body = NominationResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Nominating oneself", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
        (status = 409, description = "Nominated this term already, or a champion already", body = ErrorBody),
        (status = 422, description = "A reason too short or too long", body = ErrorBody),
    )
)]
#[post("/champions/nominations")]
pub async fn nominate(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NominateBody>,
) -> AppResult<HttpResponse> {
    let n = save_nomination(&state, user.0, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(NominationResult::new(n)))
}

/// Nominates through the service; shared with the page.
pub async fn save_nomination(
    state: &AppState,
    actor: Actor,
    body: NominateBody,
) -> AppResult<Nomination> {
    let rules = state.champions;
    state
        .write(move |c| {
            let nominee = user_by_username(c, body.username.trim())?.id;
            let now = forum_db::time::now();
            Ok(champions::nominate(
                c,
                rules,
                &actor,
                nominee,
                &body.reason,
                now,
            )?)
        })
        .await
}

/// One term's impact report: staff, or the champion themself.
#[utoipa::path(
    operation_id = "champion_impact",
    tag = "champions",
    params(("id" = i64, Path, description = "Championship id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = ImpactResult),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Neither staff nor the champion", body = ErrorBody),
        (status = 404, description = "No such championship", body = ErrorBody),
    )
)]
#[get("/champions/{id}/impact")]
pub async fn impact(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<ChampionId>,
) -> AppResult<HttpResponse> {
    let report = load_impact(&state, user.0, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(ImpactResult { impact: report }))
}

/// The impact report through the service; shared with the page.
pub async fn load_impact(state: &AppState, actor: Actor, id: ChampionId) -> AppResult<Impact> {
    state
        .read(move |c| Ok(champions::impact(c, &actor, id, forum_db::time::now())?))
        .await
}

/// A `YYYY-MM-DD` term end, as midnight UTC starting that day.
pub fn parse_term_end(text: &str) -> Result<Option<NaiveDateTime>, CoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(Some)
        .ok_or_else(|| CoreError::invalid("term_end", "Give the term end as YYYY-MM-DD"))
}
