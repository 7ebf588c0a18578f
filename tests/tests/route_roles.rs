//! Every cell of the route × role table (`forum_e2e::route_table`), against the real binary on
//! SQLite and PostgreSQL: each role sends each route (a fresh target per cell, owned by the
//! owner) and gets what the table says, allowed or refused with its status (and, on the API,
//! its error code). All cells run, then every disagreement is reported at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forum_e2e::cast::Cast;
use forum_e2e::route_table::{Kind, Outcome, Role, Route, Send, ROUTES};
use forum_e2e::{unique, Backend, ForumServer, Page, PASSWORD};
use serde_json::Value;

forum_e2e::on_both_backends!(every_cell_of_the_route_table);

/// `{login}`, `{password}`, `{new}` and `{fresh}` (a member registered for this cell) filled in.
fn fill(text: &str, login: &str, new: &str, fresh: &str) -> String {
    text.replace("{login}", login)
        .replace("{fresh}", fresh)
        .replace("{password}", PASSWORD)
        .replace("{new}", new)
}

/// Sends `send` to `path` as `role`; `text` is the body of a content route.
fn send(
    cast: &mut Cast,
    role: Role,
    route: &Route,
    path: &str,
    how: Send,
    text: Option<&str>,
) -> Page {
    let login = cast.login_of(role);
    let fresh = match how {
        Send::Form(fields) if fields.iter().any(|(_, v)| v.contains("{fresh}")) => {
            cast.fresh_member()
        }
        Send::Json(t) if t.contains("{fresh}") => cast.fresh_member(),
        _ => String::new(),
    };
    let new = format!("new{}", &unique()[..8]);
    let caller = cast.caller(role);
    match how {
        Send::Form(fields) => {
            let mut all: Vec<(String, String)> = fields
                .iter()
                .map(|(k, v)| (k.to_string(), fill(v, &login, &new, &fresh)))
                .collect();
            if let Some(text) = text {
                all.push(("body".into(), text.into()));
            }
            let all: Vec<(&str, &str)> =
                all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            caller.web.post_form(path, &all)
        }
        Send::Json(template) => {
            let mut body: Value =
                serde_json::from_str(&fill(template, &login, &new, &fresh)).unwrap();
            if let Some(text) = text {
                body["body"] = Value::String(text.into());
            }
            let token = caller.token.clone();
            caller
                .web
                .api(route.method, path, Some(&body), token.as_deref())
        }
        Send::Bare => {
            let token = caller.token.clone();
            caller.web.api(route.method, path, None, token.as_deref())
        }
    }
}

/// The error code the API sends with a refusal's status.
fn code_for(status: u16) -> &'static str {
    match status {
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        422 => "validation",
        400 => "link_invalid",
        _ => "?",
    }
}

/// What went wrong in one cell, or `None` when it matches the table.
fn check(route: &Route, role: Role, page: &Page) -> Option<String> {
    let cell = format!("{} {} as {role:?}", route.method, route.path);
    match route.outcome(role) {
        Outcome::Allowed => {
            let ok = (200..300).contains(&page.status) || page.status == 303;
            (!ok).then(|| {
                format!(
                    "{cell}: expected allowed, got {}: {}",
                    page.status,
                    page.short()
                )
            })
        }
        Outcome::Refused(status) if page.status != status => Some(format!(
            "{cell}: expected {status}, got {}: {}",
            page.status,
            page.short()
        )),
        Outcome::Refused(status) if route.is_api() => {
            let code = page.json()["error"].clone();
            (code != code_for(status)).then(|| format!("{cell}: error code {code}"))
        }
        Outcome::Refused(_) => None,
    }
}

fn every_cell_of_the_route_table(backend: Backend) {
    let server = ForumServer::start_seeded(backend);
    let mut cast = Cast::new(&server);
    let mut wrong = Vec::new();
    let mut cells = 0;
    for route in ROUTES {
        for role in Role::ALL {
            let path = route.concrete_path(cast.target(route.target));
            let text = (route.kind == Kind::Content)
                .then(|| format!("Restarting the sync agent fixed it for me. {}", unique()));
            if !route.is_api() {
                // A page form is sent from a page: the client holds that page's token.
                cast.caller(role).web.get("/");
            }
            let page = send(&mut cast, role, route, &path, route.send, text.as_deref());
            cells += 1;
            if let Some(problem) = check(route, role, &page) {
                wrong.push(problem);
            }
            if let (Some(undo), true) = (route.undo, page.status < 400) {
                let back = send(&mut cast, role, route, &path, undo, None);
                assert!(back.status < 400, "undo {path}: {}", back.short());
            }
            if matches!(route.kind, Kind::Session(_)) {
                cast.renew(role);
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells disagree with the route table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
