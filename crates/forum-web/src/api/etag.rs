//! Conditional reads: every GET of the API answers with a strong `ETag` (a hash of the exact
//! JSON it sends) and `304 Not Modified` to a request whose `If-None-Match` names it, so a
//! client polling a thread or a list pays for a body only when something changed.
//!
//! The tag is computed from the body, not stored: any change a reader could see (an edit, a
//! vote, a new answer, a different viewer's permissions) changes the bytes and so the tag,
//! with nothing to invalidate.

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// The strong entity tag of a body: the first 128 bits of its SHA-256, in hex.
pub fn tag_of(body: &[u8]) -> EntityTag {
    let digest = Sha256::digest(body);
    EntityTag::new_strong(hex::encode(&digest[..16]))
}

/// True when the request's `If-None-Match` names `tag` (or is `*`). Weak comparison, as the
/// header's definition asks: `W/"x"` matches `"x"`.
pub fn not_modified(req: &HttpRequest, tag: &EntityTag) -> bool {
    match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(items)) => items.iter().any(|t| t.weak_eq(tag)),
        None => false,
    }
}

/// `value` as a 200 JSON response with its `ETag`, or a bodiless 304 when the client already
/// has it. Responses differ by bearer token (permissions, deleted posts for moderators), so
/// they vary on `Authorization`, and a cache must revalidate before reuse.
pub fn json_with_etag(req: &HttpRequest, value: &impl Serialize) -> AppResult<HttpResponse> {
    let body = serde_json::to_vec(value).map_err(AppError::internal)?;
    let tag = tag_of(&body);
    let unchanged = not_modified(req, &tag);
    let mut res = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header(header::ETag(tag))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Authorization"));
    Ok(if unchanged {
        res.finish()
    } else {
        res.content_type("application/json").body(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::test::TestRequest;

    fn with_header(value: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, value))
            .to_http_request()
    }

    #[test]
    fn same_body_same_tag_other_body_other_tag() {
        assert_eq!(tag_of(b"{\"a\":1}"), tag_of(b"{\"a\":1}"));
        assert_ne!(tag_of(b"{\"a\":1}"), tag_of(b"{\"a\":2}"));
        assert!(!tag_of(b"x").weak);
    }

    #[test]
    fn a_matching_if_none_match_is_a_304_without_body() {
        let value = serde_json::json!({"threads": []});
        let first = json_with_etag(&TestRequest::default().to_http_request(), &value).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers().get(header::ETAG).unwrap().to_str().unwrap();
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "strong: {etag}"
        );
        for header_value in [
            etag.to_string(),
            format!("W/{etag}"),
            format!("\"other\", {etag}"),
            "*".to_string(),
        ] {
            let res = json_with_etag(&with_header(&header_value), &value).unwrap();
            assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{header_value}");
            assert_eq!(res.headers().get(header::ETAG).unwrap(), etag);
        }
        let res = json_with_etag(&with_header("\"other\""), &value).unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
}
