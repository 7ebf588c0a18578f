//! The thread page (canonical URL with slug) and answering on it.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use forum_core::views::thread_page;
use serde::{Deserialize, Serialize};

use crate::error::{AppResult, ErrorKind};
use crate::guard::{check_posting, posting_limits};
use crate::pages::{anon_cached, see_other, Page};
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::view::{post_view, thread_summary, thread_url};

/// The answer form's kept text and error.
#[derive(Debug, Default, Serialize)]
pub struct AnswerForm {
    pub body: String,
    pub error: Option<String>,
}

#[get("/t/{slug}/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (slug, id) = path.into_inner();
    let page = render(
        &state,
        &viewer,
        id,
        Some(&slug),
        AnswerForm::default(),
        StatusCode::OK,
    );
    anon_cached(&state, &viewer, &req, page).await
}

#[get("/t/{id}")]
pub async fn show_by_id(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    render(
        &state,
        &viewer,
        path.into_inner(),
        None,
        AnswerForm::default(),
        StatusCode::OK,
    )
    .await
}

/// Renders the thread, or 301s to its canonical URL when the slug is wrong or missing.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    slug: Option<&str>,
    answer_form: AnswerForm,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let viewer_id = viewer.user_id();
    let page = state
        .read(move |c| Ok(thread_page(c, id, viewer_id)?))
        .await?;
    let t = &page.summary.thread;
    let canonical = thread_url(&t.slug, t.id);
    if slug.is_some_and(|s| s != t.slug) || (slug.is_none() && status == StatusCode::OK) {
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, canonical))
            .finish());
    }
    let accepted = t.accepted_post_id;
    let me = viewer.user.as_ref();
    let question = post_view(&page.question, t.author_id, accepted, me);
    let answers: Vec<_> = page
        .answers
        .iter()
        .map(|a| post_view(a, t.author_id, accepted, me))
        .collect();
    let accepted_answer = answers.iter().find(|a| a.is_accepted);
    Page::new(state, viewer, "thread.html", &t.title)
        .canonical(state, &canonical)
        .with("thread", &thread_summary(&page.summary))
        .with("question", &question)
        .with("accepted_answer", &accepted_answer)
        .with("answers", &answers)
        .with("can_answer", &me.is_some())
        .with("answer_url", &format!("/t/{}/answer", t.id))
        .with("answer_form", &answer_form)
        .status(status)
        .render(state)
}

#[derive(Deserialize)]
struct AnswerInput {
    #[serde(default)]
    body: String,
}

#[post("/t/{id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<i64>,
    form: CsrfForm<AnswerInput>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = viewer.require()?.clone();
    let body = form.0.body;
    let limits = posting_limits(&state.settings);
    let body_for_write = body.clone();
    let result = state
        .write(move |c| {
            check_posting(c, &limits, &actor, &body_for_write)?;
            let post = forum_core::posts::answer(c, &actor, id, &body_for_write)?;
            let thread = forum_core::threads::thread_by_id(c, id)?;
            Ok((post.id, thread.slug))
        })
        .await;
    match result {
        Ok((post_id, slug)) => Ok(see_other(&format!(
            "{}#post-{post_id}",
            thread_url(&slug, id)
        ))),
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::Validation | ErrorKind::RateLimited | ErrorKind::Forbidden
            ) =>
        {
            let status = e.kind.status();
            let form = AnswerForm {
                body,
                error: Some(e.message),
            };
            render(&state, &viewer, id, None, form, status).await
        }
        Err(e) => Err(e),
    }
}
