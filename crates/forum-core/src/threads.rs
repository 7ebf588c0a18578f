//! Asking a question: a thread and its first post (lists are in `queries::lists`).

use diesel::prelude::*;
use forum_db::models::{NewThread, Thread};
use forum_db::schema::threads;
use forum_db::{time::now, write_tx, AnyConnection};

use crate::actor::Actor;
use crate::categories::{parse_tags, set_thread_tags};
use crate::content::{cook_body, thread_slug, validate_title, BODY_CHARS};
use crate::error::{CoreError, CoreResult};
use crate::indexing::reindex_later;
use crate::lookup::category_by_slug;
use crate::notifications::{notify, notify_mentions, Notice};
use crate::policy::{ContentKind, WritePolicy};
use crate::posts::{insert_post, paced};
use crate::watching;
use forum_db::types::NotificationKind;

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
    let cooked = cook_body(conn, "body", input.body, BODY_CHARS, actor.trust_level)?;
    policy.check_content(actor, ContentKind::Question, &cooked)?;
    crate::held::hold_if_unconfirmed(conn, policy, actor, crate::held::Draft::Question(input))?;
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
        let question = insert_post(c, thread.id, actor, input.body, &cooked, Some(&title), t)?;
        set_thread_tags(c, thread.id, &tags)?;
        reindex_later(c, thread.id)?;
        watching::watch_by_default(c, actor.id, thread.id)?;
        crate::badges::on_question(c, actor.id)?;
        // Mentions first; a mentioned member who also watches the place hears once.
        let subject = format!("post:{}", question.id);
        notify_mentions(c, actor, thread.id, question.id, &subject, &cooked.mentions)?;
        for watcher in watching::place_watchers(c, thread.id)? {
            let notice = Notice::about_post(
                watcher,
                NotificationKind::NewThread,
                actor,
                thread.id,
                question.id,
                subject.clone(),
            );
            notify(c, &notice)?;
        }
        Ok(thread)
    })
}
