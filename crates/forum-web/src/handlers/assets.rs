//! Theme static files: active theme first, then default; long-lived caching since URLs carry
//! `?v=<content hash>`.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[get("/static/{path:.*}")]
pub async fn static_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let rel = path.into_inner();
    serve(&req, &state, &rel, "public, max-age=31536000, immutable").await
}

/// `/favicon.ico`, which browsers fetch on their own: the theme's `favicon.svg` (browsers go by
/// the content type, not the name), so it never answers 404. Its URL carries no version, so it
/// is cached for a day rather than for good.
#[get("/favicon.ico")]
pub async fn favicon(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    serve(&req, &state, "favicon.svg", "public, max-age=86400").await
}

async fn serve(
    req: &HttpRequest,
    state: &AppState,
    rel: &str,
    cache_control: &'static str,
) -> AppResult<HttpResponse> {
    let rel = rel.to_string();
    let file = state
        .theme
        .static_file(&rel)
        .ok_or_else(|| AppError::not_found("file"))?;
    let etag = format!("\"{}\"", state.theme.asset_version);
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok(HttpResponse::NotModified().finish());
    }
    let bytes = web::block(move || std::fs::read(file))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mime = match rel.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::ETAG, etag))
        .body(bytes))
}
