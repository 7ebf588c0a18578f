//! The leaderboard: who earned the most reputation this week, this month or ever, in every
//! category or one (`/leaderboard?period=week|month|all&category=slug`); the API's
//! `GET /api/v1/leaderboard` shares [`load`].

use actix_web::{get, web, HttpResponse};
use forum_core::lookup::category_by_slug;
use forum_core::queries::standing::{leaderboard, Leader, Period};
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;

/// How many members a leaderboard lists.
pub const LEADERS: usize = 50;

/// `?period=` and `?category=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// `week` (the last 7 days, the default), `month` (30 days) or `all`.
    pub period: Option<String>,
    /// A category's slug; absent for every category.
    pub category: Option<String>,
}

/// The period asked for and its leaders.
pub async fn load(state: &AppState, q: &LeaderboardQuery) -> AppResult<(Period, Vec<Leader>)> {
    let period = match q.period.as_deref() {
        None | Some("") => Period::Week,
        Some(p) => Period::parse(p).ok_or_else(|| {
            AppError::new(ErrorKind::Validation, "The period is week, month or all.")
        })?,
    };
    let slug = q.category.clone().filter(|s| !s.is_empty());
    let leaders = state
        .read(move |c| {
            let category = match slug {
                Some(slug) => Some(category_by_slug(c, &slug)?.id),
                None => None,
            };
            Ok(leaderboard(
                c,
                period,
                category,
                forum_db::time::now(),
                LEADERS,
            )?)
        })
        .await?;
    Ok((period, leaders))
}

#[get("/leaderboard")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<LeaderboardQuery>,
) -> AppResult<HttpResponse> {
    let (period, leaders) = load(&state, &q).await?;
    let reads = state.reads.clone();
    let categories = state.read(move |c| Ok(reads.categories(c)?)).await?;
    let choices: Vec<(String, String)> = categories
        .iter()
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    Page::new(&state, &viewer, "leaderboard.html", "Leaderboard")
        .canonical(&state, "/leaderboard")
        .with("leaders", &leaders)
        .with("period", &period)
        .with("category", &q.category.clone().unwrap_or_default())
        .with("categories", &choices)
        .render(&state)
}
