//! The bearer-token extractor: API writes authenticate with `Authorization: Bearer <jwt>`,
//! never with cookies, so they need no CSRF token.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use forum_core::lookup::user_by_id;
use forum_core::Actor;
use futures_util::future::LocalBoxFuture;

use crate::error::{AppError, ErrorKind};
use crate::state::AppState;

/// A member authenticated by a valid, unrevoked token.
#[derive(Debug)]
pub struct ApiUser(pub Actor);

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState missing"))?;
            let unauth = || {
                AppError::new(
                    ErrorKind::Unauthenticated,
                    "A valid bearer token is required.",
                )
            };
            let claims = token
                .and_then(|t| state.jwt.verify(&t))
                .ok_or_else(unauth)?;
            let id: i64 = claims.sub.parse().map_err(|e| {
                tracing::debug!(error = %e, "token subject is not a user id");
                unauth()
            })?;
            // A member who no longer exists is "unauthenticated"; a failed query is a 500/503.
            let user = state
                .read(move |c| match user_by_id(c, id) {
                    Ok(u) => Ok(Some(u)),
                    Err(forum_core::CoreError::NotFound(_)) => Ok(None),
                    Err(e) => Err(e.into()),
                })
                .await?
                .ok_or_else(unauth)?;
            if user.token_version != claims.ver {
                return Err(unauth());
            }
            Ok(ApiUser(Actor::from_user(&user)))
        })
    }
}
