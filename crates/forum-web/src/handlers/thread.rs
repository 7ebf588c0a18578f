//! The thread page (canonical URL with slug) and answering on it.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use forum_core::queries::PostWithMeta;
use forum_db::ids::{PostId, ThreadId};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::pages::{anon_cached, fragment_into, fragment_keyed_into, see_other, Page};
use crate::session::{KeptForm, Viewer};
use crate::state::AppState;
use crate::view::{
    post_access, post_times, post_view_with, thread_summary, thread_url, PostAnchor, PostView,
};

/// The answer form's kept text and error.
#[derive(Debug, Default, Serialize)]
pub struct AnswerForm {
    pub body: String,
    pub error: Option<String>,
}

/// A refused comment's kept text and error, shown in that post's comment form.
#[derive(Debug, Serialize, Hash)]
pub struct CommentForm {
    pub post_id: PostId,
    pub body: String,
    pub error: Option<String>,
}

/// A form to show again with the member's text: which one, and the error's status.
#[derive(Debug, Default)]
pub struct KeptText {
    pub answer: AnswerForm,
    pub comment: Option<CommentForm>,
    pub error: Option<AppError>,
}

#[get("/t/{slug}/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<(String, ThreadId)>,
) -> AppResult<HttpResponse> {
    let (slug, id) = path.into_inner();
    let page = render(&state, &viewer, id, Some(&slug), KeptText::default());
    anon_cached(&state, &viewer, &req, page).await
}

#[get("/t/{id}")]
pub async fn show_by_id(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ThreadId>,
) -> AppResult<HttpResponse> {
    render(
        &state,
        &viewer,
        path.into_inner(),
        None,
        KeptText::default(),
    )
    .await
}

/// Renders the thread, or 301s to its canonical URL when the slug is wrong or missing (a page
/// re-shown with kept text is never redirected).
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    id: ThreadId,
    slug: Option<&str>,
    kept: KeptText,
) -> AppResult<HttpResponse> {
    let me = viewer.user.clone();
    let reads = state.reads.clone();
    let page = state
        .read_quick(move |c| Ok(reads.thread_page(c, id, me.as_ref())?))
        .await?;
    let t = &page.summary.thread;
    let canonical = thread_url(&t.slug, t.id);
    let reshown = kept.error.is_some();
    if slug.is_some_and(|s| s != t.slug) || (slug.is_none() && !reshown) {
        return Ok(HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, canonical))
            .finish());
    }
    let me = viewer.user.as_ref();
    if let Some(me) = me {
        // Posts read count towards trust levels; noted in memory, written in batches.
        let shown = i64::try_from(page.answers.len() + 1).unwrap_or(i64::MAX);
        state.activity.read(me.id, t.id, shown);
    }
    // Each post through partials/post.html (reused while unchanged), straight into the HTML
    // the page places: the question's, then all the answers' in order.
    let vis = viewer.visibility();
    let privileges = state.policy.privileges();
    let place = |p: &PostWithMeta, html: &mut String| {
        let access = post_access(p, &page, me, &privileges);
        let times = post_times(p);
        let comment_form = kept.comment.as_ref().filter(|f| f.post_id == p.post.id);
        let input = || PostFragment {
            post: post_view_with(p, access, &times, t),
            comment_form,
        };
        let (template, csrf) = ("partials/post.html", &viewer.csrf_token);
        match page.generation {
            // The content stands for this generation exactly, so the generation and the post
            // identify its data: the view is built only if it must be rendered.
            Some(generation) => {
                let key = (generation, vis, p.post.id, access, &times, comment_form);
                fragment_keyed_into(state, csrf, template, &key, input, html)?;
            }
            None => fragment_into(state, csrf, template, &input(), html)?,
        }
        Ok::<_, AppError>(PostAnchor {
            id: p.post.id,
            anchor: format!("post-{}", p.post.id),
            is_accepted: t.accepted_post_id == Some(p.post.id),
        })
    };
    let mut question_html = String::new();
    let question = place(&page.question, &mut question_html)?;
    let mut answers_html = String::new();
    let answers = page
        .answers
        .iter()
        .map(|a| place(a, &mut answers_html))
        .collect::<AppResult<Vec<_>>>()?;
    let accepted_answer = answers.iter().find(|a| a.is_accepted);
    Page::new(state, viewer, "thread.html", &t.title)
        .canonical(state, &canonical)
        .with("thread", &thread_summary(&page.summary))
        .with("question", &question)
        .with_html(state, "question_html", question_html)
        .with("accepted_answer", &accepted_answer)
        .with("answers", &answers)
        .with_html(state, "answers_html", answers_html)
        .with("can_answer", &me.is_some())
        .with("watch_action", &me.map(|_| format!("/t/{}/watch", t.id)))
        .with("watch_level", &page.watch_level.as_str())
        .with("watch_new", &"answer")
        .with("answer_url", &format!("/t/{}/answer#answer-form", t.id))
        .with("answer_form", &kept.answer)
        .form_error(kept.error.as_ref())
        .render(state)
}

/// What `partials/post.html` sees: the post, and the comment form to show again in it (with
/// the member's text and error) when a comment on it was refused.
#[derive(Serialize, Hash)]
struct PostFragment<'a> {
    post: PostView,
    comment_form: Option<&'a CommentForm>,
}

#[derive(Deserialize)]
pub(crate) struct AnswerInput {
    #[serde(default)]
    body: String,
}

#[post("/t/{id}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    session: Session,
    viewer: Viewer,
    path: web::Path<ThreadId>,
    form: KeptForm<AnswerInput>,
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
                    let post = forum_core::posts::answer(c, &*policy, &actor, id, &text)?;
                    let thread = forum_core::lookup::thread_by_id(c, id)?;
                    Ok((post.id, thread.slug))
                })
                .await
        }
    };
    match result {
        Ok((post_id, slug)) => Ok(see_other(&format!(
            "{}#post-{post_id}",
            thread_url(&slug, id)
        ))),
        Err(e) if e.is_form_error() || e.is_session_ended() => {
            let viewer = viewer.with_form_token(&session)?;
            let kept = KeptText {
                answer: AnswerForm {
                    body,
                    error: Some(e.message.clone()),
                },
                comment: None,
                error: Some(e),
            };
            render(&state, &viewer, id, None, kept).await
        }
        Err(e) => Err(e),
    }
}
