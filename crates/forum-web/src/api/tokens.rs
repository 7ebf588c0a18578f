//! `POST /api/v1/tokens`: exchange a username or email and password for a short-lived JWT.

use actix_web::{post, web, HttpRequest, HttpResponse};
use forum_core::accounts::authenticate;
use forum_core::CoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::ErrorBody;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

/// Credentials to exchange for a token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Username or email.
    login: String,
    password: String,
}

/// A bearer token for `Authorization: Bearer <token>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenIssued {
    /// An HS256 JWT; it stops working at expiry or when the member signs out everywhere.
    token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// Seconds until it expires.
    expires_in: u64,
}

/// Exchanges a username or email and a password for a bearer token.
#[utoipa::path(
    operation_id = "create_token",
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "A token", body = TokenIssued),
        (status = 401, description = "Wrong username, email or password", body = ErrorBody),
        (status = 429, description = "Too many attempts (see Retry-After)", body = ErrorBody),
    )
)]
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
        .json(TokenIssued {
            token,
            token_type: "Bearer",
            expires_in: state.jwt.ttl_secs,
        }))
}
