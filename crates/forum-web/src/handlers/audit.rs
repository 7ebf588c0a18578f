//! The audit log page for moderators and staff (`/moderation/audit`): filters by actor,
//! action, target and dates, pages by id, and downloads the matching entries as CSV
//! (`?format=csv`). Reads through the same service as `GET /api/v1/moderation/audit`.

use actix_web::{get, web, HttpResponse};

use crate::api::audit::{csv_response, load, AuditQuery, PER_PAGE};
use crate::error::AppResult;
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;

#[get("/moderation/audit")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    if q.format.as_deref() == Some("csv") {
        let entries = load(&state, actor, &q, forum_core::audit::MAX_PAGE).await?;
        return Ok(csv_response(&entries));
    }
    let entries = load(&state, actor, &q, PER_PAGE).await?;
    let next = (entries.len() == usize::try_from(PER_PAGE).unwrap_or(usize::MAX))
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let mut csv_query = serde_urlencoded::to_string(&*q).unwrap_or_default();
    if !csv_query.is_empty() {
        csv_query.push('&');
    }
    csv_query.push_str("format=csv");
    Page::new(&state, &viewer, "audit.html", "Audit log")
        .with("entries", &entries)
        .with("filter", &*q)
        .with("next_before", &next)
        .with("csv_query", &csv_query)
        .render(&state)
}
