//! The notifications page: a member's notifications, newest first, a page at a time, each
//! marked read on its own or all at once (the bell in the header counts the unread ones).

use actix_web::{get, post, web, HttpResponse};
use forum_core::notifications::{list, mark_read, unread_count, MarkRead};
use forum_db::ids::NotificationId;
use serde::Deserialize;

use crate::error::AppResult;
use crate::pages::{see_other, Page};
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::view::{notification_view, page_number, Pagination};

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

#[get("/notifications")]
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let Some(me) = viewer.user.as_ref().map(|u| u.id) else {
        return Ok(see_other("/login?next=/notifications"));
    };
    let page = page_number(q.page.as_deref());
    let (items, has_next, unread) = state
        .read(move |c| {
            let (items, has_next) = list(c, me, page)?;
            Ok((items, has_next, unread_count(c, me)?))
        })
        .await?;
    let views: Vec<_> = items.iter().map(notification_view).collect();
    Page::new(&state, &viewer, "notifications.html", "Notifications")
        .with("notifications", &views)
        .with("unread", &unread)
        .with(
            "pagination",
            &Pagination::new("/notifications", page, has_next),
        )
        .render(&state)
}

/// One notification (`id`) or all of them (`all`).
#[derive(Deserialize)]
struct ReadForm {
    id: Option<i64>,
    all: Option<String>,
}

#[post("/notifications/read")]
pub async fn read(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: CsrfForm<ReadForm>,
) -> AppResult<HttpResponse> {
    let me = viewer.require()?.id;
    let form = form.0;
    let which = match (form.all.as_deref(), form.id) {
        (Some("true"), _) => MarkRead::All,
        (_, Some(id)) => MarkRead::Ids(vec![NotificationId(id)]),
        _ => MarkRead::Ids(Vec::new()),
    };
    state.write(move |c| Ok(mark_read(c, me, &which)?)).await?;
    Ok(see_other("/notifications"))
}
