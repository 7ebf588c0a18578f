//! View models: domain rows turned into the shapes `docs/THEMES.md` promises templates.

use chrono::{NaiveDateTime, Utc};
use forum_core::notifications::NotificationItem;
use forum_core::privileges::PrivilegeTable;
use forum_core::queries::{Author, PostWithMeta, ThreadPage, ThreadRow as CoreSummary};
use forum_core::Actor;
use forum_db::ids::{CommentId, NotificationId, PostId, ThreadId};
use forum_db::models::{Category, Thread};
use forum_db::types::NotificationKind;
use serde::Serialize;

/// A member as lists and posts show them.
#[derive(Debug, Serialize, Hash)]
pub struct UserRef {
    pub username: String,
    pub url: String,
    pub reputation: i64,
    pub role: String,
}

/// A category link.
#[derive(Debug, Serialize, Hash)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub url: String,
}

/// A tag link.
#[derive(Debug, Serialize, Hash)]
pub struct TagRef {
    pub name: String,
    pub url: String,
}

/// A thread row in a list.
#[derive(Debug, Serialize, Hash)]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub title: String,
    pub url: String,
    pub category: CategoryRef,
    pub author: UserRef,
    pub tags: Vec<TagRef>,
    pub score: i64,
    pub answer_count: i64,
    pub solved: bool,
    pub created_at: String,
    pub created_ago: String,
    pub bumped_ago: String,
    pub excerpt: String,
}

/// A comment under a post.
#[derive(Debug, Serialize, Hash)]
pub struct CommentView {
    pub id: CommentId,
    pub body_html: String,
    pub author: UserRef,
    pub created_ago: String,
}

/// The question or an answer, with what the viewer may do to it: everything
/// `partials/post.html` sees, so its rendering can be reused while this is unchanged (hence
/// `Hash`, see [`crate::fragments`]).
#[derive(Debug, Serialize, Hash)]
pub struct PostView {
    pub id: PostId,
    pub anchor: String,
    pub is_question: bool,
    pub is_accepted: bool,
    pub body_html: String,
    pub score: i64,
    pub author: UserRef,
    /// The author is a champion in this thread's category (the flair).
    pub author_is_champion: bool,
    pub created_at: String,
    pub created_ago: String,
    pub edited: bool,
    pub revision: i32,
    pub revisions_url: String,
    pub edit_url: String,
    pub vote_url: String,
    pub accept_url: String,
    pub comment_url: String,
    pub delete_url: String,
    /// Only staff see deleted posts; the page marks them.
    pub deleted: bool,
    pub can_delete: bool,
    pub my_vote: i32,
    pub can_edit: bool,
    /// Below the edit-others privilege: the edit link suggests an edit.
    pub can_suggest_edit: bool,
    pub can_accept: bool,
    pub can_vote: bool,
    pub can_comment: bool,
    /// Thank-yous the post received.
    pub kudos: i64,
    /// Whether the viewer gave one.
    pub my_kudos: bool,
    /// Whether the viewer may give one (signed in, not the author).
    pub can_kudos: bool,
    pub kudos_url: String,
    pub comments: Vec<CommentView>,
}

/// What `thread.html` knows of a post besides its HTML (which `partials/post.html` renders):
/// enough to link to it.
#[derive(Debug, Serialize)]
pub struct PostAnchor {
    pub id: PostId,
    pub anchor: String,
    pub is_accepted: bool,
}

/// Previous/next links for a paged list.
#[derive(Debug, Serialize)]
pub struct Pagination {
    pub page: i64,
    pub has_prev: bool,
    pub has_next: bool,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// Page 1, for a page past the end ("there are no more questions on this page").
    pub first_url: String,
}

impl Pagination {
    /// Links for `page` of `base` (which may already carry a query string).
    pub fn new(base: &str, page: i64, has_next: bool) -> Pagination {
        let sep = if base.contains('?') { '&' } else { '?' };
        let link = |p: i64| format!("{base}{sep}page={p}");
        Pagination {
            page,
            has_prev: page > 1,
            has_next,
            prev_url: (page > 1).then(|| link(page - 1)),
            next_url: has_next.then(|| link(page + 1)),
            first_url: base.to_string(),
        }
    }
}

/// The deepest page number honoured: every list is empty long before it, and offsets computed
/// from it stay far from overflowing.
pub const MAX_PAGE: i64 = 1_000_000;

/// A `?page=` value as a page number. Anything that is not a whole number of at least 1 means
/// page 1, so a mistyped or mangled link lands on the list rather than on an error.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n >= 1)
        .map_or(1, |n| n.min(MAX_PAGE))
}

/// `/u/{username}`.
pub fn user_url(username: &str) -> String {
    format!("/u/{username}")
}

/// The canonical thread URL.
pub fn thread_url(slug: &str, id: ThreadId) -> String {
    format!("/t/{slug}/{id}")
}

/// An author as a link.
pub fn user_ref(a: &Author) -> UserRef {
    UserRef {
        username: a.username.clone(),
        url: user_url(&a.username),
        reputation: a.reputation,
        role: a.role.clone(),
    }
}

/// A category as a link.
pub fn category_ref(c: &Category) -> CategoryRef {
    CategoryRef {
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        kind: c.kind.as_str().to_string(),
        url: format!("/c/{}", c.slug),
    }
}

/// A tag as a link.
pub fn tag_ref(name: &str) -> TagRef {
    TagRef {
        name: name.to_string(),
        url: format!("/tags/{name}"),
    }
}

/// A list row.
pub fn thread_summary(s: &CoreSummary) -> ThreadSummary {
    let t = &s.thread;
    ThreadSummary {
        id: t.id,
        title: t.title.clone(),
        url: thread_url(&t.slug, t.id),
        category: category_ref(&s.category),
        author: user_ref(&s.author),
        tags: s.tags.iter().map(|n| tag_ref(n)).collect(),
        score: t.score,
        answer_count: t.answer_count,
        solved: t.accepted_post_id.is_some(),
        created_at: iso(t.created_at),
        created_ago: ago(t.created_at),
        bumped_ago: ago(t.bumped_at),
        excerpt: s.excerpt.clone(),
    }
}

/// What a viewer may do to a post, and their vote and kudos on it: the only part of a post's
/// view that depends on who looks (the rest is the data and the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PostAccess {
    pub my_vote: i32,
    pub my_kudos: bool,
    pub can_delete: bool,
    pub can_edit: bool,
    /// Below the edit-others privilege: the edit link suggests an edit.
    pub can_suggest_edit: bool,
    pub can_accept: bool,
    pub can_vote: bool,
    pub can_comment: bool,
}

/// What `viewer` may do to a post of `page`'s thread, under the forum's privilege table.
pub fn post_access(
    p: &PostWithMeta,
    page: &ThreadPage,
    viewer: Option<&Actor>,
    privileges: &PrivilegeTable,
) -> PostAccess {
    let post = &p.post;
    let thread = &page.summary.thread;
    PostAccess {
        my_vote: page.my_vote(post.id),
        my_kudos: page.gave_kudos(post.id),
        can_delete: post.deleted_at.is_none()
            && viewer
                .is_some_and(|v| forum_core::deletion::can_delete(v, post, thread.answer_count)),
        can_edit: viewer.is_some_and(|v| forum_core::edit::can_edit(privileges, v, post)),
        can_suggest_edit: viewer.is_some_and(|v| !forum_core::edit::can_edit(privileges, v, post))
            && post.deleted_at.is_none(),
        can_accept: !post.is_question
            && viewer.is_some_and(|v| forum_core::accept::can_accept(v, thread.author_id)),
        can_vote: viewer.is_some_and(|v| v.id != post.author_id),
        can_comment: viewer.is_some(),
    }
}

/// The relative times a post's view shows, the post's first and then each comment's: the part
/// of the view that depends on the clock.
pub fn post_times(p: &PostWithMeta) -> Vec<String> {
    std::iter::once(p.post.created_at)
        .chain(p.comments.iter().map(|(c, _)| c.created_at))
        .map(ago)
        .collect()
}

/// A post as `viewer` sees it now (the API's shape, and what `partials/post.html` sees).
pub fn post_view(
    p: &PostWithMeta,
    page: &ThreadPage,
    viewer: Option<&Actor>,
    privileges: &PrivilegeTable,
) -> PostView {
    let access = post_access(p, page, viewer, privileges);
    post_view_with(p, access, &post_times(p), &page.summary.thread)
}

/// A post's view from its data, what the viewer may do, and its relative times (from
/// [`post_times`]): nothing else goes in, so these three identify the view.
pub fn post_view_with(
    p: &PostWithMeta,
    access: PostAccess,
    times: &[String],
    thread: &Thread,
) -> PostView {
    let post = &p.post;
    let time = |i: usize| times.get(i).cloned().unwrap_or_default();
    PostView {
        id: post.id,
        anchor: format!("post-{}", post.id),
        is_question: post.is_question,
        is_accepted: thread.accepted_post_id == Some(post.id),
        body_html: post.body_html.clone(),
        score: post.score,
        author: user_ref(&p.author),
        author_is_champion: p.author_is_champion,
        created_at: iso(post.created_at),
        created_ago: time(0),
        edited: post.revision > 1,
        revision: post.revision,
        revisions_url: format!("/p/{}/revisions", post.id),
        edit_url: format!("/p/{}/edit", post.id),
        vote_url: format!("/p/{}/vote", post.id),
        accept_url: format!("/p/{}/accept", post.id),
        // The fragment brings a re-shown form (with its error) into view.
        comment_url: format!("/p/{}/comment#comment-form-{}", post.id, post.id),
        delete_url: format!("/p/{}/delete", post.id),
        deleted: post.deleted_at.is_some(),
        can_delete: access.can_delete,
        my_vote: access.my_vote,
        can_edit: access.can_edit,
        can_suggest_edit: access.can_suggest_edit,
        can_accept: access.can_accept,
        can_vote: access.can_vote,
        can_comment: access.can_comment,
        kudos: post.kudos_count,
        my_kudos: access.my_kudos,
        // The same rule as voting: anyone signed in but the author.
        can_kudos: access.can_vote,
        kudos_url: format!("/p/{}/kudos", post.id),
        comments: p
            .comments
            .iter()
            .enumerate()
            .map(|(i, (c, a))| CommentView {
                id: c.id,
                body_html: c.body_html.clone(),
                author: user_ref(a),
                created_ago: time(i + 1),
            })
            .collect(),
    }
}

/// A notification as the page and the API show it.
#[derive(Debug, Serialize)]
pub struct NotificationView {
    pub id: NotificationId,
    /// `answer`, `comment`, `accepted`, `mention`, `watched_reply`, `new_thread` or `notice`.
    pub kind: &'static str,
    /// One plain sentence ("maria answered your question “Export fails”").
    pub text: String,
    /// Where it leads (the post in its thread), if anywhere.
    pub url: Option<String>,
    pub created_at: String,
    pub created_ago: String,
    pub read: bool,
}

/// The sentence and link of a notification.
pub fn notification_view(item: &NotificationItem) -> NotificationView {
    let n = &item.notification;
    let who = item
        .actor
        .as_ref()
        .map_or("Someone", |a| a.username.as_str());
    let title = item.thread.as_ref().map_or("a thread", |(t, _)| t.as_str());
    let text = match n.kind {
        NotificationKind::Answer => format!("{who} answered your question “{title}”"),
        NotificationKind::Comment => format!("{who} commented on your post in “{title}”"),
        NotificationKind::Accepted => format!("{who} accepted your answer to “{title}”"),
        NotificationKind::Mention => format!("{who} mentioned you in “{title}”"),
        NotificationKind::WatchedReply => format!("{who} replied in “{title}”"),
        NotificationKind::NewThread => format!("{who} asked “{title}”"),
        NotificationKind::Kudos => format!("{who} thanked you for your post in “{title}”"),
        NotificationKind::Notice | NotificationKind::Badge => n.message.clone(),
    };
    let url = match (&item.thread, n.thread_id) {
        (Some((_, slug)), Some(id)) => Some(match n.post_id {
            Some(post) => format!("{}#post-{post}", thread_url(slug, id)),
            None => thread_url(slug, id),
        }),
        _ => None,
    };
    NotificationView {
        id: n.id,
        kind: n.kind.as_str(),
        text,
        url,
        created_at: iso(n.created_at),
        created_ago: ago(n.created_at),
        read: n.read_at.is_some(),
    }
}

/// ISO 8601 UTC, for `<time datetime>`.
pub fn iso(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// "5 minutes ago", rendered on the server so pages need no script.
pub fn ago(t: NaiveDateTime) -> String {
    let secs = (Utc::now().naive_utc() - t).num_seconds().max(0);
    let (n, unit) = match secs {
        0..=44 => return "just now".into(),
        45..=3599 => ((secs + 30) / 60, "minute"),
        3600..=86_399 => ((secs + 1800) / 3600, "hour"),
        86_400..=2_591_999 => ((secs + 43_200) / 86_400, "day"),
        2_592_000..=31_535_999 => ((secs + 1_296_000) / 2_592_000, "month"),
        _ => (secs / 31_536_000, "year"),
    };
    let n = n.max(1);
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let now = Utc::now().naive_utc();
        assert_eq!(ago(now), "just now");
        assert_eq!(ago(now - chrono::Duration::minutes(1)), "1 minute ago");
        assert_eq!(ago(now - chrono::Duration::hours(3)), "3 hours ago");
        assert_eq!(ago(now - chrono::Duration::days(2)), "2 days ago");
    }

    #[test]
    fn page_numbers_are_forgiving() {
        assert_eq!(page_number(None), 1);
        for (raw, n) in [
            ("3", 3),
            (" 3 ", 3),
            ("abc", 1),
            ("", 1),
            ("0", 1),
            ("-4", 1),
        ] {
            assert_eq!(page_number(Some(raw)), n, "{raw:?}");
        }
        assert_eq!(page_number(Some("1.5")), 1);
        assert_eq!(page_number(Some("99999999999999")), MAX_PAGE);
    }

    #[test]
    fn pagination_links() {
        let p = Pagination::new("/?tab=solved", 2, true);
        assert_eq!(p.prev_url.as_deref(), Some("/?tab=solved&page=1"));
        assert_eq!(p.next_url.as_deref(), Some("/?tab=solved&page=3"));
        assert_eq!(p.first_url, "/?tab=solved");
        let p = Pagination::new("/c/x", 1, false);
        assert!(p.prev_url.is_none() && p.next_url.is_none());
    }
}
