//! The one rule for what a viewer may see. Every read model (thread page, lists, profile,
//! search hits) and the search indexer ask it, so content that leaves public view (deleted
//! today; hidden by flags and shadowed by sanctions tomorrow) leaves every page at once.
//!
//! The state readers check lives in `forum-db` columns (`posts.deleted_at`,
//! `threads.deleted_at`); moderation decides when to set it, this rule decides who sees it.
//! The filters are fixed-shape SQL (`deleted_at IS NULL OR $1`), so a page's statement is
//! prepared once whoever views it.

use diesel::dsl::{AsExprOf, IsNull, Or};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use forum_db::models::{Post, Thread};
use forum_db::schema::{posts, threads};

use crate::actor::Actor;
use crate::error::{CoreError, CoreResult};

/// What one viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Visibility {
    /// Staff and moderators see deleted content (marked as such) to review and restore it.
    pub include_deleted: bool,
}

/// `posts.deleted_at IS NULL OR <include_deleted>`.
pub type PostFilter = Or<IsNull<posts::deleted_at>, AsExprOf<bool, Bool>>;
/// `threads.deleted_at IS NULL OR <include_deleted>`.
pub type ThreadFilter = Or<IsNull<threads::deleted_at>, AsExprOf<bool, Bool>>;

impl Visibility {
    /// What the public (anonymous readers, the search index, feeds) sees.
    pub fn public() -> Visibility {
        Visibility::default()
    }

    /// What a write may touch: live content only, whoever acts. A moderator sees deleted posts,
    /// but voting on, accepting, answering, commenting on or editing one would credit again what
    /// the deletion reversed.
    pub fn for_writes() -> Visibility {
        Visibility::public()
    }

    /// What this viewer sees.
    pub fn for_viewer(viewer: Option<&Actor>) -> Visibility {
        Visibility {
            include_deleted: viewer.is_some_and(|a| a.role.can_moderate()),
        }
    }

    /// Filter for queries over `posts`.
    pub fn posts(self) -> PostFilter {
        posts::deleted_at
            .is_null()
            .or(self.include_deleted.into_sql::<Bool>())
    }

    /// Filter for queries over `threads`.
    pub fn threads(self) -> ThreadFilter {
        threads::deleted_at
            .is_null()
            .or(self.include_deleted.into_sql::<Bool>())
    }

    /// True when the viewer may see this post (and its thread).
    pub fn sees_post(self, post: &Post) -> bool {
        self.include_deleted || post.deleted_at.is_none()
    }

    /// True when the viewer may see this thread.
    pub fn sees_thread(self, thread: &Thread) -> bool {
        self.include_deleted || thread.deleted_at.is_none()
    }

    /// The thread, or `NotFound` when the viewer may not see it.
    pub fn thread(self, thread: Thread) -> CoreResult<Thread> {
        if self.sees_thread(&thread) {
            Ok(thread)
        } else {
            Err(CoreError::NotFound("thread"))
        }
    }

    /// The post, or `NotFound` when the viewer may not see it.
    pub fn post(self, post: Post) -> CoreResult<Post> {
        if self.sees_post(&post) {
            Ok(post)
        } else {
            Err(CoreError::NotFound("post"))
        }
    }
}
