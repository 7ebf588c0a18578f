//! JSON API under `/api/v1`: bearer tokens, threads. Errors use the same table as pages.

pub mod auth;
pub mod threads;
pub mod tokens;

use actix_web::web;

/// Registers the API routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(tokens::create)
            .service(threads::list)
            .service(threads::show)
            .service(threads::create)
            .service(threads::answer)
            .service(crate::methods::fallback()),
    );
}
