//! The `forum` command line: serve, migrate, user create, seed-demo, reindex.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{KeyInfo, Settings};

/// Community support forum server.
#[derive(Debug, Parser)]
#[command(
    name = "forum",
    version,
    about = "A peer-to-peer community support forum server"
)]
pub struct Cli {
    /// Configuration file (default: config/forum.toml if present).
    #[arg(long, global = true, env = "FORUM_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH, a path, or postgres://... (overrides `database.url` and
    /// FORUM_DATABASE_URL).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending migrations (or revert them all) and exit.
    Migrate {
        /// Revert every migration instead (destroys data).
        #[arg(long)]
        revert_all: bool,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Add demo categories, members and threads.
    SeedDemo {
        /// Do nothing when the database already has content (for `make run`).
        #[arg(long)]
        if_empty: bool,
        /// Also add N generated threads and one with 30 answers (for load tests); prints
        /// `bench-thread: PATH` on stdout.
        #[arg(long, value_name = "N")]
        bench_threads: Option<usize>,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Check the reputation ledger.
    #[command(subcommand)]
    Reputation(ReputationCommand),
    /// The champion programme's jobs.
    #[command(subcommand)]
    Champions(ChampionsCommand),
}

/// `forum champions ...`.
#[derive(Debug, Subcommand)]
pub enum ChampionsCommand {
    /// Run the term clock now (the server runs it every `champions.check_secs`): tell each
    /// champion whose term ends within a week, then renew or lapse each whose term ended.
    RunTerms,
}

/// `forum reputation ...`.
#[derive(Debug, Subcommand)]
pub enum ReputationCommand {
    /// Recompute every member's reputation and trust level from the ledger and list those
    /// whose stored values differ (exit status 1 when any does).
    Verify {
        /// Repair the mismatches (rebuild each member's reputation from the ledger).
        #[arg(long)]
        fix: bool,
    },
    /// Look for serial voting now (the server does it once every
    /// `reputation.serial_vote_window_hours`): withdraw the votes of each voter with
    /// `reputation.serial_vote_threshold` or more on one member's posts in the window, and
    /// reverse their reputation.
    SerialVotes,
}

/// `forum serve` flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (overrides `server.bind` and FORUM_BIND).
    #[arg(long)]
    pub bind: Option<String>,
}

/// `forum user ...`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password comes from FORUM_USER_PASSWORD or one line on stdin.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// member, moderator, staff or admin.
        #[arg(long, default_value = "member")]
        role: String,
    },
}

/// Loads settings with the command line's flags as the top layer.
pub fn settings(cli: &Cli, bind: Option<&str>) -> anyhow::Result<Settings> {
    let flags = |key: &KeyInfo| match key.path {
        "database.url" => cli.database_url.clone(),
        "server.bind" => bind.map(str::to_string),
        _ => None,
    };
    Ok(Settings::load(cli.config.as_deref(), &flags)?)
}

/// The new account's password, from the environment or stdin.
pub fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("FORUM_USER_PASSWORD") {
        return Ok(p);
    }
    eprintln!("password (one line on stdin):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
