//! `/healthz`: the database answers and the outbox is draining.

use actix_web::{get, web, HttpResponse};
use forum_db::outbox::{count_after, TOPIC_SEARCH};

use crate::error::AppResult;
use crate::state::AppState;

#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let cursor = state.indexer.cursor();
    let pending = state
        .read(move |c| Ok(count_after(c, TOPIC_SEARCH, cursor)?))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({
            "status": "ok",
            "database": state.db.backend().as_str(),
            "search_outbox_pending": pending,
            "search_docs": state.search.num_docs(),
        })))
}
