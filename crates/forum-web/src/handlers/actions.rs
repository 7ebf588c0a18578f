//! One-click actions on a post: vote, accept, comment, delete. Each redirects back to the post
//! (a refused comment shows the thread again with the text kept in that post's form).

use actix_session::Session;
use actix_web::{post, web, HttpResponse};
use forum_core::deletion::Deleted;
use forum_core::lookup::{post_by_id, thread_by_id};
use forum_core::votes::VoteChoice;
use forum_db::ids::PostId;
use forum_db::AnyConnection;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::handlers::thread::{render, CommentForm, KeptText};
use crate::pages::see_other;
use crate::session::{CsrfForm, KeptForm, NoFields, Viewer};
use crate::state::AppState;
use crate::view::thread_url;

/// Runs a one-click action on a post, then answers 303 to the post (Post/Redirect/Get).
async fn back_to_post(
    state: &AppState,
    id: PostId,
    act: impl FnOnce(&mut AnyConnection) -> AppResult<()> + Send + 'static,
) -> AppResult<HttpResponse> {
    let url = state
        .write(move |c| {
            act(c)?;
            post_url(c, id)
        })
        .await?;
    Ok(see_other(&url))
}

/// The post's place in its thread (`/t/{slug}/{id}#post-{post}`), where actions send back to.
pub(crate) fn post_url(c: &mut AnyConnection, post_id: PostId) -> AppResult<String> {
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
    path: web::Path<PostId>,
    form: CsrfForm<VoteInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let choice = VoteChoice::parse(&form.0.value)
        .ok_or_else(|| AppError::new(ErrorKind::Validation, "A vote is up, down or none."))?;
    let policy = state.policy.clone();
    back_to_post(&state, id, move |c| {
        forum_core::votes::vote(c, policy.as_ref(), &actor, id, choice)?;
        Ok(())
    })
    .await
}

#[post("/p/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    back_to_post(&state, id, move |c| {
        forum_core::accept::accept(c, &actor, id)?;
        Ok(())
    })
    .await
}

#[post("/p/{id}/delete")]
pub async fn delete(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let url = state
        .write(move |c| {
            Ok(match forum_core::deletion::delete_post(c, &actor, id)? {
                Deleted::Answer { thread_id } => {
                    let t = thread_by_id(c, thread_id)?;
                    thread_url(&t.slug, t.id)
                }
                Deleted::Thread { .. } => "/".to_string(),
            })
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
    session: Session,
    viewer: Viewer,
    path: web::Path<PostId>,
    form: KeptForm<CommentInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (input, expired) = form.into_parts();
    let body = input.body;
    let result = match crate::session::acting_member(expired, &viewer) {
        Err(e) => Err(e),
        Ok(actor) => {
            let policy = state.policy.clone();
            let text = body.clone();
            state
                .write(move |c| {
                    forum_core::posts::comment(c, &*policy, &actor, id, &text)?;
                    post_url(c, id)
                })
                .await
        }
    };
    match result {
        Ok(url) => Ok(see_other(&url)),
        Err(e) if e.is_form_error() || e.is_session_ended() => {
            let thread_id = state
                .read(move |c| Ok(post_by_id(c, id)?.thread_id))
                .await?;
            let viewer = viewer.with_form_token(&session)?;
            let kept = KeptText {
                comment: Some(CommentForm {
                    post_id: id,
                    body,
                    error: Some(e.message.clone()),
                }),
                error: Some(e),
                ..KeptText::default()
            };
            render(&state, &viewer, thread_id, None, kept).await
        }
        Err(e) => Err(e),
    }
}
