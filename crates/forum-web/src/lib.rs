//! The web application: actix-web handlers over the domain crates, tera themes, sessions with
//! CSRF, the JSON API with JWT bearer tokens, the background jobs (search follower), and the
//! `forum` binary's commands. This is the only crate that knows HTTP.

pub mod access_log;
pub mod anon_cache;
pub mod api;
pub mod app;
pub mod charts;
pub mod cli;
pub mod config;
pub mod error;
pub mod fragments;
pub mod handlers;
pub mod jobs;
pub mod jwt;
pub mod mail;
pub mod methods;
pub mod pages;
pub mod rate_limit;
pub mod requests;
pub mod secrets;
pub mod seed;
pub mod session;
pub mod state;
pub mod theme;
pub mod urls;
pub mod view;
