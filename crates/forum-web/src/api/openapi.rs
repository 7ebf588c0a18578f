//! The OpenAPI document of the JSON API, built from the handlers' own annotations (so it
//! cannot describe an endpoint that is not served, nor miss one that is) and served at
//! `GET /api/v1/openapi.json`.

use std::sync::OnceLock;

use actix_web::{get, HttpRequest, HttpResponse};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi as Document, OpenApiBuilder};
use utoipa::OpenApi;

use super::etag::json_with_etag;
use super::schema::ErrorBody;
use super::{Endpoints, PREFIX};
use crate::error::AppResult;

/// The name of the bearer-token security scheme the endpoints refer to.
pub const BEARER: &str = "bearer";

/// The whole document: every endpoint under [`PREFIX`], the error body and the bearer scheme.
pub fn document_model() -> Document {
    let info = InfoBuilder::new()
        .title("Forum API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "The forum's JSON API: the same actions as the pages, under the same rules. \
             Errors are `{error, message, error_id}` with the pages' codes; reads send an \
             `ETag`; lists page by `cursor`.",
        ))
        .build();
    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .bearer_format("JWT")
        .description(Some("A token from `POST /api/v1/tokens`."))
        .build();
    let components = ComponentsBuilder::new()
        .security_scheme(BEARER, SecurityScheme::Http(bearer))
        .schema_from::<ErrorBody>()
        .build();
    OpenApiBuilder::new()
        .info(info)
        .components(Some(components))
        .build()
        .nest(PREFIX, Endpoints::openapi())
}

/// The document, built once.
pub fn cached() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(document_model)
}

/// This document.
#[utoipa::path(
    operation_id = "openapi",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI document of this API", body = serde_json::Value,
            headers(("ETag" = String, description = "Strong tag of this body"))),
        (status = 304, description = "Unchanged since the `If-None-Match` tag"),
    )
)]
#[get("/openapi.json")]
pub async fn document(req: HttpRequest) -> AppResult<HttpResponse> {
    json_with_etag(&req, cached())
}
