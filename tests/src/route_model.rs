//! The vocabulary of the route × role table (`route_table`): who calls, what they get, what a
//! route acts on and how it is sent.

/// Who sends the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// No session, no token.
    Anonymous,
    /// A signed-in member who wrote none of the content involved.
    Member,
    /// The member who wrote the target (for acceptance: who asked the thread).
    Owner,
    /// May edit, delete and accept anywhere; sees deleted posts.
    Moderator,
    /// A moderator who may also post in staff-only categories.
    Staff,
    /// The highest role.
    Admin,
}

impl Role {
    /// The columns of the table, in order.
    pub const ALL: [Role; 6] = [
        Role::Anonymous,
        Role::Member,
        Role::Owner,
        Role::Moderator,
        Role::Staff,
        Role::Admin,
    ];

    /// The account's role as `forum user create --role` names it (`None`: no account).
    pub fn account_role(self) -> Option<&'static str> {
        match self {
            Role::Anonymous => None,
            Role::Member | Role::Owner => Some("member"),
            Role::Moderator => Some("moderator"),
            Role::Staff => Some("staff"),
            Role::Admin => Some("admin"),
        }
    }
}

/// What a role gets on a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done: a 2xx, or a page's 303 (Post/Redirect/Get).
    Allowed,
    /// Refused with this status (and, on the API, the matching error code).
    Refused(u16),
}

/// What the `{id}` of a path names. The test makes a fresh one for every cell, owned by the
/// owner, so no cell sees another's effect (a deleted post, a vote already cast).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The path has no id.
    None,
    /// An unanswered thread the owner asked.
    Thread,
    /// The question post of an unanswered thread the owner asked.
    Question,
    /// An answer the owner wrote on someone else's thread.
    Answer,
    /// Someone else's answer on a thread the owner asked (acceptance belongs to the asker).
    AnswerToOwner,
    /// An edit suggested by a new member for an answer the owner wrote (the suggestion's id).
    Suggestion,
    /// An answer the owner wrote with a new member's suggested edit waiting (the post's id).
    SuggestedPost,
    /// A pending champion nomination of a freshly registered member, made by staff.
    Nomination,
    /// An active championship of a freshly registered member, granted by staff.
    Championship,
}

/// How the request is sent. Field values may hold `{login}` (the caller's username; for the
/// anonymous caller, the member's), `{password}` (the shared test password) and `{new}` (a
/// username never used before).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Send {
    /// An HTML form POST with the session's CSRF token: these fields, and `body` when the route
    /// creates content.
    Form(&'static [(&'static str, &'static str)]),
    /// JSON with the caller's bearer token (none when anonymous): this object, and `body` when
    /// the route creates content.
    Json(&'static str),
    /// No body; the caller's bearer token (none when anonymous).
    Bare,
}

/// What a route does, for the social contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Creates text (`body`): the contract's content rules apply.
    Content,
    /// Changes state without text; the reason says why the content rules do not apply.
    NoContent(&'static str),
    /// Signs someone in or out: no content; the caller's session and token are renewed after
    /// each cell.
    Session(&'static str),
    /// Reads only.
    Read,
}

/// One route and what each role gets there.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The HTTP method (`POST` for every page route).
    pub method: &'static str,
    /// As docs/ROUTES.md writes it, `{id}` for the target.
    pub path: &'static str,
    /// What `{id}` names.
    pub target: Target,
    /// How the request is sent.
    pub send: Send,
    /// What the route does, for the social contract.
    pub kind: Kind,
    /// Undoes an allowed cell on the same path (votes and acceptance move reputation, and
    /// with it trust levels and posting limits, which must not decide a later cell).
    pub undo: Option<Send>,
    /// One outcome per [`Role::ALL`] column.
    pub expect: [Outcome; 6],
}

impl Route {
    /// True for a JSON API route.
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }

    /// The path to send: `{id}` replaced by the target's id, `{slug}` by a category and
    /// `{name}` by a tag that `seed-demo` creates, `{badge}` by a badge, `{username}` by a demo
    /// member.
    pub fn concrete_path(&self, id: Option<i64>) -> String {
        let path = self
            .path
            .replace("{slug}", "getting-started")
            .replace("{name}", "webhooks")
            .replace("{badge}", "first_question")
            .replace("{username}", "maria");
        match id {
            Some(id) => path.replace("{id}", &id.to_string()),
            None => path,
        }
    }

    /// What `role` gets here.
    pub fn outcome(&self, role: Role) -> Outcome {
        let column = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        self.expect[column]
    }
}
