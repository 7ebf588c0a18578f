//! A browser-like HTTP client: keeps cookies, never follows redirects, fills in CSRF tokens.

use std::time::Duration;

use reqwest::blocking::RequestBuilder;
use serde_json::Value;

use crate::html;
pub use crate::page::Page;

/// Cookie-keeping client bound to one server.
pub struct Client {
    pub base_url: String,
    http: reqwest::blocking::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    csrf: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Client {
    pub fn new(base_url: &str) -> Client {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::blocking::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_else(|e| panic!("reqwest client: {e}"));
        Client {
            base_url: base_url.trim_end_matches('/').to_string(),
            http,
            jar,
            csrf: None,
        }
    }

    /// A second client holding a copy of this one's cookies (what a thief of the cookie has).
    pub fn clone_cookies(&self) -> Client {
        use reqwest::cookie::CookieStore;
        let copy = Client::new(&self.base_url);
        let url: reqwest::Url = self
            .base_url
            .parse()
            .unwrap_or_else(|e| panic!("base url: {e}"));
        if let Some(header) = self.jar.cookies(&url) {
            let all = header.to_str().unwrap_or_default().to_string();
            for pair in all.split("; ") {
                copy.jar.add_cookie_str(&format!("{pair}; Path=/"), &url);
            }
        }
        copy
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{}", self.base_url, path)
        }
    }

    fn send(&mut self, path: &str, req: RequestBuilder) -> Page {
        let resp = req.send().unwrap_or_else(|e| panic!("request {path}: {e}"));
        let page = Page::read(path, resp);
        if let Some(token) = html::csrf_token(&page.body) {
            self.csrf = Some(token);
        }
        page
    }

    pub fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(self.url(path));
        self.send(path, req)
    }

    /// GET with extra request headers (e.g. `Accept-Encoding: gzip`).
    pub fn get_with_headers(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.http.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(path, req)
    }

    /// GET and follow up to 5 redirects.
    pub fn get_follow(&mut self, path: &str) -> Page {
        let mut page = self.get(path);
        for _ in 0..5 {
            match (page.status, page.location()) {
                (301 | 302 | 303 | 307 | 308, Some(loc)) => page = self.get(&loc),
                _ => break,
            }
        }
        page
    }

    /// A CSRF token from the last page seen, else from `/` or `/login`.
    pub fn csrf_token(&mut self) -> String {
        if let Some(token) = &self.csrf {
            return token.clone();
        }
        for path in ["/", "/login", "/register"] {
            self.get(path);
            if let Some(token) = &self.csrf {
                return token.clone();
            }
        }
        panic!("no csrf_token input on /, /login or /register")
    }

    /// POST a form with the current CSRF token added.
    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all)
    }

    /// POST a form exactly as given (no CSRF token added).
    pub fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        // A POST may rotate the session and with it the token: forget the cached one.
        self.csrf = None;
        let req = self.http.post(self.url(path)).form(fields);
        self.send(path, req)
    }

    /// Whether the home page shows a logout form (i.e. this client is logged in).
    pub fn logged_in(&mut self) -> bool {
        let page = self.get("/");
        page.body.contains("action=\"/logout\"")
    }

    /// Registers `username` (email `username@example.com`) and makes sure the client is logged in.
    pub fn register(&mut self, username: &str, password: &str) -> Page {
        self.get("/register");
        let email = format!("{username}@example.com");
        let fields = [
            ("username", username),
            ("email", email.as_str()),
            ("password", password),
        ];
        let page = self.post_form("/register", &fields);
        page.expect_see_other(&format!("register {username}"));
        if !self.logged_in() {
            self.login(username, password)
                .expect_see_other(&format!("login {username}"));
        }
        page
    }

    /// POST /login (no assertion: rate-limit and bad-password tests look at the status).
    pub fn login(&mut self, login: &str, password: &str) -> Page {
        self.get("/login");
        self.post_form(
            "/login",
            &[("login", login), ("password", password), ("next", "/")],
        )
    }

    pub fn logout(&mut self) -> Page {
        self.post_form("/logout", &[])
    }

    /// Asks a question; asserts the 303 and returns the thread path `/t/{slug}/{id}`.
    pub fn ask(&mut self, title: &str, body: &str, category: &str, tags: &str) -> String {
        self.get("/ask");
        let fields = [
            ("title", title),
            ("body", body),
            ("category", category),
            ("tags", tags),
        ];
        let loc = self.post_form("/ask", &fields).expect_see_other("ask");
        let path = loc.split('#').next().unwrap_or_default().to_string();
        assert!(
            path.starts_with("/t/"),
            "ask redirected to {loc}, not to a thread"
        );
        path
    }

    /// Answers the thread at `thread_path`; asserts the 303 and returns the new answer's post id.
    pub fn answer(&mut self, thread_path: &str, body: &str) -> i64 {
        let id = thread_id(thread_path);
        let before: Vec<i64> = html::articles(&self.get(thread_path).body)
            .iter()
            .map(|a| a.id)
            .collect();
        self.post_form(&format!("/t/{id}/answer"), &[("body", body)])
            .expect_see_other("answer");
        let page = self.get(thread_path);
        page.expect_status(200, "thread after answering");
        let new: Vec<html::Article> = html::articles(&page.body)
            .into_iter()
            .filter(|a| !before.contains(&a.id))
            .collect();
        let marker = body.split_whitespace().last().unwrap_or(body);
        match new.as_slice() {
            [one] => {
                assert!(
                    one.html.contains(marker),
                    "new post {} lacks {marker:?}",
                    one.id
                );
                one.id
            }
            _ => panic!("expected 1 new post on {thread_path}, found {}", new.len()),
        }
    }

    /// Votes `up`, `down` or `none`; asserts the 303.
    pub fn vote(&mut self, post_id: i64, value: &str) -> Page {
        let page = self.post_form(&format!("/p/{post_id}/vote"), &[("value", value)]);
        page.expect_see_other(&format!("vote {value} on post {post_id}"));
        page
    }

    /// Accepts an answer; asserts the 303.
    pub fn accept(&mut self, post_id: i64) -> Page {
        let page = self.post_form(&format!("/p/{post_id}/accept"), &[]);
        page.expect_see_other(&format!("accept post {post_id}"));
        page
    }

    /// POST /p/{id}/edit (no assertion).
    pub fn edit(&mut self, post_id: i64, title: Option<&str>, body: &str, reason: &str) -> Page {
        let path = format!("/p/{post_id}/edit");
        self.get(&path);
        let mut fields = vec![("body", body), ("reason", reason)];
        if let Some(title) = title {
            fields.push(("title", title));
        }
        self.post_form(&path, &fields)
    }

    /// A request with any method and an optional raw body, sent as given.
    pub fn request(&mut self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|e| panic!("bad method {method}: {e}"));
        let mut req = self.http.request(method, self.url(path));
        if let Some((content_type, bytes)) = body {
            req = req.header("content-type", content_type).body(bytes);
        }
        self.send(path, req)
    }

    /// A JSON request; `bearer` adds `Authorization: Bearer …`.
    pub fn api(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Page {
        let method = reqwest::Method::from_bytes(method.as_bytes())
            .unwrap_or_else(|e| panic!("bad method {method}: {e}"));
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("accept", "application/json");
        if let Some(body) = body {
            req = req.json(body);
        }
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        self.send(path, req)
    }
}

/// The numeric id at the end of `/t/{slug}/{id}` (or `/t/{id}`).
pub fn thread_id(thread_path: &str) -> i64 {
    let clean = thread_path.split(['#', '?']).next().unwrap_or_default();
    clean
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no thread id in {thread_path}"))
}
