//! One-click actions on a post: vote, accept, comment. Each redirects back to the post.

use actix_web::{post, web, HttpResponse};
use forum_core::posts::post_by_id;
use forum_core::threads::thread_by_id;
use forum_core::votes::VoteChoice;
use forum_db::AnyConnection;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::guard::{check_posting, posting_limits};
use crate::pages::see_other;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::view::thread_url;

fn post_url(c: &mut AnyConnection, post_id: i64) -> AppResult<String> {
    let p = post_by_id(c, post_id)?;
    let t = thread_by_id(c, p.thread_id)?;
    Ok(format!("{}#post-{post_id}", thread_url(&t.slug, t.id)))
}

#[derive(Deserialize)]
struct VoteInput {
    #[serde(default)]
    value: String,
}

#[post("/p/{id}/vote")]
pub async fn vote(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: CsrfForm<VoteInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let choice = VoteChoice::parse(&form.0.value)
        .ok_or_else(|| AppError::new(ErrorKind::Validation, "A vote is up, down or none."))?;
    let url = state
        .write(move |c| {
            forum_core::votes::vote(c, &actor, id, choice)?;
            post_url(c, id)
        })
        .await?;
    Ok(see_other(&url))
}

#[derive(Deserialize)]
struct Empty {}

#[post("/p/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    _form: CsrfForm<Empty>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let url = state
        .write(move |c| {
            forum_core::accept::accept(c, &actor, id)?;
            post_url(c, id)
        })
        .await?;
    Ok(see_other(&url))
}

#[derive(Deserialize)]
struct CommentInput {
    #[serde(default)]
    body: String,
}

#[post("/p/{id}/comment")]
pub async fn comment(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: CsrfForm<CommentInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let limits = posting_limits(&state.settings);
    let body = form.0.body;
    let url = state
        .write(move |c| {
            check_posting(c, &limits, &actor, &body)?;
            forum_core::posts::comment(c, &actor, id, &body)?;
            post_url(c, id)
        })
        .await?;
    Ok(see_other(&url))
}
