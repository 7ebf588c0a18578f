//! A member's public profile.

use actix_web::{get, web, HttpResponse};
use forum_core::reputation::EventKind;
use serde::Serialize;

use forum_core::queries::standing::member_standing;

use crate::error::AppResult;
use crate::handlers::lists::thread_rows;
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;
use crate::view::{ago, thread_summary, thread_url, user_url};

#[derive(Serialize)]
struct EventView {
    label: String,
    delta: i64,
    created_ago: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct AnswerRow {
    thread_title: String,
    url: String,
    score: i64,
    is_accepted: bool,
    created_ago: String,
}

#[get("/u/{username}")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let name = path.into_inner();
    let vis = viewer.visibility();
    let (p, standing) = state
        .read(move |c| {
            let p = forum_core::queries::profile(c, vis, &name)?;
            let standing = member_standing(c, &p.user)?;
            Ok((p, standing))
        })
        .await?;
    // How far a member is from the next level (days visited, posts read) is theirs and
    // staff's to see; the level and what it unlocks are public.
    let own = viewer
        .user
        .as_ref()
        .is_some_and(|me| me.id == p.user.id || me.role.is_staff());
    let points: Vec<crate::charts::Point> = standing
        .reputation_history
        .iter()
        .map(|(day, rep)| (day.to_string(), *rep))
        .collect();
    let chart = crate::charts::line_chart("reputation-chart", "Reputation over time", &points);
    let events: Vec<EventView> = p
        .events
        .iter()
        .map(|e| EventView {
            label: event_label(e.kind, e.reverses_id.is_some()),
            delta: e.delta,
            created_ago: ago(e.created_at),
            url: e.post_id.and_then(|pid| {
                p.event_threads
                    .iter()
                    .find(|(id, _)| *id == pid)
                    .map(|(_, t)| format!("{}#post-{pid}", thread_url(&t.slug, t.id)))
            }),
        })
        .collect();
    let answers: Vec<AnswerRow> = p
        .answers
        .iter()
        .map(|(post, t)| AnswerRow {
            thread_title: t.title.clone(),
            url: format!("{}#post-{}", thread_url(&t.slug, t.id), post.id),
            score: post.score,
            is_accepted: t.accepted_post_id == Some(post.id),
            created_ago: ago(post.created_at),
        })
        .collect();
    let u = &p.user;
    let profile = serde_json::json!({
        "username": u.username,
        "role": u.role,
        "reputation": u.reputation,
        "trust_level": u.trust_level,
        "joined_ago": ago(u.created_at),
        "url": user_url(&u.username),
        "question_count": p.question_count,
        "answer_count": p.answer_count,
        "accepted_answers": standing.accepted_answers,
        "accepted_rate": standing.accepted_rate().map(|r| (r * 100.0).round()),
    });
    let questions: Vec<_> = p.questions.iter().map(thread_summary).collect();
    let questions_html = thread_rows(&state, &viewer, &questions, 3, true)?;
    Page::new(&state, &viewer, "user.html", &u.username)
        .canonical(&state, &user_url(&u.username))
        .with("profile", &profile)
        .with("events", &events)
        .with("kudos_received", &standing.kudos_received)
        .with("badges", &standing.badges)
        .with("champion", &standing.champion)
        .with("top_tags", &standing.top_tags)
        .with_html(&state, "reputation_chart", chart)
        .with("ladder", &ladder(&state, standing.trust, own))
        .with(
            "viewer_is_staff",
            &viewer.user.as_ref().is_some_and(|me| me.role.is_staff()),
        )
        .with("question_count", &questions.len())
        .with_html(&state, "questions_html", questions_html)
        .with("answers", &answers)
        .render(&state)
}

/// The member's trust level, what it unlocks, and what the next level needs and adds.
#[derive(Debug, Serialize)]
struct Ladder {
    level: i32,
    holds: Vec<&'static str>,
    /// The next level that can be earned (None at TL3 and up: TL4 is granted by staff).
    next_level: Option<i32>,
    /// What it needs and where the member stands (only for the member and staff).
    next: Vec<forum_core::trust::Requirement>,
    next_adds: Vec<&'static str>,
}

fn ladder(state: &AppState, standing: forum_core::trust::Standing, own: bool) -> Ladder {
    let table = state.policy.privileges();
    let level = forum_db::types::TrustLevel(standing.level);
    let (held, next) = table.ladder(level);
    Ladder {
        level: standing.level,
        holds: held.iter().map(|p| p.describe()).collect(),
        next_level: standing.next_level,
        next: if own { standing.next } else { Vec::new() },
        next_adds: next.iter().map(|p| p.describe()).collect(),
    }
}

/// The profile's words for a ledger event.
fn event_label(kind: EventKind, is_reversal: bool) -> String {
    let base = match kind {
        EventKind::AnswerUpvoted => "Answer upvoted",
        EventKind::QuestionUpvoted => "Question upvoted",
        EventKind::PostDownvoted => "Post downvoted",
        EventKind::DownvoteCast => "Downvoted an answer",
        EventKind::AnswerAccepted => "Answer accepted",
        EventKind::AcceptedAnAnswer => "Accepted an answer",
        EventKind::KudosReceived => "Thanked with kudos",
    };
    if is_reversal {
        format!("{base} (reversed)")
    } else {
        base.to_string()
    }
}

#[derive(serde::Deserialize)]
struct LeaderForm {
    #[serde(default)]
    granted: String,
}

/// Grants or withdraws trust level 4 (staff), then back to the profile.
#[actix_web::post("/u/{username}/leader")]
pub async fn leader(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    form: crate::session::CsrfForm<LeaderForm>,
) -> AppResult<HttpResponse> {
    let actor = viewer.require()?.clone();
    let granted = form.0.granted == "true";
    let (name, _) =
        crate::api::users::save_leader(&state, actor, path.into_inner(), granted).await?;
    Ok(crate::pages::see_other(&user_url(&name)))
}
