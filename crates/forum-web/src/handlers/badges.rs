//! The badges pages: every badge with how often it was awarded (`/badges`), and one badge with
//! who earned it most recently (`/badges/{slug}`); the API's `/api/v1/badges` shares the reads.

use actix_web::{get, web, HttpResponse};
use forum_core::badges::overview;

use crate::api::badges::badge_detail;
use crate::error::AppResult;
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;

#[get("/badges")]
pub async fn list(state: web::Data<AppState>, viewer: Viewer) -> AppResult<HttpResponse> {
    let badges = state.read(|c| Ok(overview(c)?)).await?;
    Page::new(&state, &viewer, "badges.html", "Badges")
        .canonical(&state, "/badges")
        .with("badges", &badges)
        .render(&state)
}

#[get("/badges/{slug}")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let detail = badge_detail(&state, &slug).await?;
    let title = detail.badge().badge.name;
    Page::new(&state, &viewer, "badge.html", title)
        .canonical(&state, &format!("/badges/{slug}"))
        .with("detail", &detail)
        .render(&state)
}
