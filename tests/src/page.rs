//! A fully read HTTP response with assertion helpers.

use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::html;

/// One HTTP response, fully read.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    /// The body as (lossy) UTF-8.
    pub body: String,
    /// The path (or URL) requested, for messages.
    pub path: String,
}

impl Page {
    pub(crate) fn read(path: &str, resp: Response) -> Page {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().map(|b| b.to_vec()).unwrap_or_default();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Page {
            status,
            headers,
            bytes,
            body,
            path: path.to_string(),
        }
    }

    /// The first value of a header, if present and ASCII.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// Every value of a header (e.g. `set-cookie`).
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// `Location`, reduced to a path when it points at the same host.
    pub fn location(&self) -> Option<String> {
        let loc = self.header("location")?;
        if let Some(rest) = loc
            .strip_prefix("http://")
            .or_else(|| loc.strip_prefix("https://"))
        {
            return Some(
                rest.find('/')
                    .map(|i| rest[i..].to_string())
                    .unwrap_or("/".into()),
            );
        }
        Some(loc)
    }

    /// The body parsed as JSON (panics with the body if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} {}: body is not JSON ({e}): {}",
                self.status,
                self.path,
                self.short()
            )
        })
    }

    /// A short text excerpt of the body for assertion messages.
    pub fn short(&self) -> String {
        html::excerpt(&self.body, 600)
    }

    /// Panics with the status and an excerpt of the body unless the status is `status`.
    #[track_caller]
    pub fn expect_status(&self, status: u16, what: &str) -> &Page {
        assert_eq!(
            self.status,
            status,
            "{what}: {} expected {status}, got {} (location {:?}); body: {}",
            self.path,
            self.status,
            self.location(),
            self.short()
        );
        self
    }

    /// Asserts a 303 and returns the Location path.
    #[track_caller]
    pub fn expect_see_other(&self, what: &str) -> String {
        self.expect_status(303, what);
        self.location()
            .unwrap_or_else(|| panic!("{what}: 303 without Location"))
    }
}
