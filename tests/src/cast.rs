//! The cast of the route × role table: one account per role (plus a bystander who writes what
//! the owner did not), each with a signed-in browser session and an API token, and the
//! targets (threads, questions, answers) the table's routes act on, made over the API.

use serde_json::{json, Value};

use crate::client::Client;
use crate::route_table::{Role, Target};
use crate::server::ForumServer;
use crate::{unique, PASSWORD};

/// A signed-in caller: the browser session and the bearer token of one account.
pub struct Caller {
    /// The account's name; `None` for the anonymous caller.
    pub username: Option<String>,
    /// The browser: cookies, CSRF tokens.
    pub web: Client,
    /// The bearer token; `None` for the anonymous caller.
    pub token: Option<String>,
}

/// Everyone the table names, on one server.
pub struct Cast {
    base_url: String,
    callers: Vec<(Role, Caller)>,
    /// A member who is none of the roles: asks the threads the owner answers, answers the
    /// owner's threads.
    bystander: Caller,
}

impl std::fmt::Debug for Cast {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cast")
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// A bearer token for `login`, or a panic with the response.
pub fn token_for(client: &mut Client, login: &str) -> String {
    let body = json!({"login": login, "password": PASSWORD});
    let page = client.api("POST", "/api/v1/tokens", Some(&body), None);
    page.expect_status(200, &format!("token for {login}"));
    page.json()["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {}", page.body))
        .to_string()
}

impl Cast {
    /// Creates the accounts (with `forum user create`, as an operator would), signs each in.
    pub fn new(server: &ForumServer) -> Cast {
        let mut callers = Vec::new();
        for role in Role::ALL {
            let caller = match role.account_role() {
                None => Caller {
                    username: None,
                    web: server.client(),
                    token: None,
                },
                Some(account) => {
                    let name = format!("{}{}", format!("{role:?}").to_lowercase(), &unique()[..4]);
                    server.create_user(&name, account, PASSWORD);
                    signed_in(server, &name)
                }
            };
            callers.push((role, caller));
        }
        let name = format!("bystander{}", &unique()[..4]);
        server.create_user(&name, "member", PASSWORD);
        let bystander = signed_in(server, &name);
        Cast {
            base_url: server.base_url.clone(),
            callers,
            bystander,
        }
    }

    /// The caller in `role`'s column.
    pub fn caller(&mut self, role: Role) -> &mut Caller {
        let at = self
            .callers
            .iter()
            .position(|(r, _)| *r == role)
            .unwrap_or(0);
        &mut self.callers[at].1
    }

    /// The username `{login}` stands for: the caller's, or the member's for the anonymous one.
    pub fn login_of(&mut self, role: Role) -> String {
        let who = if role == Role::Anonymous {
            Role::Member
        } else {
            role
        };
        self.caller(who).username.clone().unwrap_or_default()
    }

    /// A new session and token for `role` (after a route that signed them in or out).
    pub fn renew(&mut self, role: Role) {
        let base = self.base_url.clone();
        let caller = self.caller(role);
        caller.web = Client::new(&base);
        caller.token = None;
        if let Some(name) = caller.username.clone() {
            caller
                .web
                .login(&name, PASSWORD)
                .expect_see_other(&format!("sign {name} in again"));
            caller.token = Some(token_for(&mut caller.web, &name));
        }
    }

    /// A fresh target of this kind, owned by the owner; `None` for [`Target::None`].
    pub fn target(&mut self, target: Target) -> Option<i64> {
        let owner = self.caller(Role::Owner).token.clone().unwrap_or_default();
        let other = self.bystander.token.clone().unwrap_or_default();
        if matches!(target, Target::Nomination | Target::Championship) {
            return Some(self.champion_target(target));
        }
        make_target(&mut self.bystander.web, target, &owner, &other)
    }

    /// A member registered just now through the sign-up page (the `{fresh}` of a request).
    pub fn fresh_member(&mut self) -> String {
        let name = format!("fresh{}", &unique()[..8]);
        Client::new(&self.base_url).register(&name, PASSWORD);
        name
    }

    /// A staff nomination or grant of a fresh member, made by the admin over the API.
    fn champion_target(&mut self, target: Target) -> i64 {
        let who = self.fresh_member();
        let admin = self.caller(Role::Admin).token.clone().unwrap_or_default();
        let web = &mut self.bystander.web;
        let (path, body, key) = if target == Target::Nomination {
            let body = json!({"username": who, "reason": "Helps everyone with exports."});
            ("/api/v1/champions/nominations", body, "nomination")
        } else {
            ("/api/v1/champions", json!({"username": who}), "champion")
        };
        let page = web.api("POST", path, Some(&body), Some(&admin));
        page.expect_status(201, "a champion target");
        id_at(&page.json(), key)
    }
}

fn signed_in(server: &ForumServer, name: &str) -> Caller {
    let mut web = server.client();
    web.login(name, PASSWORD)
        .expect_see_other(&format!("sign {name} in"));
    let token = token_for(&mut web, name);
    Caller {
        username: Some(name.to_string()),
        web,
        token: Some(token),
    }
}

/// Makes a target over the API: `owner` is the owner's token, `other` another member's.
pub fn make_target(api: &mut Client, target: Target, owner: &str, other: &str) -> Option<i64> {
    match target {
        // Made by `Cast::target` (they need the admin and a fresh member).
        Target::None | Target::Nomination | Target::Championship => None,
        Target::Thread => Some(ask(api, owner)),
        Target::Question => {
            let thread = ask(api, owner);
            let page = api.api("GET", &format!("/api/v1/threads/{thread}"), None, None);
            page.expect_status(200, "the owner's thread");
            page.json()["question"]["id"].as_i64()
        }
        Target::Answer => {
            let thread = ask(api, other);
            Some(answer(api, owner, thread))
        }
        Target::AnswerToOwner => {
            let thread = ask(api, owner);
            Some(answer(api, other, thread))
        }
        Target::Suggestion | Target::SuggestedPost => {
            let thread = ask(api, other);
            let post = answer(api, owner, thread);
            let suggestion = suggest_edit(api, other, post);
            Some(if target == Target::Suggestion {
                suggestion
            } else {
                post
            })
        }
    }
}

/// Suggests an edit of `post` with `token` (a member below the edit-others privilege);
/// returns the suggestion's id.
pub fn suggest_edit(api: &mut Client, token: &str, post: i64) -> i64 {
    let body =
        json!({"body": format!("Raise the export limit under Settings, Data. {}", unique())});
    let page = api.api(
        "PATCH",
        &format!("/api/v1/posts/{post}"),
        Some(&body),
        Some(token),
    );
    page.expect_status(202, "an edit suggested over the API");
    id_at(&page.json(), "suggested_edit")
}

/// Asks a question with `token`; returns the thread id.
pub fn ask(api: &mut Client, token: &str) -> i64 {
    let word = unique();
    let body = json!({
        "title": format!("The export stops halfway {word}"),
        "body": format!("Exports of more than a thousand rows stop at row 512. {word}"),
        "category": "getting-started",
    });
    let page = api.api("POST", "/api/v1/threads", Some(&body), Some(token));
    page.expect_status(201, "ask over the API");
    id_at(&page.json(), "thread")
}

/// Answers `thread` with `token`; returns the answer's post id.
pub fn answer(api: &mut Client, token: &str, thread: i64) -> i64 {
    let body = json!({"body": format!("Raise the export limit in Settings. {}", unique())});
    let path = format!("/api/v1/threads/{thread}/answers");
    let page = api.api("POST", &path, Some(&body), Some(token));
    page.expect_status(201, "answer over the API");
    id_at(&page.json(), "answer")
}

fn id_at(json: &Value, key: &str) -> i64 {
    json[key]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no {key}.id in {json}"))
}
