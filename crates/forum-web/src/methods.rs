//! Request methods: HEAD is answered like GET (without the body), and an address that exists
//! under other methods answers 405 with `Allow` instead of 404.
//!
//! Routes are registered one per method (`#[get]`, `#[post]`), so when the method differs
//! actix moves on to the next route. [`fallback`], registered after every route, is a resource
//! without routes: actix answers it with 405 and an `Allow` header listing the methods of the
//! routes whose path matched. When no route matched the path there is no `Allow`, and
//! [`methods`] turns that 405 into the 404 it really is.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpRequest, Resource, ResponseError};

use crate::error::{AppError, ErrorKind};
use crate::pages::METHOD_NOT_ALLOWED;
use crate::session::Viewer;

/// The last resource of a route table (the app's, or a scope's): matches any path, has no
/// routes, so actix answers it with 405 and the `Allow` it gathered while routing.
pub fn fallback() -> Resource {
    web::resource("/{tail:.*}")
}

/// Middleware: routes HEAD as GET (the HTTP/1 encoder leaves the body out of a HEAD answer
/// and keeps its length), and finishes [`fallback`]'s 405s as error pages or 404s.
pub async fn methods(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let res = next.call(req).await?;
    if res.status() != StatusCode::METHOD_NOT_ALLOWED || res.response().error().is_some() {
        return Ok(res.map_into_boxed_body());
    }
    let allow = res
        .headers()
        .get(ALLOW)
        .and_then(|v| v.to_str().ok())
        .map(with_head);
    let (req, _) = res.into_parts();
    Ok(match allow {
        Some(allow) => {
            let err = AppError::new(ErrorKind::MethodNotAllowed, METHOD_NOT_ALLOWED);
            let mut out = err.error_response();
            if let Ok(v) = HeaderValue::from_str(&allow) {
                out.headers_mut().insert(ALLOW, v);
            }
            ServiceResponse::new(req, out)
        }
        None => not_found(req).await,
    })
}

/// A 404 for an address no route has; the signed-in header stays right on the page.
async fn not_found(req: HttpRequest) -> ServiceResponse {
    if !req.path().starts_with("/api/") {
        // Leaves the viewer on the request for the error page; failing that, it is anonymous.
        let _ = Viewer::from_request(&req, &mut Payload::None).await;
    }
    let err = AppError::new(ErrorKind::NotFound, "There is nothing at this address.");
    ServiceResponse::new(req, err.error_response())
}

/// `Allow` with HEAD added wherever GET is allowed (HEAD is routed as GET).
fn with_head(allow: &str) -> String {
    let mut methods: Vec<&str> = allow
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    methods.sort_unstable();
    methods.dedup();
    methods.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_allowed_with_get() {
        assert_eq!(with_head("GET"), "GET, HEAD");
        assert_eq!(with_head("POST, GET"), "GET, HEAD, POST");
        assert_eq!(with_head("POST"), "POST");
        assert_eq!(with_head("GET, HEAD"), "GET, HEAD");
    }
}
