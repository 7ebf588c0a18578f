//! The public champion pages: who the champions are (`/champions`), the nomination form that
//! posts to `POST /champions/nominations`, and a term's impact report
//! (`/champions/{id}/impact`, staff and the champion). Staff's pages are in
//! [`super::champions_manage`].

use actix_session::Session;
use actix_web::{get, post, web, HttpResponse};
use forum_core::champions;
use forum_db::ids::ChampionId;
use serde::{Deserialize, Serialize};

use crate::api::champions::{load_impact, save_nomination, NominateBody};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::{see_other, Page};
use crate::session::{acting_member, KeptForm, Viewer};
use crate::state::AppState;

/// The nomination form, kept on error.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NominateForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    reason: String,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    form: Option<NominateForm>,
    error: Option<&AppError>,
    nominated: bool,
) -> AppResult<HttpResponse> {
    let all = state.read(|c| Ok(champions::active(c)?)).await?;
    let is_staff = viewer.user.as_ref().is_some_and(|u| u.role.is_staff());
    Page::new(state, viewer, "champions.html", "Champions")
        .canonical(state, "/champions")
        .with("champions", &all)
        .with("form", &form.unwrap_or_default())
        .with("is_staff", &is_staff)
        .with("nominated", &nominated)
        .form_error(error)
        .render(state)
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    nominated: Option<String>,
}

#[get("/champions")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    page(&state, &viewer, None, None, q.nominated.is_some()).await
}

/// Nominates; a refusal shows the page again with the reason kept.
#[post("/champions/nominations")]
pub async fn nominate(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: KeptForm<NominateForm>,
) -> AppResult<HttpResponse> {
    let (form, expired) = form.into_parts();
    let actor = match acting_member(expired, &viewer) {
        Ok(actor) => actor,
        Err(e) => {
            let viewer = viewer.with_form_token(&session)?;
            return page(&state, &viewer, Some(form), Some(&e), false).await;
        }
    };
    let body = NominateBody {
        username: form.username.clone(),
        reason: form.reason.clone(),
    };
    match save_nomination(&state, actor, body).await {
        Ok(_) => Ok(see_other("/champions?nominated=1")),
        // An unknown member or a second nomination this term is the form's to say, too.
        Err(e)
            if e.is_form_error() || matches!(e.kind, ErrorKind::NotFound | ErrorKind::Conflict) =>
        {
            page(&state, &viewer, Some(form), Some(&e), false).await
        }
        Err(e) => Err(e),
    }
}

#[get("/champions/{id}/impact")]
pub async fn impact(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ChampionId>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    let report = load_impact(&state, actor, path.into_inner()).await?;
    let title = format!("Impact: {}", report.championship.username);
    Page::new(&state, &viewer, "champion_impact.html", &title)
        .with("impact", &report)
        .render(&state)
}
