//! Editing a post (every revision kept) and viewing its history.

use actix_session::Session;
use actix_web::{get, post, web, HttpResponse};
use forum_core::edit::{
    can_edit, edit as edit_post, revisions as load_revisions, EditInput, Edited,
};
use forum_core::lookup::{post_by_id, thread_by_id};
use forum_core::queries::authors_by_id;
use forum_db::ids::PostId;
use forum_db::ids::UserId;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::pages::{see_other, Page};
use crate::session::{acting_member, KeptForm, Viewer};
use crate::state::AppState;
use crate::view::{ago, iso, thread_url, user_ref, UserRef};

/// The edit form, kept on error.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EditForm {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize)]
struct EditTarget {
    id: PostId,
    suggesting: bool,
    is_question: bool,
    thread_url: String,
    edit_url: String,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    post_id: PostId,
    form: Option<EditForm>,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    // Signed out only when a form comes back after its session ended: the page then shows the
    // member's own text again (and what anyone may see of the post), never the stored source.
    let me = viewer.user.clone();
    if me.is_none() && form.is_none() {
        return Err(crate::session::session_ended());
    }
    let reader = me.clone();
    let (post, thread) = state
        .read(move |c| {
            let vis = forum_core::visibility::Visibility::for_viewer(reader.as_ref());
            let p = vis.post(post_by_id(c, post_id)?)?;
            let t = vis.thread(thread_by_id(c, p.thread_id)?)?;
            Ok((p, t))
        })
        .await?;
    // Below the edit-others privilege, the same form suggests the edit for review.
    let suggesting = me
        .as_ref()
        .is_some_and(|actor| !can_edit(&state.policy.privileges(), actor, &post));
    let form = form.unwrap_or_else(|| EditForm {
        title: post.is_question.then(|| thread.title.clone()),
        body: post.body_raw.clone(),
        reason: String::new(),
    });
    let target = EditTarget {
        id: post.id,
        suggesting,
        is_question: post.is_question,
        thread_url: format!("{}#post-{}", thread_url(&thread.slug, thread.id), post.id),
        edit_url: format!("/p/{}/edit", post.id),
    };
    Page::new(
        state,
        viewer,
        "edit.html",
        &format!("Edit: {}", thread.title),
    )
    .with("post", &target)
    .with("form", &form)
    .form_error(error)
    .render(state)
}

#[get("/p/{id}/edit")]
pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    if viewer.user.is_none() {
        return Ok(see_other(&format!(
            "/login?next=/p/{}/edit",
            path.into_inner()
        )));
    }
    form_page(&state, &viewer, path.into_inner(), None, None).await
}

/// Edits; a refusal, or a session that ended while the member wrote (the form's token no
/// longer matches), shows the form again with the text kept and acts on nothing.
#[post("/p/{id}/edit")]
pub async fn edit(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    path: web::Path<PostId>,
    form: KeptForm<EditForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (form, expired) = form.into_parts();
    let actor = match acting_member(expired, &viewer) {
        Ok(actor) => actor,
        Err(e) => {
            let viewer = viewer.with_form_token(&session)?;
            return form_page(&state, &viewer, id, Some(form), Some(&e)).await;
        }
    };
    let (title, body, reason) = (form.title.clone(), form.body.clone(), form.reason.clone());
    let policy = state.policy.clone();
    let result = state
        .write(move |c| {
            let input = EditInput {
                title: title.as_deref(),
                body: &body,
                reason: &reason,
            };
            match edit_post(c, &*policy, &actor, id, &input)? {
                Edited::Applied(post) => {
                    let thread = thread_by_id(c, post.thread_id)?;
                    Ok(format!(
                        "{}#post-{}",
                        thread_url(&thread.slug, thread.id),
                        post.id
                    ))
                }
                Edited::Suggested(s) => Ok(format!("/p/{}/suggested-edit", s.post_id)),
            }
        })
        .await;
    match result {
        Ok(url) => Ok(see_other(&url)),
        Err(e) if e.is_form_error() => form_page(&state, &viewer, id, Some(form), Some(&e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Serialize)]
struct RevisionView {
    revision: i32,
    editor: UserRef,
    created_at: String,
    created_ago: String,
    reason: String,
    title: Option<String>,
    body_raw: String,
}

#[get("/p/{id}/revisions")]
pub async fn revisions(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<PostId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let vis = viewer.visibility();
    let (thread, revs) = state
        .read(move |c| {
            let p = vis.post(post_by_id(c, id)?)?;
            let t = vis.thread(thread_by_id(c, p.thread_id)?)?;
            let revs = load_revisions(c, vis, id)?;
            let editors: Vec<UserId> = revs.iter().map(|r| r.editor_id).collect();
            let authors = authors_by_id(c, &editors)?;
            let views: Vec<RevisionView> = revs
                .into_iter()
                .filter_map(|r| {
                    authors.get(&r.editor_id).map(|a| RevisionView {
                        revision: r.revision,
                        editor: user_ref(a),
                        created_at: iso(r.created_at),
                        created_ago: ago(r.created_at),
                        reason: r.reason,
                        title: r.title,
                        body_raw: r.body_raw,
                    })
                })
                .collect();
            Ok((t, views))
        })
        .await?;
    let post = serde_json::json!({
        "id": id,
        "thread_url": format!("{}#post-{id}", thread_url(&thread.slug, thread.id)),
        "thread_title": thread.title,
    });
    Page::new(
        &state,
        &viewer,
        "revisions.html",
        &format!("Revisions: {}", thread.title),
    )
    .with("post", &post)
    .with("revisions", &revs)
    .render(&state)
}
