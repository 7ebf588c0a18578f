//! Asking a question.

use actix_session::Session;
use actix_web::{get, post, web, HttpResponse};
use forum_core::categories::list_categories;
use forum_core::threads::AskInput;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::pages::{see_other, Page};
use crate::session::{acting_member, KeptForm, Viewer};
use crate::state::AppState;
use crate::view::{category_ref, thread_url};

/// The ask form's fields, kept on error.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AskForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
}

#[derive(Deserialize)]
struct AskQuery {
    category: Option<String>,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    form: &AskForm,
    error: Option<&AppError>,
) -> AppResult<HttpResponse> {
    let categories = state.read(|c| Ok(list_categories(c)?)).await?;
    let visible: Vec<_> = categories
        .iter()
        .filter(|c| {
            !c.kind.is_staff_only() || viewer.user.as_ref().is_some_and(|u| u.role.is_staff())
        })
        .map(category_ref)
        .collect();
    Page::new(state, viewer, "ask.html", "Ask a question")
        .with("form", form)
        .form_error(error)
        .with("categories", &visible)
        .render(state)
}

#[get("/ask")]
pub async fn ask_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<AskQuery>,
) -> AppResult<HttpResponse> {
    if viewer.user.is_none() {
        return Ok(see_other("/login?next=/ask"));
    }
    let form = AskForm {
        category: q.into_inner().category.unwrap_or_default(),
        ..Default::default()
    };
    form_page(&state, &viewer, &form, None).await
}

/// Asks; a refusal, or a session that ended while the member wrote (the form's token no longer
/// matches), shows the form again with everything typed kept and acts on nothing.
#[post("/ask")]
pub async fn ask(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    form: KeptForm<AskForm>,
) -> AppResult<HttpResponse> {
    let (form, expired) = form.into_parts();
    let result = match acting_member(expired, &viewer) {
        Err(e) => Err(e),
        Ok(actor) => {
            let policy = state.policy.clone();
            let (title, body, category, tags) = (
                form.title.clone(),
                form.body.clone(),
                form.category.clone(),
                form.tags.clone(),
            );
            state
                .write(move |c| {
                    let input = AskInput {
                        title: &title,
                        body: &body,
                        category_slug: &category,
                        tags: &tags,
                    };
                    Ok(forum_core::threads::ask(c, &*policy, &actor, &input)?)
                })
                .await
        }
    };
    match result {
        Ok(thread) => Ok(see_other(&thread_url(&thread.slug, thread.id))),
        Err(e) if e.is_form_error() || e.is_session_ended() => {
            let viewer = viewer.with_form_token(&session)?;
            form_page(&state, &viewer, &form, Some(&e)).await
        }
        Err(e) => Err(e),
    }
}
