//! The whole support loop over HTTP, against the real binary, on SQLite and PostgreSQL:
//! register → ask → answer → vote → accept → solved, plus the failure paths around it.
//! Test names: `<module>::<backend>::<scenario>`, e.g. `flow::sqlite::full_loop`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod flow;
mod forms;
mod hardening;
mod navigation;
mod policy_routes;
mod sessions;
mod transport;

use forum_e2e::html::{self, Article};

/// An answer is labelled accepted by a class or a visible "Accepted" label.
pub fn labelled_accepted(a: &Article) -> bool {
    a.has_class("accepted") || html::text(&a.html).contains("Accepted")
}

pub fn listed(links: &[String], thread: &str) -> bool {
    links
        .iter()
        .any(|l| l.split('#').next().unwrap_or_default().ends_with(thread))
}
