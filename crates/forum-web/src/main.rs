//! The `forum` binary.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use forum_core::accounts::{create_user, Registration};
use forum_core::reputation_audit;
use forum_core::Role;
use forum_db::{migrations, write_tx, Db};
use forum_web::cli::{
    read_password, settings, ChampionsCommand, Cli, Command, ReputationCommand, UserCommand,
};
use forum_web::config::{LogFormat, Settings};
use forum_web::jobs::search_follower;
use forum_web::{app, seed};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("forum: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(s: &Settings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&s.log.level));
    // Each request is a span (request_id, method, route) that events inside it carry; the
    // access log middleware decides which requests get a line of their own. Colour codes only
    // on a terminal: in a file or a log collector they are noise.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if s.log.format == LogFormat::Json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve(args) => {
            let s = settings(&cli, args.bind.as_deref())?;
            init_logging(&s);
            let prepared = app::prepare(s)?;
            actix_web::rt::System::new().block_on(app::serve(prepared))
        }
        Command::Migrate { revert_all } => {
            let url = settings(&cli, None)?.database_url();
            let done = if *revert_all {
                migrations::revert_all(&url)?
            } else {
                migrations::run_pending(&url)?
            };
            eprintln!(
                "{} migration(s) {}",
                done.len(),
                if *revert_all { "reverted" } else { "applied" }
            );
            Ok(())
        }
        Command::User(UserCommand::Create {
            username,
            email,
            role,
        }) => {
            let s = settings(&cli, None)?;
            let role: Role = role.parse().map_err(|e| {
                anyhow::anyhow!("unknown role '{role}' ({e}): member, moderator, staff or admin")
            })?;
            let password = read_password()?;
            let db = Db::connect(&s.database_url(), 1)?;
            let mut conn = db.conn()?;
            let user = write_tx(&mut conn, |c| {
                create_user(
                    c,
                    &Registration {
                        username,
                        email,
                        password: &password,
                    },
                    role,
                )
            })?;
            eprintln!(
                "created {} ({}) with id {}",
                user.username,
                user.role.as_str(),
                user.id
            );
            Ok(())
        }
        Command::SeedDemo {
            if_empty,
            bench_threads,
        } => {
            let s = settings(&cli, None)?;
            std::fs::create_dir_all(&s.server.data_dir)?;
            let db = Db::connect(&s.database_url(), 2)?;
            let empty = seed::is_empty(&mut *db.conn()?)?;
            if empty {
                seed::seed_demo(
                    &db,
                    &moderation::ContractPolicy::new(s.posting_limits())
                        .with_privileges(s.privilege_table()),
                )?;
                eprintln!(
                    "demo content added (demo accounts: maria, devon, priya, sam; password {})",
                    seed::DEMO_PASSWORD
                );
            } else if !*if_empty {
                anyhow::bail!("the database already has content; use --if-empty to skip quietly");
            } else {
                eprintln!("database already has content; demo seed skipped");
            }
            if let Some(n) = bench_threads {
                let policy = moderation::ContractPolicy::new(s.posting_limits())
                    .with_privileges(s.privilege_table());
                let path =
                    seed::seed_bench(&db, &policy, *n, |i| eprintln!("seeded {i}/{n} threads"))?;
                println!("bench-thread: {path}");
                std::io::stdout().flush()?;
            }
            Ok(())
        }
        Command::Reputation(ReputationCommand::Verify { fix }) => {
            let s = settings(&cli, None)?;
            let db = Db::connect(&s.database_url(), 2)?;
            let mut conn = db.conn()?;
            let found = reputation_audit::verify(&mut conn, &mut |done| {
                eprint!("\rchecked {done} members")
            })?;
            eprintln!();
            for m in &found {
                println!(
                    "{}: stored {} (TL{}), ledger {} (TL{})",
                    m.username, m.stored, m.stored_level.0, m.ledger, m.ledger_level.0
                );
            }
            if found.is_empty() {
                eprintln!("every member's reputation matches the ledger");
                return Ok(());
            }
            if *fix {
                let n = reputation_audit::fix(&mut conn, &found)?;
                eprintln!("repaired {n} member(s) from the ledger");
                return Ok(());
            }
            anyhow::bail!(
                "{} member(s) differ from the ledger (run with --fix to repair)",
                found.len()
            )
        }
        Command::Reputation(ReputationCommand::SerialVotes) => {
            let s = settings(&cli, None)?;
            let db = Db::connect(&s.database_url(), 1)?;
            let found = forum_core::serial_votes::correct(
                &mut *db.conn()?,
                s.serial_vote_rules(),
                forum_db::time::now(),
            )?;
            for f in &found {
                println!(
                    "voter {} on member {}: {} vote(s) withdrawn",
                    f.voter, f.author, f.votes
                );
            }
            eprintln!("{} serial voting pattern(s) corrected", found.len());
            Ok(())
        }
        Command::Champions(ChampionsCommand::RunTerms) => {
            let s = settings(&cli, None)?;
            let db = Db::connect(&s.database_url(), 1)?;
            let run = forum_core::champions::run_terms(
                &mut *db.conn()?,
                s.champion_rules(),
                forum_db::time::now(),
            )?;
            eprintln!(
                "champion terms: {} noticed, {} renewed, {} lapsed",
                run.noticed, run.renewed, run.lapsed
            );
            Ok(())
        }
        Command::Reindex => {
            let s = settings(&cli, None)?;
            let db = Db::connect(&s.database_url(), 2)?;
            let dir = s.server.data_dir.join("search");
            let index = std::sync::Arc::new(search::SearchIndex::open(&dir)?);
            let mut follower = search_follower::open_follower(Some(&dir));
            let n = search_follower::rebuild(&db, &index, &mut follower, &mut |done| {
                eprint!("\rindexed {done} threads")
            })?;
            eprintln!("\rindexed {n} threads");
            Ok(())
        }
    }
}
