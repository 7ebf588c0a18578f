//! Requests refused before routing: shapes no page can answer and that would otherwise reach
//! the database or a header as they are.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::{AppError, ErrorKind};

/// Why a request is refused before routing, if it is. A NUL byte (`%00`) can be part of no
/// slug, username, tag or search, and PostgreSQL rejects it in text, which would make a 500 of
/// what is a bad address: a 404 in the path, a 422 in the query.
pub fn refusal(path: &str, query: &str) -> Option<AppError> {
    if path.contains("%00") {
        return Some(AppError::new(
            ErrorKind::NotFound,
            "There is nothing at this address.",
        ));
    }
    if query.contains("%00") {
        return Some(AppError::new(
            ErrorKind::Validation,
            "The address contains a character that is not allowed.",
        ));
    }
    None
}

/// Middleware: answers a [`refusal`] with the usual error page or JSON body (it runs inside
/// the error-page handler), or passes the request on.
pub async fn refuse_malformed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(err) = refusal(req.path(), req.query_string()) {
        return Ok(req.error_response(err));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_are_refused_anywhere() {
        for (path, query, status) in [
            ("/c/%00", "", 404),
            ("/u/a%00b", "", 404),
            ("/tags/x%00", "", 404),
            ("/api/v1/threads/%00", "", 404),
            ("/search", "q=a%00b", 422),
            ("/", "tab=%00", 422),
        ] {
            let err = refusal(path, query).map(|e| e.kind.status().as_u16());
            assert_eq!(err, Some(status), "{path}?{query}");
        }
        assert!(refusal("/c/billing", "page=2").is_none());
        assert!(refusal("/search", "q=100%25").is_none());
    }
}
