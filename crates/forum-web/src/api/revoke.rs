//! `DELETE /api/v1/tokens`: "sign out everywhere" over the API, through the same service as the
//! page's button: every session and every token of the caller stop working, this one included.

use actix_web::{delete, web, HttpResponse};

use super::auth::ApiUser;
use super::schema::ErrorBody;
use crate::error::AppResult;
use crate::state::AppState;

/// Ends every session and token of the caller (a lost laptop, a leaked token).
#[utoipa::path(
    operation_id = "revoke_tokens",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every session and token of the caller ended"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
#[delete("/tokens")]
pub async fn revoke_all(state: web::Data<AppState>, user: ApiUser) -> AppResult<HttpResponse> {
    let id = user.0.id;
    state
        .write(move |c| Ok(forum_core::sessions::end_all(c, id)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
