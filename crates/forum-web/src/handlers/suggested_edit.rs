//! The page of an edit suggested for a post: the current text next to the suggestion, and
//! for the author or a trusted member the buttons to approve or reject it
//! (`POST /suggested-edits/{id}`, sharing the API's [`save`]).

use actix_web::{get, post, web, HttpResponse};
use forum_core::lookup::{post_by_id, thread_by_id, user_by_id};
use forum_core::suggested_edits::{can_review, pending_for};
use forum_db::ids::{PostId, SuggestedEditId};
use serde::Deserialize;

use crate::api::suggested_edits::{parse_action, save};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::handlers::actions::post_url;
use crate::pages::{see_other, Page};
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::view::{ago, thread_url};

#[get("/p/{id}/suggested-edit")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let vis = viewer.visibility();
    let me = viewer.user.clone();
    let policy = state.policy.clone();
    let (post, thread, suggestion, suggester, reviewer) = state
        .read(move |c| {
            let post = vis.post(post_by_id(c, id)?)?;
            let thread = vis.thread(thread_by_id(c, post.thread_id)?)?;
            let Some(s) = pending_for(c, id)? else {
                return Err(AppError::new(
                    ErrorKind::NotFound,
                    "No suggested edit is waiting for this post.",
                ));
            };
            let suggester = user_by_id(c, s.suggester_id)?.username;
            let reviewer = me
                .as_ref()
                .is_some_and(|actor| can_review(&*policy, actor, &post, &s));
            Ok((post, thread, s, suggester, reviewer))
        })
        .await?;
    let view = serde_json::json!({
        "id": suggestion.id,
        "suggester": suggester,
        "suggester_url": crate::view::user_url(&suggester),
        "reason": suggestion.reason,
        "created_ago": ago(suggestion.created_at),
        "title": suggestion.title,
        "body": suggestion.body_raw,
        "review_url": format!("/suggested-edits/{}", suggestion.id),
    });
    let current = serde_json::json!({
        "url": format!("{}#post-{}", thread_url(&thread.slug, thread.id), post.id),
        "thread_title": thread.title,
        "title": post.is_question.then_some(&thread.title),
        "body": post.body_raw,
    });
    Page::new(&state, &viewer, "suggested_edit.html", "Suggested edit")
        .with("suggestion", &view)
        .with("current", &current)
        .with("can_review", &reviewer)
        .render(&state)
}

#[derive(Deserialize)]
struct ReviewInput {
    #[serde(default)]
    action: String,
}

#[post("/suggested-edits/{id}")]
pub async fn review(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<SuggestedEditId>,
    form: CsrfForm<ReviewInput>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    let approve = parse_action(&form.0.action)?;
    let reviewed = save(&state, actor, path.into_inner(), approve).await?;
    let post = reviewed.post_id();
    let url = state.read(move |c| post_url(c, post)).await?;
    Ok(see_other(&url))
}
