//! Watch, normal or mute: the form on the thread, category and tag pages (the API's twin is
//! `api::watch`). Both call `forum_core::watching::choose`.

use actix_web::{post, web, HttpResponse};
use forum_core::watching::{choose, WatchOn};
use forum_db::ids::ThreadId;
use forum_db::types::WatchLevel;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::see_other;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;

/// The level chosen (`watch`, `normal` or `mute`), in the form and in the API's body.
#[derive(Deserialize)]
pub(crate) struct WatchForm {
    pub(crate) level: String,
}

/// Sets the viewer's level on `on` (a validation error for an unknown level).
pub(crate) async fn save(
    state: &AppState,
    actor: forum_core::Actor,
    on: WatchOn,
    level: &str,
) -> AppResult<WatchLevel> {
    // The parse error only says "not one of them", which the message says.
    let level = level.parse::<WatchLevel>().ok().ok_or_else(|| {
        AppError::new(
            ErrorKind::Validation,
            format!("Choose watch, normal or mute, not {level:?}."),
        )
    })?;
    state
        .write(move |c| Ok(choose(c, &actor, &on, level)?))
        .await
}

#[post("/t/{id}/watch")]
pub async fn thread(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ThreadId>,
    form: CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    save(&state, actor, WatchOn::Thread(id), &form.0.level).await?;
    Ok(see_other(&format!("/t/{id}")))
}

#[post("/c/{slug}/watch")]
pub async fn category(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let actor = viewer.require()?.clone();
    save(
        &state,
        actor,
        WatchOn::Category(slug.clone()),
        &form.0.level,
    )
    .await?;
    Ok(see_other(&format!("/c/{slug}")))
}

#[post("/tags/{name}/watch")]
pub async fn tag(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let actor = viewer.require()?.clone();
    save(&state, actor, WatchOn::Tag(name.clone()), &form.0.level).await?;
    Ok(see_other(&format!("/tags/{name}")))
}
