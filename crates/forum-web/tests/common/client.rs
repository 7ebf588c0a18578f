//! A browser-like client over the in-process application: it keeps the cookies the server
//! sets (the session) and the last CSRF token a page showed, and sends forms, JSON and bearer
//! tokens.

use std::collections::BTreeMap;

use actix_web::cookie::Cookie;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderMap, CONTENT_TYPE, LOCATION};
use actix_web::http::Method;
use actix_web::test::{self, TestRequest};
use serde_json::Value;

use super::AppService;

/// A response read whole: status, headers and body text.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
    /// Cookies the response sets (`None` when it removes one).
    pub cookies: Vec<(String, Option<String>)>,
}

impl Resp {
    /// Reads the whole response (the body is small: pages and JSON).
    pub async fn read<B: actix_web::body::MessageBody>(res: ServiceResponse<B>) -> Resp {
        let cookies = res
            .response()
            .cookies()
            .map(|c| {
                let removed = c.max_age().is_some_and(|a| a.is_zero() || a.is_negative());
                let value = (!removed).then(|| c.value().to_string());
                (c.name().to_string(), value)
            })
            .collect();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = test::try_read_body(res).await.unwrap_or_default();
        let body = String::from_utf8_lossy(&body).into_owned();
        Resp {
            status,
            headers,
            body,
            cookies,
        }
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.header(LOCATION.as_str()).unwrap_or_default()
    }

    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16, what: &str) -> &Resp {
        assert_eq!(self.status, status, "{what}: body {}", self.body);
        self
    }
}

/// The hidden `csrf_token` value of the first form on a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.split("value=\"").nth(1)?.split('"').next()?;
    (!v.is_empty()).then(|| v.to_string())
}

/// One visitor: its cookie jar and the last CSRF token it was shown.
pub struct Client {
    call: AppService,
    cookies: BTreeMap<String, String>,
    csrf: Option<String>,
}

impl Client {
    pub(super) fn new(call: AppService) -> Client {
        Client {
            call,
            cookies: BTreeMap::new(),
            csrf: None,
        }
    }

    /// Sends a request with this client's cookies and address; keeps what it sets.
    pub async fn send(&mut self, req: TestRequest) -> Resp {
        let mut req = req.peer_addr("127.0.0.1:40000".parse().unwrap());
        for (name, value) in &self.cookies {
            req = req.cookie(Cookie::new(name.clone(), value.clone()));
        }
        let resp = (self.call)(req).await;
        for (name, value) in &resp.cookies {
            match value {
                Some(v) => self.cookies.insert(name.clone(), v.clone()),
                None => self.cookies.remove(name),
            };
        }
        if let Some(token) = csrf_in(&resp.body) {
            self.csrf = Some(token);
        }
        resp
    }

    /// GET `path`.
    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(TestRequest::get().uri(path)).await
    }

    /// The CSRF token of the last page, else of `/login`.
    pub async fn csrf_token(&mut self) -> String {
        if self.csrf.is_none() {
            self.get("/login").await;
        }
        self.csrf.clone().expect("no csrf_token input on /login")
    }

    /// POST a form with the session's CSRF token added.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf_token().await;
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all).await
    }

    /// POST a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        // A POST may rotate the session and with it the token.
        self.csrf = None;
        self.send(TestRequest::post().uri(path).set_form(fields))
            .await
    }

    /// POST /login.
    pub async fn login(&mut self, login: &str, password: &str) -> Resp {
        self.get("/login").await;
        let fields = [("login", login), ("password", password), ("next", "/")];
        self.post_form("/login", &fields).await
    }

    /// A bearer token for `login` (whose password is the test password), from
    /// `POST /api/v1/tokens`.
    pub async fn api_token(&mut self, login: &str) -> String {
        let body = serde_json::json!({"login": login, "password": super::PASSWORD});
        let resp = self
            .api(Method::POST, "/api/v1/tokens", Some(&body), None)
            .await;
        resp.expect(200, "POST /api/v1/tokens");
        let json = resp.json();
        assert_eq!(json["token_type"], "Bearer", "{json}");
        json["token"].as_str().expect("token").to_string()
    }

    /// A JSON API call; `bearer` adds `Authorization: Bearer …`.
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Resp {
        let mut req = TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("accept", "application/json"));
        if let Some(body) = body {
            req = req
                .insert_header((CONTENT_TYPE, "application/json"))
                .set_payload(body.to_string());
        }
        if let Some(token) = bearer {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        self.send(req).await
    }
}
