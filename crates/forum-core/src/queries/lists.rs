//! Thread lists: a tab (latest, unanswered, solved), optionally within a category, a tag or
//! one asker's threads, by page or by cursor, through the visibility rule.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use forum_db::ids::{CategoryId, TagId, ThreadId, UserId};
use forum_db::models::{Category, Thread};
use forum_db::paginate::Paginate;
use forum_db::schema::{categories, posts, thread_tags, threads, users};
use forum_db::AnyConnection;

use crate::error::CoreResult;
use crate::markup::excerpt;
use crate::queries::{tags_for, Author, ThreadRow};
use crate::visibility::Visibility;

/// Which threads a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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
) -> CoreResult<(Vec<ThreadRow>, bool)> {
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
        .map(|(thread, category, asker)| ThreadRow {
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
