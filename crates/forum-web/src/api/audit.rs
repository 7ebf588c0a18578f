//! `GET /api/v1/moderation/audit`: the audit log for moderators and staff, newest first, with
//! the same filters as the audit page (`/moderation/audit`), as JSON or (`format=csv`) CSV.

use actix_web::{get, web, HttpResponse};
use forum_core::audit::{list, to_csv, Filter, Recorded};
use forum_core::lookup::user_by_username;
use forum_core::Actor;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

/// The audit log's filters.
#[derive(Debug, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Who acted (a username).
    pub actor: Option<String>,
    /// An action (`champion.grant`) or a prefix ending in a dot (`champion.`).
    pub action: Option<String>,
    /// `post`, `thread`, `user`, `nomination`, ...
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    /// `YYYY-MM-DD` (UTC), inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (UTC), inclusive.
    pub to: Option<String>,
    /// Entries older than this id: the next page.
    pub before: Option<i64>,
    /// `json` (the default) or `csv` (every matching entry up to 500).
    pub format: Option<String>,
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// `{id, actor, action, target_kind, target_id, reason, details, created_at}`, newest first.
    #[schema(value_type = Vec<Object>)]
    entries: Vec<Recorded>,
    /// The `before` of the next page, if there may be one.
    next_before: Option<i64>,
}

/// Entries a page shows.
pub const PER_PAGE: i64 = 100;

/// Reads the entries `q` asks for, as `viewer` (moderators and staff only).
pub async fn load(
    state: &AppState,
    viewer: Actor,
    q: &AuditQuery,
    limit: i64,
) -> AppResult<Vec<Recorded>> {
    let day = |s: &Option<String>, field: &'static str| -> AppResult<Option<chrono::NaiveDate>> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|e| {
                    tracing::debug!(error = %e, field, "audit date");
                    AppError::new(ErrorKind::Validation, "Give dates as YYYY-MM-DD.")
                }),
        }
    };
    let from = day(&q.from, "from")?;
    let to = day(&q.to, "to")?;
    let mut filter = Filter {
        action: q.action.clone().filter(|s| !s.is_empty()),
        target_kind: q.target_kind.clone().filter(|s| !s.is_empty()),
        target_id: q.target_id,
        since: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        until: to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        before_id: q.before,
        actor: None,
    };
    let actor_name = q.actor.clone().filter(|s| !s.is_empty());
    state
        .read(move |c| {
            if let Some(name) = actor_name {
                filter.actor = Some(user_by_username(c, &name)?.id);
            }
            Ok(list(c, &viewer, &filter, limit)?)
        })
        .await
}

/// The CSV download of `entries`.
pub fn csv_response(entries: &[Recorded]) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"audit-log.csv\"",
        ))
        .body(to_csv(entries))
}

/// The audit log, newest first (moderators and staff).
#[utoipa::path(
    operation_id = "moderation_audit",
    tag = "moderation",
    params(AuditQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Entries (JSON, or CSV with `format=csv`)", body = AuditPage),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Neither a moderator nor staff", body = ErrorBody),
        (status = 404, description = "No such actor", body = ErrorBody),
        (status = 422, description = "A date not in YYYY-MM-DD", body = ErrorBody),
    )
)]
#[get("/moderation/audit")]
pub async fn audit(
    state: web::Data<AppState>,
    user: ApiUser,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    if q.format.as_deref() == Some("csv") {
        let entries = load(&state, user.0, &q, forum_core::audit::MAX_PAGE).await?;
        return Ok(csv_response(&entries));
    }
    let entries = load(&state, user.0, &q, PER_PAGE).await?;
    let next_before = (entries.len() == usize::try_from(PER_PAGE).unwrap_or(usize::MAX))
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(HttpResponse::Ok().json(AuditPage {
        entries,
        next_before,
    }))
}
