//! End-to-end test harness: starts the real `forum` binary on a free loopback port against a
//! throwaway SQLite file or PostgreSQL database, and talks to it over HTTP like a browser would
//! (cookies, CSRF tokens, Post/Redirect/Get).
//!
//! - [`ForumServer`] spawns `forum serve` (optionally after `forum seed-demo`) and stops it with
//!   SIGTERM when dropped.
//! - [`Client`] is a cookie-keeping HTTP client that never follows redirects, so tests can assert
//!   303/301, and fills in `csrf_token` on every form POST.
//! - [`html`] has small string-search helpers (no HTML parser dependency).
//! - [`smtp::SmtpSink`] is a real SMTP server (aiosmtpd) that keeps what it receives.
//! - [`route_table`] declares who may use every write route and API route; [`cast`] plays it.

pub mod cast;
pub mod client;
pub mod html;
pub mod jwt;
pub mod page;
pub mod route_model;
pub mod route_table;
pub mod server;
pub mod smtp;
pub mod support;

pub use client::{Client, Page};
pub use forum_db::Backend;
pub use server::ForumServer;
pub use support::{free_port, repo_root};

/// A password every test user shares; long enough for any sane password policy.
pub const PASSWORD: &str = "correct-horse-battery-staple-42";

/// A short random suffix so names and texts are unique per test run.
pub fn unique() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// A random lowercase word (letters only, so no tokenizer splits it), e.g. for search tests.
pub fn unique_word() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    let letters: String = hex[..10]
        .chars()
        .map(|c| {
            let v = c.to_digit(16).unwrap_or(0) as u8;
            (b'g' + v) as char
        })
        .collect();
    format!("zq{letters}")
}

/// One `#[test]` per backend for each scenario `fn name(backend: Backend)`: the workspace's one
/// per-backend macro, `forum_db::backend_tests!(backend: ...)`, under the name these tests use.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $crate::__forum_db::backend_tests!(backend: $($name),*);
    };
}

#[doc(hidden)]
pub use forum_db as __forum_db;
