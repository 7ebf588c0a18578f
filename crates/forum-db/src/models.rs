//! Row structs (what a select returns) and insert forms (what a write sends), one pair per table.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::ids::{CategoryId, CommentId, EventId, NotificationId, PostId, TagId, ThreadId, UserId};
use crate::schema::*;
use crate::types::{CategoryKind, EventKind, NotificationKind, Role, TrustLevel};

/// A member account. `reputation` is a cache of the ledger; `trust_level` is derived from it.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub username_lower: String,
    pub email: String,
    pub email_lower: String,
    pub password_hash: String,
    pub role: Role,
    pub reputation: i64,
    pub trust_level: TrustLevel,
    pub bio: String,
    pub token_version: i32,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// When the member confirmed the address (None: not yet).
    pub email_verified_at: Option<NaiveDateTime>,
    /// When a mail server refused the address for good; no mail goes to it until it changes.
    pub email_undeliverable_at: Option<NaiveDateTime>,
}

/// Insert form for [`User`].
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub username_lower: &'a str,
    pub email: &'a str,
    pub email_lower: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// Set for accounts whose address needs no confirmation (made by staff or the CLI).
    pub email_verified_at: Option<NaiveDateTime>,
}

/// A place for threads, with a kind (questions, discussion, ideas, announcements, knowledge).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: CategoryKind,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

/// Insert form for [`Category`].
#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub kind: CategoryKind,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

/// A tag; names are lower-case and unique.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tags)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub created_at: NaiveDateTime,
}

/// A question (or discussion) and its counters; the question text lives in its first post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = threads)]
pub struct Thread {
    pub id: ThreadId,
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub title: String,
    pub slug: String,
    pub accepted_post_id: Option<PostId>,
    pub score: i64,
    pub answer_count: i64,
    pub created_at: NaiveDateTime,
    pub bumped_at: NaiveDateTime,
    pub solved_at: Option<NaiveDateTime>,
    /// Set when the question was deleted: the thread leaves every list for all but staff.
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
}

/// Insert form for [`Thread`].
#[derive(Debug, Insertable)]
#[diesel(table_name = threads)]
pub struct NewThread<'a> {
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub title: &'a str,
    pub slug: &'a str,
    pub created_at: NaiveDateTime,
    pub bumped_at: NaiveDateTime,
}

/// The question or an answer. `body_html` is cooked once at write time.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author_id: UserId,
    pub is_question: bool,
    pub body_raw: String,
    pub body_html: String,
    pub body_text: String,
    pub cook_version: i32,
    pub score: i64,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    /// Set when the post was deleted (soft: kept for staff, its ledger events reversed).
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<UserId>,
    /// Thank-yous received (kept by the kudos service).
    pub kudos_count: i64,
}

/// Insert form for [`Post`].
#[derive(Debug, Insertable)]
#[diesel(table_name = posts)]
pub struct NewPost<'a> {
    pub thread_id: ThreadId,
    pub author_id: UserId,
    pub is_question: bool,
    pub body_raw: &'a str,
    pub body_html: &'a str,
    pub body_text: &'a str,
    pub cook_version: i32,
    pub created_at: NaiveDateTime,
}

/// A short remark under a post.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: CommentId,
    pub post_id: PostId,
    pub author_id: UserId,
    pub body_raw: String,
    pub body_html: String,
    pub created_at: NaiveDateTime,
}

/// Insert form for [`Comment`].
#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub post_id: PostId,
    pub author_id: UserId,
    pub body_raw: &'a str,
    pub body_html: &'a str,
    pub created_at: NaiveDateTime,
}

/// One member's current vote on one post (+1 or -1).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = votes)]
pub struct Vote {
    pub id: i64,
    pub post_id: PostId,
    pub user_id: UserId,
    pub value: i32,
    pub created_at: NaiveDateTime,
}

/// An entry of the append-only reputation ledger. `nominal` is the rule's amount,
/// `delta` what was applied after the daily cap.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = reputation_events)]
pub struct ReputationEvent {
    pub id: EventId,
    pub user_id: UserId,
    pub kind: EventKind,
    pub nominal: i64,
    pub delta: i64,
    pub post_id: Option<PostId>,
    pub actor_id: Option<UserId>,
    pub reverses_id: Option<EventId>,
    pub created_at: NaiveDateTime,
}

/// Insert form for [`ReputationEvent`].
#[derive(Debug, Insertable)]
#[diesel(table_name = reputation_events)]
pub struct NewReputationEvent {
    pub user_id: UserId,
    pub kind: EventKind,
    pub nominal: i64,
    pub delta: i64,
    pub post_id: Option<PostId>,
    pub actor_id: Option<UserId>,
    pub reverses_id: Option<EventId>,
    pub created_at: NaiveDateTime,
}

/// A kept version of a post (revision 1 is the original).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = post_revisions)]
pub struct PostRevision {
    pub id: i64,
    pub post_id: PostId,
    pub revision: i32,
    pub editor_id: UserId,
    pub title: Option<String>,
    pub body_raw: String,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

/// Insert form for [`PostRevision`].
#[derive(Debug, Insertable)]
#[diesel(table_name = post_revisions)]
pub struct NewPostRevision<'a> {
    pub post_id: PostId,
    pub revision: i32,
    pub editor_id: UserId,
    pub title: Option<&'a str>,
    pub body_raw: &'a str,
    pub reason: &'a str,
    pub created_at: NaiveDateTime,
}

/// A signed-in browser. The cookie carries only the id; sign-out deletes the row, and a row
/// whose `generation` differs from the member's `token_version` is dead ("sign out everywhere").
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub user_id: UserId,
    pub generation: i32,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// Something a member should hear about (see `forum_core::notifications`).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: NotificationId,
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub actor_id: Option<UserId>,
    pub thread_id: Option<ThreadId>,
    pub post_id: Option<PostId>,
    pub subject_key: String,
    pub message: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// Insert form for [`Notification`].
#[derive(Debug, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification<'a> {
    pub user_id: UserId,
    pub kind: NotificationKind,
    pub actor_id: Option<UserId>,
    pub thread_id: Option<ThreadId>,
    pub post_id: Option<PostId>,
    pub subject_key: &'a str,
    pub message: &'a str,
    pub created_at: NaiveDateTime,
}
