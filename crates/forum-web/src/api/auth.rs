//! The bearer-token extractors: API requests authenticate with `Authorization: Bearer <jwt>`,
//! never with cookies, so writes need no CSRF token. Writes take [`ApiUser`] (a token is
//! required); reads take [`ApiViewer`] (a token is optional and, when sent, must be valid).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use forum_core::lookup::user_by_id;
use forum_core::visibility::Visibility;
use forum_core::Actor;
use forum_db::ids::UserId;
use futures_util::future::LocalBoxFuture;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::state::AppState;

/// A member authenticated by a valid, unrevoked token.
#[derive(Debug)]
pub struct ApiUser(pub Actor);

/// Whoever reads: a member when the request carries a token, else anonymous. A token that is
/// sent but invalid is refused rather than read as anonymous, so a client with an expired
/// token learns it instead of silently seeing less.
#[derive(Debug)]
pub struct ApiViewer(pub Option<Actor>);

impl ApiViewer {
    /// What this reader may see (the core's one visibility rule).
    pub fn visibility(&self) -> Visibility {
        Visibility::for_viewer(self.0.as_ref())
    }
}

fn unauthenticated() -> AppError {
    AppError::new(
        ErrorKind::Unauthenticated,
        "A valid bearer token is required.",
    )
}

/// The `Authorization` header's value, if the request has one.
fn authorization(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default().trim().to_string())
}

/// The member a bearer header names, or `Unauthenticated`.
async fn actor_for(state: Option<web::Data<AppState>>, header: Option<String>) -> AppResult<Actor> {
    let state = state.ok_or_else(|| AppError::internal("AppState missing"))?;
    let claims = header
        .as_deref()
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| state.jwt.verify(t.trim()))
        .ok_or_else(unauthenticated)?;
    let id: UserId = claims.sub.parse().map_err(|e| {
        tracing::debug!(error = %e, "token subject is not a user id");
        unauthenticated()
    })?;
    // A member who no longer exists is "unauthenticated"; a failed query is a 500/503.
    let (user, actor) = state
        .read(move |c| match user_by_id(c, id) {
            Ok(u) => {
                let actor = forum_core::actor::load(c, &u)?;
                Ok(Some((u, actor)))
            }
            Err(forum_core::CoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        })
        .await?
        .ok_or_else(unauthenticated)?;
    if user.token_version != claims.ver {
        return Err(unauthenticated());
    }
    Ok(actor)
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let header = authorization(req);
        Box::pin(async move { Ok(ApiUser(actor_for(state, header).await?)) })
    }
}

impl FromRequest for ApiViewer {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let header = authorization(req);
        Box::pin(async move {
            match header {
                None => Ok(ApiViewer(None)),
                some => Ok(ApiViewer(Some(actor_for(state, some).await?))),
            }
        })
    }
}
