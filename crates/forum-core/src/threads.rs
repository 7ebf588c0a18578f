//! Asking a question (a thread and its first post) and listing threads.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{CategoryId, TagId, ThreadId, UserId};
use forum_db::models::{Category, NewThread, Thread};
use forum_db::paginate::Paginate;
use forum_db::schema::{categories, posts, thread_tags, threads, users};
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::categories::{parse_tags, set_thread_tags};
use crate::content::{cook_body, thread_slug, validate_title, BODY_CHARS};
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::category_by_slug;
use crate::markup::excerpt;
use crate::policy::{ContentKind, WritePolicy};
use crate::posts::{insert_post, paced};
use crate::views::{tags_for, Author, ThreadSummary};
use crate::visibility::Visibility;

/// What a member submits to ask.
#[derive(Debug, Clone)]
pub struct AskInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub category_slug: &'a str,
    pub tags: &'a str,
}

/// Validates and stores a question with its first revision and an outbox row for search.
/// Text rules, cooking and the contract's content check run before the transaction; the
/// member's pace is checked under their row's lock inside it.
pub fn ask(
    conn: &mut AnyConnection,
    policy: &dyn WritePolicy,
    actor: &Actor,
    input: &AskInput<'_>,
) -> CoreResult<Thread> {
    let title = validate_title(input.title)?;
    let tags = parse_tags(input.tags)?;
    let cooked = cook_body("body", input.body, BODY_CHARS, actor.trust_level)?;
    policy.check_content(actor, ContentKind::Question, &cooked)?;
    let category = match category_by_slug(conn, input.category_slug.trim()) {
        Err(CoreError::NotFound(_)) => Err(CoreError::invalid(
            "category",
            "Choose one of the listed categories",
        )),
        other => other,
    }?;
    if category.kind.is_staff_only() && !actor.role.is_staff() {
        return Err(CoreError::forbidden(format!(
            "Only staff can post in {}",
            category.name
        )));
    }
    let slug = thread_slug(&title);
    write_tx(conn, |c| {
        paced(c, policy, actor, ContentKind::Question)?;
        let t = now();
        let thread: Thread = diesel::insert_into(threads::table)
            .values(&NewThread {
                category_id: category.id,
                author_id: actor.id,
                title: &title,
                slug: &slug,
                created_at: t,
                bumped_at: t,
            })
            .returning(threads::all_columns)
            .get_result(c)?;
        insert_post(c, thread.id, actor, input.body, &cooked, Some(&title), t)?;
        set_thread_tags(c, thread.id, &tags)?;
        reindex_later(c, thread.id)?;
        Ok(thread)
    })
}

/// Which threads a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Most recently active first.
    #[default]
    Latest,
    /// No answers yet, oldest first would hide new ones, so newest first.
    Unanswered,
    /// Has an accepted answer.
    Solved,
}

impl Tab {
    /// Parses `?tab=`; unknown values mean latest.
    pub fn parse(s: &str) -> Tab {
        match s {
            "unanswered" => Tab::Unanswered,
            "solved" => Tab::Solved,
            _ => Tab::Latest,
        }
    }

    /// Name used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Tab::Latest => "latest",
            Tab::Unanswered => "unanswered",
            Tab::Solved => "solved",
        }
    }
}

/// Where a list goes on: the sort key and id of the last row a client was given, in its tab's
/// order. The next page starts right after that row whatever was asked or bumped since, where
/// a page number would shift under new rows and show some twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    /// The tab's sort time of the row: bumped (latest), asked (unanswered), solved (solved).
    pub at: NaiveDateTime,
    pub id: ThreadId,
}

impl Tab {
    /// The cursor that continues this tab's list after `thread`.
    pub fn cursor_after(self, thread: &Thread) -> ListCursor {
        let at = match self {
            Tab::Latest => thread.bumped_at,
            Tab::Unanswered => thread.created_at,
            // A solved thread always has its time; the fallback only keeps the type total.
            Tab::Solved => thread.solved_at.unwrap_or(thread.created_at),
        };
        ListCursor { at, id: thread.id }
    }
}

/// A list request: a tab, optionally within one category or tag, one page at a time.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    pub tab: Tab,
    pub category_id: Option<CategoryId>,
    pub tag_id: Option<TagId>,
    pub author_id: Option<UserId>,
    /// What the viewer may see (deleted threads only for staff).
    pub visibility: Visibility,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    /// Keyset pagination: when set, the rows after this one in the tab's order (`page` is
    /// then ignored).
    pub after: Option<ListCursor>,
}

/// One page of threads, decorated for a list (category, author, tags, excerpt), plus whether
/// another page follows (one extra row is fetched to know). Three queries whatever the page
/// size: threads joined with category and asker (walking the ordering index), then the page's
/// question texts and tags. (Joining the question posts into the first query lets SQLite's
/// planner start from the posts table and sort every thread: 20x slower.)
pub fn list_threads(
    conn: &mut AnyConnection,
    f: &ThreadFilter,
) -> CoreResult<(Vec<ThreadSummary>, bool)> {
    let per_page = f.per_page.clamp(1, 100);
    let page = f.page.clamp(1, 10_000);
    let mut q = threads::table
        .inner_join(categories::table)
        .inner_join(users::table)
        .filter(f.visibility.threads())
        .select((
            Thread::as_select(),
            Category::as_select(),
            Author::as_select(),
        ))
        .into_boxed();
    if let Some(c) = f.category_id {
        q = q.filter(threads::category_id.eq(c));
    }
    if let Some(a) = f.author_id {
        q = q.filter(threads::author_id.eq(a));
    }
    if let Some(tag) = f.tag_id {
        q = q.filter(
            threads::id.eq_any(
                thread_tags::table
                    .filter(thread_tags::tag_id.eq(tag))
                    .select(thread_tags::thread_id),
            ),
        );
    }
    q = match f.tab {
        Tab::Latest => q.order((threads::bumped_at.desc(), threads::id.desc())),
        Tab::Unanswered => q
            .filter(threads::answer_count.eq(0))
            .order((threads::created_at.desc(), threads::id.desc())),
        Tab::Solved => q
            .filter(threads::accepted_post_id.is_not_null())
            .order((threads::solved_at.desc(), threads::id.desc())),
    };
    if let Some(after) = f.after {
        q = match f.tab {
            Tab::Latest => q.filter(
                threads::bumped_at.lt(after.at).or(threads::bumped_at
                    .eq(after.at)
                    .and(threads::id.lt(after.id))),
            ),
            Tab::Unanswered => q.filter(
                threads::created_at.lt(after.at).or(threads::created_at
                    .eq(after.at)
                    .and(threads::id.lt(after.id))),
            ),
            Tab::Solved => {
                let solved_at = threads::solved_at.assume_not_null();
                q.filter(
                    solved_at
                        .lt(after.at)
                        .or(solved_at.eq(after.at).and(threads::id.lt(after.id))),
                )
            }
        };
    }
    let offset = if f.after.is_some() {
        0
    } else {
        (page - 1) * per_page
    };
    let mut rows: Vec<(Thread, Category, Author)> = q.paginate(per_page + 1, offset).load(conn)?;
    let has_next = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    let ids: Vec<ThreadId> = rows.iter().map(|r| r.0.id).collect();
    let mut tags = tags_for(conn, &ids)?;
    let texts: std::collections::HashMap<ThreadId, String> = posts::table
        .filter(posts::thread_id.eq_any(&ids))
        .filter(posts::is_question.eq(true))
        .filter(f.visibility.posts())
        .select((posts::thread_id, posts::body_text))
        .load::<(ThreadId, String)>(conn)?
        .into_iter()
        .collect();
    let list = rows
        .into_iter()
        .map(|(thread, category, asker)| ThreadSummary {
            tags: tags.remove(&thread.id).unwrap_or_default(),
            excerpt: texts
                .get(&thread.id)
                .map(|t| excerpt(t, 180))
                .unwrap_or_default(),
            author: asker,
            category,
            thread,
        })
        .collect();
    Ok((list, has_next))
}
