//! Shapes shared by every endpoint's OpenAPI description: the error body, and the JSON objects
//! the API returns as the pages' view models.

use serde::Serialize;
use utoipa::ToSchema;

/// The body of every API error (`AppError::json_body`): one stable code per kind, the same
/// table as the HTML pages, so clients branch on `error` and show `message`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "not_found", "message": "That thread does not exist or was removed.", "error_id": null}))]
pub struct ErrorBody {
    /// Stable code: `not_found`, `unauthenticated`, `forbidden`, `conflict`, `validation`,
    /// `payload_too_large`, `rate_limited`, `unavailable` or `internal`.
    pub error: String,
    /// A sentence for a person.
    pub message: String,
    /// Set on `internal` errors: the id under which the cause was logged.
    pub error_id: Option<String>,
}
