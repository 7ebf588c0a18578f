//! The thread page: a thread, its question and answers with authors, comments and the
//! viewer's votes, in five queries whatever its size. What every viewer with the same
//! visibility sees ([`ThreadContent`]) is kept apart from the viewer's own votes, so it can be
//! shared between them (see [`super::read_cache`]).

use forum_db::ids::{PostId, ThreadId, UserId};
use forum_db::types::{WatchLevel, WatchTarget};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use diesel::prelude::*;
use forum_db::models::{Category, Comment, Post, Thread};
use forum_db::schema::{
    categories, champion_standing, comments, kudos, posts, tags, thread_tags, threads, users, votes,
};
use forum_db::AnyConnection;

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};
use crate::visibility::Visibility;

/// The public face of a member, as lists and posts show it. Selected directly, so read pages
/// never load password hashes or emails.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Author {
    pub id: UserId,
    pub username: String,
    pub reputation: i64,
    pub role: String,
}

/// A thread with what a list row shows.
#[derive(Debug, Clone)]
pub struct ThreadRow {
    pub thread: Thread,
    pub category: Category,
    pub author: Author,
    pub tags: Vec<String>,
    pub excerpt: String,
}

/// A post with its author and comments.
#[derive(Debug, Clone)]
pub struct PostWithMeta {
    pub post: Post,
    pub author: Author,
    /// The author is a champion whose scope covers this thread's category (their flair).
    pub author_is_champion: bool,
    pub comments: Vec<(Comment, Author)>,
}

/// What the thread page shows every viewer with the same [`Visibility`].
#[derive(Debug, Clone)]
pub struct ThreadContent {
    pub summary: ThreadRow,
    pub question: PostWithMeta,
    /// Accepted first, then by score, then oldest first.
    pub answers: Vec<PostWithMeta>,
}

/// Everything the thread page shows one viewer: the shared content and their votes.
#[derive(Debug, Clone)]
pub struct ThreadPage {
    pub content: Arc<ThreadContent>,
    /// The viewer's votes in this thread: 1 or -1 by post (absent: no vote).
    pub my_votes: HashMap<PostId, i32>,
    /// The posts of this thread the viewer thanked with kudos.
    pub my_kudos: HashSet<PostId>,
    /// The data generation the content is known to stand for exactly (a kept read found at
    /// the current generation); `None` when there is none or the content was just read.
    pub generation: Option<i64>,
    /// The viewer's watch level on the thread (`Normal` for an anonymous reader).
    pub watch_level: WatchLevel,
}

impl ThreadPage {
    /// The viewer's vote on `post`: 1, -1 or 0.
    pub fn my_vote(&self, post: PostId) -> i32 {
        self.my_votes.get(&post).copied().unwrap_or(0)
    }

    /// Whether the viewer thanked `post`'s author with kudos.
    pub fn gave_kudos(&self, post: PostId) -> bool {
        self.my_kudos.contains(&post)
    }
}

impl std::ops::Deref for ThreadPage {
    type Target = ThreadContent;
    fn deref(&self) -> &ThreadContent {
        &self.content
    }
}

/// Loads a thread page in five queries whatever its size. Every statement has a fixed shape
/// (joins on the thread id, no `IN` lists), so SQLite and PostgreSQL reuse prepared statements.
pub fn thread_page(
    conn: &mut AnyConnection,
    thread_id: ThreadId,
    viewer: Option<&Actor>,
) -> CoreResult<ThreadPage> {
    let content = thread_content(conn, thread_id, Visibility::for_viewer(viewer))?;
    let (my_votes, my_kudos) = viewer_marks(conn, &content, viewer)?;
    Ok(ThreadPage {
        content: Arc::new(content),
        my_votes,
        my_kudos,
        generation: None,
        watch_level: watch_level(conn, thread_id, viewer)?,
    })
}

/// The viewer's votes (1 or -1 by post) and kudos on the posts of `content`'s thread (nothing
/// for an anonymous reader). Kudos are read only when some post of the thread has any, so a
/// thread without thank-yous (most of them) costs one statement, as before kudos existed.
pub fn viewer_marks(
    conn: &mut AnyConnection,
    content: &ThreadContent,
    viewer: Option<&Actor>,
) -> CoreResult<(HashMap<PostId, i32>, HashSet<PostId>)> {
    let Some(v) = viewer else {
        return Ok((HashMap::new(), HashSet::new()));
    };
    let thread_id = content.summary.thread.id;
    let votes: Vec<(PostId, i32)> = forum_db::on_backend!(conn, |c| {
        votes::table
            .inner_join(posts::table)
            .filter(posts::thread_id.eq(thread_id))
            .filter(votes::user_id.eq(v.id))
            .select((votes::post_id, votes::value))
            .load(c)?
    });
    let any_kudos = std::iter::once(&content.question)
        .chain(content.answers.iter())
        .any(|p| p.post.kudos_count > 0);
    let kudos: Vec<PostId> = if any_kudos {
        forum_db::on_backend!(conn, |c| {
            kudos::table
                .inner_join(posts::table)
                .filter(posts::thread_id.eq(thread_id))
                .filter(kudos::giver_id.eq(v.id))
                .select(kudos::post_id)
                .load(c)?
        })
    } else {
        Vec::new()
    };
    Ok((votes.into_iter().collect(), kudos.into_iter().collect()))
}

/// The viewer's watch level on a thread (`Normal` for an anonymous reader).
pub fn watch_level(
    conn: &mut AnyConnection,
    thread_id: ThreadId,
    viewer: Option<&Actor>,
) -> CoreResult<WatchLevel> {
    let level = crate::watching::viewer_level(
        conn,
        viewer.map(|v| v.id),
        WatchTarget::Thread,
        thread_id.0,
    )?;
    Ok(level.unwrap_or(WatchLevel::Normal))
}

/// What every viewer with visibility `vis` sees of a thread, in five queries.
pub fn thread_content(
    conn: &mut AnyConnection,
    thread_id: ThreadId,
    vis: Visibility,
) -> CoreResult<ThreadContent> {
    let (thread, category, asker): (Thread, Category, Author) = threads::table
        .inner_join(categories::table)
        .inner_join(users::table)
        .filter(threads::id.eq(thread_id))
        .filter(vis.threads())
        .select((
            Thread::as_select(),
            Category::as_select(),
            Author::as_select(),
        ))
        .load(conn)?
        .into_iter()
        .next()
        .ok_or(CoreError::NotFound("thread"))?;
    let tags: Vec<String> = thread_tags::table
        .inner_join(tags::table)
        .filter(thread_tags::thread_id.eq(thread_id))
        .order(tags::name.asc())
        .select(tags::name)
        .load(conn)?;
    let rows: Vec<(Post, Author)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(vis.posts())
        .order(posts::id.asc())
        .select((Post::as_select(), Author::as_select()))
        .load(conn)?;
    let comment_rows: Vec<(Comment, Author)> = comments::table
        .inner_join(users::table)
        .inner_join(posts::table)
        .filter(posts::thread_id.eq(thread_id))
        .filter(vis.posts())
        .order(comments::id.asc())
        .select((Comment::as_select(), Author::as_select()))
        .load(conn)?;
    // Authors here who are champions, with their scope (the flair on their posts).
    let champion_scopes: Vec<(UserId, String)> = posts::table
        .inner_join(champion_standing::table.on(champion_standing::user_id.eq(posts::author_id)))
        .filter(posts::thread_id.eq(thread_id))
        .select((champion_standing::user_id, champion_standing::scope))
        .distinct()
        .load(conn)?;
    let champions: HashSet<UserId> = champion_scopes
        .into_iter()
        .filter(|(_, scope)| crate::champions::in_scope(scope, category.id))
        .map(|(u, _)| u)
        .collect();
    let mut comments_by_post: HashMap<PostId, Vec<(Comment, Author)>> = HashMap::new();
    for (c, u) in comment_rows {
        comments_by_post.entry(c.post_id).or_default().push((c, u));
    }
    let mut question = None;
    let mut answers = Vec::new();
    for (p, u) in rows {
        let meta = PostWithMeta {
            comments: comments_by_post.remove(&p.id).unwrap_or_default(),
            author_is_champion: champions.contains(&u.id),
            author: u,
            post: p,
        };
        if meta.post.is_question {
            question = Some(meta);
        } else {
            answers.push(meta);
        }
    }
    let question = question.ok_or(CoreError::NotFound("question"))?;
    let accepted = thread.accepted_post_id;
    answers.sort_by(|a, b| {
        let rank = |m: &PostWithMeta| (Some(m.post.id) != accepted, -m.post.score, m.post.id);
        rank(a).cmp(&rank(b))
    });
    let summary = ThreadRow {
        excerpt: crate::markup::excerpt(&question.post.body_text, 180),
        author: asker,
        category,
        tags,
        thread,
    };
    Ok(ThreadContent {
        question,
        answers,
        summary,
    })
}
