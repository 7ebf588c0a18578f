//! The OpenAPI document against the routes `api::configure` registers: it is OpenAPI 3.x JSON,
//! every documented operation is served (no 404 or 405 on its method and path), operation ids
//! are unique, and every operation that can fail documents the common error body.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::{Method, StatusCode};
use actix_web::test as server;
use actix_web::App;
use forum_web::api;
use forum_web::error::{AppError, ErrorKind};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn document() -> Value {
    let text = serde_json::to_string(api::openapi::cached()).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// (method, path) of every documented operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_string(), path.clone(), op.clone()));
            }
        }
    }
    out
}

#[test]
fn the_document_is_openapi_3_json() {
    let doc = document();
    let version = doc["openapi"].as_str().unwrap();
    assert!(version.starts_with("3."), "openapi {version}");
    assert!(doc["info"]["title"].is_string());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(operations(&doc).len() >= 12, "{}", doc["paths"]);
}

#[actix_web::test]
async fn every_documented_operation_is_served() {
    let app = server::init_service(App::new().configure(api::configure)).await;
    for (method, path, _) in operations(&document()) {
        assert!(path.starts_with(api::PREFIX), "{path}");
        let uri = path.replace("{id}", "1");
        let req = server::TestRequest::default()
            .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
            .uri(&uri)
            .to_request();
        let status = server::call_service(&app, req).await.status();
        // Without application state a served route fails inside its handler's extractors
        // (500) or succeeds (the document itself); an unserved one is a 404 or 405.
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri} is documented but not served ({status})"
        );
    }
}

#[test]
fn operation_ids_are_unique_and_errors_documented() {
    let doc = document();
    let mut ids: Vec<String> = Vec::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        assert!(!id.is_empty(), "{method} {path} has no operationId");
        assert!(
            !ids.contains(&id),
            "{method} {path}: operationId {id} twice"
        );
        ids.push(id);
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{method} {path}: no tag"
        );
        let responses = op["responses"].as_object().unwrap();
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
        let writes = method != "get";
        // Signing in and the emailed links' endpoints (reset, confirm) work without a token.
        let public = path == format!("{}/tokens", api::PREFIX)
            || path.starts_with(&format!("{}/account/", api::PREFIX));
        if writes && !public {
            assert!(
                responses.contains_key("401"),
                "{method} {path}: a write documents its 401"
            );
            assert_eq!(
                op["security"],
                serde_json::json!([{"bearer": []}]),
                "{method} {path}: a write needs a token"
            );
        }
    }
}

#[test]
fn the_error_schema_is_the_error_body() {
    let doc = document();
    let props = doc["components"]["schemas"]["ErrorBody"]["properties"]
        .as_object()
        .unwrap();
    let mut documented: Vec<&String> = props.keys().collect();
    documented.sort();
    let body = AppError::new(ErrorKind::NotFound, "x").json_body();
    let mut sent: Vec<&String> = body.as_object().unwrap().keys().collect();
    sent.sort();
    assert_eq!(documented, sent);
}
