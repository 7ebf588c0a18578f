//! A member's public profile: reputation with its events, questions and answers.

use diesel::prelude::*;
use forum_db::ids::PostId;
use forum_db::models::{Post, ReputationEvent, Thread, User};
use forum_db::schema::{posts, threads};
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::lookup::user_by_username;
use crate::queries::ThreadRow;
use crate::queries::{list_threads, ThreadFilter};
use crate::reputation::events_for;
use crate::visibility::Visibility;

/// What the profile page shows.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: User,
    pub events: Vec<ReputationEvent>,
    /// Thread titles and slugs for the events' posts, keyed by post id.
    pub event_threads: Vec<(PostId, Thread)>,
    pub questions: Vec<ThreadRow>,
    /// Answers with their thread (the most recent 20).
    pub answers: Vec<(Post, Thread)>,
    /// All questions asked and answers given, not just the ones listed.
    pub question_count: i64,
    pub answer_count: i64,
}

/// Loads a profile in a fixed number of queries.
pub fn profile(conn: &mut AnyConnection, vis: Visibility, username: &str) -> CoreResult<Profile> {
    let user = user_by_username(conn, username)?;
    let events = events_for(conn, user.id, 50)?;
    let post_ids: Vec<PostId> = events.iter().filter_map(|e| e.post_id).collect();
    let event_threads: Vec<(PostId, Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(&post_ids))
        .filter(vis.threads())
        .filter(vis.posts())
        .select((posts::id, Thread::as_select()))
        .load(conn)?;
    let filter = ThreadFilter {
        author_id: Some(user.id),
        visibility: vis,
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    let (questions, _) = list_threads(conn, &filter)?;
    let answers: Vec<(Post, Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user.id))
        .filter(posts::is_question.eq(false))
        .filter(vis.posts())
        .filter(vis.threads())
        .order(posts::id.desc())
        .limit(20)
        .select((Post::as_select(), Thread::as_select()))
        .load(conn)?;
    let question_count: i64 = threads::table
        .filter(threads::author_id.eq(user.id))
        .filter(vis.threads())
        .count()
        .get_result(conn)?;
    let answer_count: i64 = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user.id))
        .filter(posts::is_question.eq(false))
        .filter(vis.posts())
        .filter(vis.threads())
        .count()
        .get_result(conn)?;
    Ok(Profile {
        user,
        events,
        event_threads,
        questions,
        answers,
        question_count,
        answer_count,
    })
}
