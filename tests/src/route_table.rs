//! The route × role table: every state-changing page route (the POSTs of docs/ROUTES.md) and
//! every API route, with what each role gets there. It is the one declaration of who may do
//! what over HTTP; two tests are generated from it:
//! - `route_roles` sends every cell (route × role) to a real server and checks the outcome;
//! - `http_loop::policy_routes` checks that it lists every documented write route and that
//!   each route that creates content refuses a new member's link spam, page and API alike.
//!
//! A route added to the docs or to `api::configure` without a row here fails those tests (and
//! `api_conventions::openapi_lists_the_table` compares the API rows with the OpenAPI document).

pub use crate::route_model::{Kind, Outcome, Role, Route, Send, Target};

use Outcome::{Allowed as OK, Refused as No};

/// Signed-in members may; anonymous callers are asked to sign in.
const MEMBERS: [Outcome; 6] = [No(401), OK, OK, OK, OK, OK];
/// The author and moderators and above may; other members may not.
const OWNER_OR_MODS: [Outcome; 6] = [No(401), No(403), OK, OK, OK, OK];
/// Anyone signed in but the author (one does not vote on one's own post).
const NOT_OWNER: [Outcome; 6] = [No(401), OK, No(403), OK, OK, OK];
/// Everyone.
const EVERYONE: [Outcome; 6] = [OK; 6];

/// The table. Page routes first (all POST), then the API.
pub const ROUTES: &[Route] = &[
    Route {
        method: "POST",
        path: "/ask",
        target: Target::None,
        send: Send::Form(&[
            ("title", "Links everywhere in this question"),
            ("category", "getting-started"),
            ("tags", ""),
        ]),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/t/{id}/answer",
        target: Target::Thread,
        send: Send::Form(&[]),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/p/{id}/comment",
        target: Target::Question,
        send: Send::Form(&[]),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/p/{id}/edit",
        target: Target::Answer,
        send: Send::Form(&[("reason", "adding detail")]),
        kind: Kind::Content,
        undo: None,
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "POST",
        path: "/p/{id}/vote",
        target: Target::Answer,
        send: Send::Form(&[("value", "up")]),
        kind: Kind::NoContent("a vote carries no text"),
        undo: Some(Send::Form(&[("value", "none")])),
        expect: NOT_OWNER,
    },
    Route {
        method: "POST",
        path: "/p/{id}/accept",
        target: Target::AnswerToOwner,
        send: Send::Form(&[]),
        kind: Kind::NoContent("acceptance carries no text"),
        undo: Some(Send::Form(&[])),
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "POST",
        path: "/p/{id}/delete",
        target: Target::Answer,
        send: Send::Form(&[]),
        kind: Kind::NoContent("deleting removes content"),
        undo: None,
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "POST",
        path: "/register",
        target: Target::None,
        send: Send::Form(&[
            ("username", "{new}"),
            ("email", "{new}@example.com"),
            ("password", "{password}"),
        ]),
        kind: Kind::Session("an account, not a post"),
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "POST",
        path: "/login",
        target: Target::None,
        send: Send::Form(&[
            ("login", "{login}"),
            ("password", "{password}"),
            ("next", "/"),
        ]),
        kind: Kind::Session("signing in"),
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "POST",
        path: "/logout",
        target: Target::None,
        send: Send::Form(&[]),
        kind: Kind::Session("signing out"),
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "POST",
        path: "/logout/everywhere",
        target: Target::None,
        send: Send::Form(&[]),
        kind: Kind::Session("signing out"),
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/notifications/read",
        target: Target::None,
        send: Send::Form(&[("all", "true")]),
        kind: Kind::NoContent("marks notifications read"),
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/api/v1/tokens",
        target: Target::None,
        send: Send::Json(r#"{"login": "{login}", "password": "{password}"}"#),
        kind: Kind::Session("a token, not a post"),
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "DELETE",
        path: "/api/v1/tokens",
        target: Target::None,
        send: Send::Bare,
        kind: Kind::Session("signing out everywhere"),
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "GET",
        path: "/api/v1/notifications",
        target: Target::None,
        send: Send::Bare,
        kind: Kind::Read,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/api/v1/notifications/read",
        target: Target::None,
        send: Send::Json(r#"{"all": true}"#),
        kind: Kind::NoContent("marks notifications read"),
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "GET",
        path: "/api/v1/threads",
        target: Target::None,
        send: Send::Bare,
        kind: Kind::Read,
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "GET",
        path: "/api/v1/threads/{id}",
        target: Target::Thread,
        send: Send::Bare,
        kind: Kind::Read,
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "POST",
        path: "/api/v1/threads",
        target: Target::None,
        send: Send::Json(
            r#"{"title": "Links everywhere in this question", "category": "getting-started", "tags": []}"#,
        ),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/api/v1/threads/{id}/answers",
        target: Target::Thread,
        send: Send::Json("{}"),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "POST",
        path: "/api/v1/posts/{id}/vote",
        target: Target::Answer,
        send: Send::Json(r#"{"value": "up"}"#),
        kind: Kind::NoContent("a vote carries no text"),
        undo: Some(Send::Json(r#"{"value": "none"}"#)),
        expect: NOT_OWNER,
    },
    Route {
        method: "POST",
        path: "/api/v1/posts/{id}/accept",
        target: Target::AnswerToOwner,
        send: Send::Bare,
        kind: Kind::NoContent("acceptance carries no text"),
        undo: Some(Send::Bare),
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "POST",
        path: "/api/v1/posts/{id}/comments",
        target: Target::Question,
        send: Send::Json("{}"),
        kind: Kind::Content,
        undo: None,
        expect: MEMBERS,
    },
    Route {
        method: "PATCH",
        path: "/api/v1/posts/{id}",
        target: Target::Answer,
        send: Send::Json(r#"{"reason": "adding detail"}"#),
        kind: Kind::Content,
        undo: None,
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "DELETE",
        path: "/api/v1/posts/{id}",
        target: Target::Answer,
        send: Send::Bare,
        kind: Kind::NoContent("deleting removes content"),
        undo: None,
        expect: OWNER_OR_MODS,
    },
    Route {
        method: "GET",
        path: "/api/v1/posts/{id}/revisions",
        target: Target::Answer,
        send: Send::Bare,
        kind: Kind::Read,
        undo: None,
        expect: EVERYONE,
    },
    Route {
        method: "GET",
        path: "/api/v1/openapi.json",
        target: Target::None,
        send: Send::Bare,
        kind: Kind::Read,
        undo: None,
        expect: EVERYONE,
    },
];
