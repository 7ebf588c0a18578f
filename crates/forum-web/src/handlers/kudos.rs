//! `POST /p/{id}/kudos`: thank a post's author (field `action`: `give` or `withdraw`), then
//! back to the post. The API's `POST`/`DELETE /api/v1/posts/{id}/kudos` share [`save`].

use actix_web::{post, web, HttpResponse};
use forum_core::kudos::{give, withdraw, KudosState};
use forum_core::Actor;
use forum_db::ids::PostId;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::handlers::actions::post_url;
use crate::pages::see_other;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;

/// Gives (`true`) or withdraws the actor's kudos on a post, through the kudos service.
pub async fn save(
    state: &AppState,
    actor: Actor,
    id: PostId,
    thank: bool,
) -> AppResult<KudosState> {
    let rules = state.kudos;
    state
        .write(move |c| {
            Ok(if thank {
                give(c, rules, &actor, id)?
            } else {
                withdraw(c, &actor, id)?
            })
        })
        .await
}

#[derive(Deserialize)]
struct KudosInput {
    #[serde(default)]
    action: String,
}

#[post("/p/{id}/kudos")]
pub async fn kudos(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
    form: CsrfForm<KudosInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let thank = match form.0.action.as_str() {
        "give" => true,
        "withdraw" => false,
        _ => {
            return Err(AppError::new(
                ErrorKind::Validation,
                "Kudos are given or withdrawn.",
            ))
        }
    };
    save(&state, actor, id, thank).await?;
    let url = state.read(move |c| post_url(c, id)).await?;
    Ok(see_other(&url))
}
