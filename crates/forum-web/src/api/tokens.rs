//! `POST /api/v1/tokens`: exchange a username or email and password for a short-lived JWT.

use actix_web::{post, web, HttpRequest, HttpResponse};
use forum_core::accounts::authenticate;
use forum_core::CoreError;
use serde::Deserialize;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

#[derive(Deserialize)]
struct TokenRequest {
    login: String,
    password: String,
}

#[post("/tokens")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> AppResult<HttpResponse> {
    state.limiters.check(&state.limiters.login, &req)?;
    let TokenRequest { login, password } = body.into_inner();
    let user = state
        .read(move |c| Ok(authenticate(c, &login, &password)))
        .await?
        .map_err(|e| match e {
            // Only "these credentials are wrong" is a 401; a database fault stays a fault.
            CoreError::Validation { .. } => AppError::new(
                ErrorKind::Unauthenticated,
                "Wrong username, email or password.",
            ),
            other => AppError::from(other),
        })?;
    let token = state
        .jwt
        .issue(user.id, user.token_version)
        .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({
            "token": token,
            "token_type": "Bearer",
            "expires_in": state.jwt.ttl_secs,
        })))
}
