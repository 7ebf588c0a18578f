//! Rendering: the base context every page gets, and error pages in the theme.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpMessage, HttpResponse};
use forum_db::ids::UserId;
use serde::Serialize;
use std::hash::Hash;
use tera::Context;

use crate::anon_cache::canonical_key;
use crate::error::{AppError, AppResult, ErrorInfo, ErrorKind};
use crate::session::Viewer;
use crate::state::AppState;

#[derive(Serialize, Hash)]
struct CurrentUser {
    id: UserId,
    username: String,
    url: String,
    role: &'static str,
    reputation: i64,
    is_staff: bool,
    /// The bell's count.
    unread_notifications: i64,
}

/// What `partials/header.html` sees; the same for all of a member's pages but the home tabs
/// and the search page, so it is rendered through the fragment store.
#[derive(Serialize, Hash)]
struct Header {
    site_name: String,
    current_user: Option<CurrentUser>,
    /// The home list shown (`latest`, `unanswered`, `solved`), marked in the navigation.
    tab: Option<&'static str>,
    /// Off on the search page, which has its own search form.
    show_search: bool,
}

/// A page being built: the template name, its context, its status.
pub struct Page {
    template: &'static str,
    ctx: Context,
    status: StatusCode,
    retry_after: Option<u64>,
    /// Markers in the rendered page and the HTML that replaces them.
    slots: Vec<(String, String)>,
    header: Header,
    csrf_token: String,
    title: String,
    /// The page shows a form's errors: its title says so.
    has_errors: bool,
}

/// The site's name, "Forum" when none is configured.
fn site_name(state: &AppState) -> &str {
    match state.settings.site.name.as_str() {
        "" => "Forum",
        name => name,
    }
}

impl Page {
    /// Starts a page with the base context (site, viewer, CSRF token, title, canonical URL,
    /// an empty `form_errors`).
    pub fn new(state: &AppState, viewer: &Viewer, template: &'static str, title: &str) -> Page {
        let mut ctx = Context::new();
        ctx.insert(
            "site",
            &serde_json::json!({
                "name": site_name(state),
                "description": state.settings.site.description,
                "base_url": &*state.base_url,
            }),
        );
        let current_user = viewer.user.as_ref().map(|u| CurrentUser {
            id: u.id,
            username: u.username.clone(),
            url: crate::view::user_url(&u.username),
            role: u.role.as_str(),
            reputation: u.reputation,
            is_staff: u.role.is_staff(),
            unread_notifications: viewer.unread_notifications,
        });
        ctx.insert("current_user", &current_user);
        ctx.insert("csrf_token", &viewer.csrf_token);
        ctx.insert("page_title", title);
        ctx.insert("canonical_url", &None::<String>);
        ctx.insert("asset_version", &state.theme.asset_version);
        // Field name → message; empty unless a handler names the fields in error.
        ctx.insert("form_errors", &serde_json::Map::new());
        Page {
            template,
            ctx,
            status: StatusCode::OK,
            retry_after: None,
            slots: Vec::new(),
            header: Header {
                site_name: site_name(state).to_string(),
                current_user,
                tab: None,
                show_search: true,
            },
            csrf_token: viewer.csrf_token.clone(),
            title: title.to_string(),
            has_errors: false,
        }
    }

    /// Marks `tab` (a home list) as the one shown in the navigation.
    pub fn current_tab(mut self, tab: &'static str) -> Page {
        self.header.tab = Some(tab);
        self.ctx.insert("tab", tab);
        self
    }

    /// Leaves the header's search form out (the search page has its own).
    pub fn without_header_search(mut self) -> Page {
        self.header.show_search = false;
        self
    }

    /// Adds a variable.
    pub fn with(mut self, key: &str, value: &impl Serialize) -> Page {
        self.ctx.insert(key, value);
        self
    }

    /// Adds safe HTML built outside the template (a thread's posts) as `key`: the template
    /// prints it with `{{ key | safe }}` like any variable, but sees a marker that the HTML
    /// replaces after rendering, so a large piece is not copied through the template context.
    pub fn with_html(mut self, state: &AppState, key: &str, html: String) -> Page {
        let marker = state.fragments.slot_marker(key);
        self.ctx.insert(key, &marker);
        self.slots.push((marker, html));
        self
    }

    /// Sets the canonical URL from a site-relative path.
    pub fn canonical(mut self, state: &AppState, path: &str) -> Page {
        self.ctx
            .insert("canonical_url", &format!("{}{path}", state.base_url));
        self
    }

    /// A form shown again after `error` (if any): its status and `Retry-After`, the message
    /// (`error`) and the per-field map (`form_errors`) the template shows beside each field.
    pub fn form_error(mut self, error: Option<&AppError>) -> Page {
        if let Some(e) = error {
            self.status = e.kind.status();
            self.retry_after = e.retry_after;
            self.has_errors = true;
            self.ctx.insert("form_errors", &e.form_errors());
        }
        self.ctx.insert("error", &error.map(|e| &e.message));
        self
    }

    /// Sets the status (422 for a form with errors).
    pub fn status(mut self, status: StatusCode) -> Page {
        self.status = status;
        self
    }

    /// Renders through the theme.
    pub fn render(mut self, state: &AppState) -> AppResult<HttpResponse> {
        let title = html_title(&self.title, &self.header.site_name, self.has_errors);
        self.ctx.insert("html_title", &title);
        let mut header = String::new();
        fragment_into(
            state,
            &self.csrf_token,
            "partials/header.html",
            &self.header,
            &mut header,
        )?;
        let page = self.with_html(state, "header_html", header);
        page.render_template(state)
    }

    fn render_template(self, state: &AppState) -> AppResult<HttpResponse> {
        let html = state
            .theme
            .tera
            .render(self.template, &self.ctx)
            .map_err(|e| AppError::internal(format!("template {}: {e:?}", self.template)))?;
        let html = match self.slots.is_empty() {
            true => html,
            false => crate::fragments::splice(&html, &self.slots),
        };
        let mut res = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs));
        }
        Ok(res.content_type("text/html; charset=utf-8").body(html))
    }
}

/// A piece of a page (a post on the thread page) rendered by `template`, which sees only the
/// fields of `input` and the viewer's `csrf_token`: the stored rendering when an equal input
/// was rendered before (for any member), else a fresh one, stored (see [`crate::fragments`]);
/// appended to `out`.
pub fn fragment_into<T: Serialize + Hash>(
    state: &AppState,
    csrf_token: &str,
    template: &str,
    input: &T,
    out: &mut String,
) -> AppResult<()> {
    fragment_keyed_into(state, csrf_token, template, input, || input, out)
}

/// As [`fragment_into`], stored under `key` instead of the input itself, and the input built
/// only when the fragment must be rendered. `key` must identify the input exactly (for a post:
/// the data generation, the post, what the viewer may do and its relative times).
pub fn fragment_keyed_into<K: Hash + ?Sized, T: Serialize>(
    state: &AppState,
    csrf_token: &str,
    template: &str,
    key: &K,
    input: impl FnOnce() -> T,
    out: &mut String,
) -> AppResult<()> {
    let stored = state
        .fragments
        .get_or_render(template, key, |placeholder| {
            let mut ctx = Context::from_serialize(input())?;
            ctx.insert("csrf_token", placeholder);
            state.theme.tera.render(template, &ctx)
        })
        .map_err(|e| AppError::internal(format!("template {template}: {e:?}")))?;
    stored.write_into(out, csrf_token);
    Ok(())
}

/// The document title: "Page · Site", with "Error: " first when the page shows a form's errors
/// (screen readers announce the title first).
pub fn html_title(title: &str, site_name: &str, has_errors: bool) -> String {
    let prefix = if has_errors { "Error: " } else { "" };
    match title {
        "" => format!("{prefix}{site_name}"),
        _ => format!("{prefix}{title} · {site_name}"),
    }
}

/// A 303 to `location` (Post/Redirect/Get).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// What a 405 says: the address exists, but not for this kind of request.
pub const METHOD_NOT_ALLOWED: &str =
    "This address exists, but does not answer this kind of request.";

/// Replaces JSON error bodies with the theme's error page for non-API requests, and gives
/// unmatched routes a proper 404 page.
pub fn error_pages<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let (req, res) = res.into_parts();
    let is_api = req.path().starts_with("/api/");
    let info = res.extensions().get::<ErrorInfo>().cloned();
    let err = match info {
        Some(ErrorInfo(e)) => e,
        None => {
            let kind = match res.status() {
                StatusCode::NOT_FOUND => ErrorKind::NotFound,
                StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
                StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
                StatusCode::BAD_REQUEST => ErrorKind::Validation,
                s if s.is_server_error() => ErrorKind::Internal,
                _ => {
                    return Ok(ErrorHandlerResponse::Response(
                        ServiceResponse::new(req, res).map_into_left_body(),
                    ))
                }
            };
            let message = match kind {
                ErrorKind::NotFound => "There is nothing at this address.".to_string(),
                ErrorKind::MethodNotAllowed => METHOD_NOT_ALLOWED.to_string(),
                _ => kind.title().to_string(),
            };
            AppError::new(kind, message)
        }
    };
    let status = res.status();
    let headers = res.headers().clone();
    let body: HttpResponse<BoxBody> = if is_api {
        let mut r = HttpResponse::build(status);
        r.json(err.json_body())
    } else {
        render_error_page(&req, &err, status)
    };
    let mut body = body;
    for (k, v) in headers.iter() {
        if k == header::RETRY_AFTER || k == header::ALLOW {
            body.headers_mut().insert(k.clone(), v.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, body).map_into_right_body(),
    ))
}

fn render_error_page(
    req: &actix_web::HttpRequest,
    err: &AppError,
    status: StatusCode,
) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(err.message.clone());
    };
    // The Viewer extractor leaves the viewer on the request, so the header stays right.
    let viewer = req
        .extensions()
        .get::<Viewer>()
        .cloned()
        .unwrap_or_default();
    let page = Page::new(state, &viewer, "error.html", err.kind.title())
        .with("status", &status.as_u16())
        .with("code", &err.kind.code())
        .with("title", &err.kind.title())
        .with("message", &err.message)
        .with("error_id", &err.error_id)
        .status(status);
    page.render(state).unwrap_or_else(|_| {
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(err.message.clone())
    })
}

/// Serves an anonymous GET from the page cache, or runs `build` and caches a 200 answer.
/// Signed-in members always get a fresh render. The page may read only the query parameters
/// in [`KEY_PARAMS`](crate::anon_cache::KEY_PARAMS): the others are not part of the key.
pub async fn anon_cached(
    state: &AppState,
    viewer: &Viewer,
    req: &actix_web::HttpRequest,
    build: impl std::future::Future<Output = AppResult<HttpResponse>>,
) -> AppResult<HttpResponse> {
    if viewer.user.is_some() {
        return build.await;
    }
    let key = canonical_key(req.path(), req.query_string());
    if let Some(html) = state.anon_cache.get(&key) {
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html));
    }
    let generation = state.anon_cache.generation();
    let res = build.await?;
    if res.status() != StatusCode::OK {
        return Ok(res);
    }
    let body = actix_web::body::to_bytes(res.into_body())
        .await
        .map_err(|e| AppError::internal(format!("{e:?}")))?;
    state.anon_cache.put(key, body.clone(), generation);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::ErrorHandlers;
    use actix_web::test::{call_service, init_service, TestRequest};
    use actix_web::App;

    use super::*;

    #[test]
    fn titles_name_the_page_and_the_site_and_say_when_there_are_errors() {
        assert_eq!(html_title("Ask", "Site", false), "Ask · Site");
        assert_eq!(html_title("Ask", "Site", true), "Error: Ask · Site");
        assert_eq!(html_title("", "Site", false), "Site");
        assert_eq!(html_title("", "Site", true), "Error: Site");
    }

    async fn rate_limited() -> AppResult<HttpResponse> {
        Err(AppError {
            retry_after: Some(7),
            ..AppError::new(ErrorKind::RateLimited, "Too many attempts.")
        })
    }

    #[actix_web::test]
    async fn error_pages_keep_retry_after() {
        let app = init_service(
            App::new()
                .wrap(ErrorHandlers::new().default_handler(error_pages))
                .route("/login", web::post().to(rate_limited))
                .route("/api/v1/tokens", web::post().to(rate_limited)),
        )
        .await;
        for path in ["/login", "/api/v1/tokens"] {
            let res = call_service(&app, TestRequest::post().uri(path).to_request()).await;
            assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
            let retry = res.headers().get(header::RETRY_AFTER);
            assert_eq!(retry.and_then(|v| v.to_str().ok()), Some("7"), "{path}");
        }
    }
}
