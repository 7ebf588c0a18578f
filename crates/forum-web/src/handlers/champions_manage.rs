//! Staff's champion pages: `/champions/manage` lists pending nominations (grant with a scope,
//! term end and perks, or decline) and active champions (renew, revoke with a reason, impact);
//! each form posts to a route below that calls the same service as the API.

use std::collections::HashMap;

use actix_web::{get, post, web, HttpResponse};
use forum_core::champions;
use forum_core::privileges::Privilege;
use forum_db::ids::{ChampionId, NominationId};
use serde::Serialize;

use crate::api::champions_staff::{
    save_decline, save_grant, save_renewal, save_revocation, GrantBody, RenewBody,
};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::pages::{see_other, Page};
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;

#[derive(Serialize)]
struct PerkChoice {
    name: &'static str,
    label: &'static str,
}

#[get("/champions/manage")]
pub async fn manage(state: web::Data<AppState>, viewer: Viewer) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    if !actor.role.is_staff() {
        return Err(AppError::new(
            ErrorKind::Forbidden,
            "Only staff manage the champion programme.",
        ));
    }
    let reads = state.reads.clone();
    let (nominations, active, categories) = state
        .read(move |c| {
            Ok((
                champions::pending_nominations(c, &actor)?,
                champions::active(c)?,
                reads.categories(c)?,
            ))
        })
        .await?;
    let perks: Vec<PerkChoice> = Privilege::ALL
        .into_iter()
        .map(|p| PerkChoice {
            name: p.name(),
            label: p.describe(),
        })
        .collect();
    let category_choices: Vec<(String, String)> = categories
        .iter()
        .map(|c| (c.slug.clone(), c.name.clone()))
        .collect();
    let term_end = state.champions.term_end(forum_db::time::now()).date();
    Page::new(&state, &viewer, "champions_manage.html", "Manage champions")
        .with("nominations", &nominations)
        .with("champions", &active)
        .with("categories", &category_choices)
        .with("perks", &perks)
        .with("default_term_end", &term_end.to_string())
        .render(&state)
}

/// The grant form: `username`, `term_end`, `auto_renew`, `nomination_id`, and a checkbox per
/// category (`category_<slug>`) and perk (`perk_<name>`).
#[post("/champions")]
pub async fn grant(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    let f = form.0;
    let field = |k: &str| f.get(k).cloned().unwrap_or_default();
    let picked = |prefix: &str| -> Vec<String> {
        let mut v: Vec<String> = f
            .keys()
            .filter_map(|k| k.strip_prefix(prefix).map(str::to_string))
            .collect();
        v.sort();
        v
    };
    let nomination_id = match field("nomination_id").trim() {
        "" => None,
        id => Some(id.parse::<i64>().map_err(|e| {
            tracing::debug!(error = %e, "nomination id");
            AppError::new(ErrorKind::Validation, "The nomination is not valid.")
        })?),
    };
    let body = GrantBody {
        username: field("username"),
        categories: picked("category_"),
        term_end: Some(field("term_end")),
        perks: picked("perk_"),
        auto_renew: f.contains_key("auto_renew"),
        nomination_id,
    };
    save_grant(&state, actor, body).await?;
    Ok(see_other("/champions/manage"))
}

#[derive(serde::Deserialize)]
struct RenewForm {
    #[serde(default)]
    term_end: String,
}

#[post("/champions/{id}/renew")]
pub async fn renew(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ChampionId>,
    form: CsrfForm<RenewForm>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    let body = RenewBody {
        term_end: Some(form.0.term_end),
    };
    save_renewal(&state, actor, path.into_inner(), body).await?;
    Ok(see_other("/champions/manage"))
}

#[derive(serde::Deserialize)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
}

#[post("/champions/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ChampionId>,
    form: CsrfForm<RevokeForm>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    save_revocation(&state, actor, path.into_inner(), form.0.reason).await?;
    Ok(see_other("/champions/manage"))
}

#[post("/champions/nominations/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<NominationId>,
    form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let _ = form;
    let actor = viewer.require()?.clone();
    save_decline(&state, actor, path.into_inner()).await?;
    Ok(see_other("/champions/manage"))
}
