//! Spawning and stopping the real `forum` binary.

use std::any::Any;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use forum_db::test_util::TestDb;
use forum_db::Backend;

use crate::client::Client;
use crate::support::{forum_bin, free_port, random_secret, raw_get_status, repo_root};

const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `forum serve`; dropped → SIGTERM, wait ≤ 10 s, then SIGKILL; then the database and
/// the data directory are deleted.
pub struct ForumServer {
    pub backend: Backend,
    pub port: u16,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base_url: String,
    pub database_url: String,
    child: Option<Child>,
    env: Vec<(String, String)>,
    log_path: PathBuf,
    // Declared after `child` so the database outlives the process (fields drop in order).
    _db_guard: Box<dyn Any + Send>,
    data_dir: tempfile::TempDir,
}

impl std::fmt::Debug for ForumServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForumServer")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl ForumServer {
    /// An empty forum (migrated, no categories).
    pub fn start(backend: Backend) -> ForumServer {
        Self::start_with(backend, &[])
    }

    /// An empty forum with extra or overriding environment variables.
    pub fn start_with(backend: Backend, extra_env: &[(&str, &str)]) -> ForumServer {
        let mut server = Self::prepare(backend, extra_env);
        server.spawn_and_wait();
        server
    }

    /// A forum after `forum seed-demo` (categories `getting-started`, `billing`, `integrations`).
    pub fn start_seeded(backend: Backend) -> ForumServer {
        Self::start_seeded_with(backend, &[])
    }

    pub fn start_seeded_with(backend: Backend, extra_env: &[(&str, &str)]) -> ForumServer {
        let mut server = Self::prepare(backend, extra_env);
        server.run_cli_ok(&["seed-demo"], None);
        server.spawn_and_wait();
        server
    }

    fn prepare(backend: Backend, extra_env: &[(&str, &str)]) -> ForumServer {
        let (database_url, guard) = TestDb::empty(backend);
        let data_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let log_path = data_dir.path().join("forum.log");
        let theme_dir = repo_root().join("themes");
        let mut env: Vec<(String, String)> = vec![
            ("FORUM_DATABASE_URL".into(), database_url.clone()),
            (
                "FORUM_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
            ("FORUM_THEME_DIR".into(), theme_dir.display().to_string()),
            ("FORUM_THEME".into(), "default".into()),
            ("FORUM_SESSION_SECRET".into(), random_secret(96)),
            ("FORUM_JWT_SECRET".into(), random_secret(48)),
            ("FORUM_COOKIE_SECURE".into(), "false".into()),
            ("FORUM_LOGIN_PER_MINUTE".into(), "10000".into()),
            ("FORUM_REGISTER_PER_HOUR".into(), "10000".into()),
            ("FORUM_EMAIL_LINKS_PER_HOUR".into(), "10000".into()),
            ("FORUM_NEW_USER_POSTS_PER_WINDOW".into(), "10000".into()),
            ("FORUM_TRUST_ACTIVITY_FLUSH_SECS".into(), "1".into()),
        ];
        for (k, v) in extra_env {
            env.retain(|(key, _)| key != k);
            env.push((k.to_string(), v.to_string()));
        }
        ForumServer {
            backend,
            port: 0,
            base_url: String::new(),
            database_url,
            child: None,
            env,
            log_path,
            _db_guard: Box::new(guard),
            data_dir,
        }
    }

    fn set_port(&mut self, port: u16) {
        self.port = port;
        self.base_url = format!("http://127.0.0.1:{port}");
        let bind = format!("127.0.0.1:{port}");
        self.env
            .retain(|(k, _)| k != "FORUM_BIND" && k != "FORUM_BASE_URL");
        self.env.push(("FORUM_BIND".into(), bind));
        self.env
            .push(("FORUM_BASE_URL".into(), self.base_url.clone()));
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(forum_bin());
        cmd.current_dir(repo_root()).env_remove("FORUM_CONFIG");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `forum ARGS` with the server's environment (database, data dir, secrets).
    pub fn run_cli(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.command();
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn forum {args:?}: {e}"));
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            let _ = pipe.write_all(input.as_bytes());
        }
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("forum {args:?}: {e}"))
    }

    /// Like [`run_cli`](Self::run_cli) but panics with the output unless it exits 0.
    pub fn run_cli_ok(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let out = self.run_cli(args, stdin);
        assert!(
            out.status.success(),
            "`forum {}` failed ({}):\nstdout: {}\nstderr: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `forum user create` (password on stdin), while the server runs.
    pub fn create_user(&self, username: &str, role: &str, password: &str) {
        let email = format!("{username}@example.com");
        let args = [
            "user",
            "create",
            "--username",
            username,
            "--email",
            &email,
            "--role",
            role,
        ];
        self.run_cli_ok(&args, Some(&format!("{password}\n")));
    }

    fn spawn_and_wait(&mut self) {
        for attempt in 1..=3 {
            self.set_port(free_port());
            let log = std::fs::File::create(&self.log_path)
                .unwrap_or_else(|e| panic!("create {}: {e}", self.log_path.display()));
            let log_err = log
                .try_clone()
                .unwrap_or_else(|e| panic!("clone log file: {e}"));
            let child = self
                .command()
                .arg("serve")
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(log_err)
                .spawn()
                .unwrap_or_else(|e| panic!("spawn {} serve: {e}", forum_bin().display()));
            self.child = Some(child);
            match self.wait_healthy() {
                Ok(()) => return,
                Err(exited) => {
                    let log = self.log_tail(60);
                    let port_taken = log.contains("in use") || log.contains("AddrInUse");
                    if exited && port_taken && attempt < 3 {
                        continue;
                    }
                    self.stop();
                    panic!(
                        "forum serve did not become healthy on {} ({}); log tail:\n{log}",
                        self.base_url,
                        if exited {
                            "process exited"
                        } else {
                            "timed out after 60 s"
                        }
                    );
                }
            }
        }
    }

    /// Ok when /healthz answers 200; Err(true) if the process exited, Err(false) on timeout.
    fn wait_healthy(&mut self) -> Result<(), bool> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(_)) = child.try_wait() {
                    return Err(true);
                }
            }
            if raw_get_status(self.port, "/healthz") == Some(200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(false)
    }

    /// The last `lines` lines of the server's stdout+stderr.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// The data directory (`FORUM_DATA_DIR`).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }
    /// A fresh anonymous client for this server.
    pub fn client(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// `url` made absolute against this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    fn stop(&mut self) {
        let _ = self.terminate();
    }

    /// Kills the server with SIGKILL (no shutdown at all: a crash), and waits for it to go.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same database and data directory (on a new port).
    pub fn restart(&mut self) {
        self.stop();
        self.spawn_and_wait();
    }

    /// Sends SIGTERM and returns the exit status (for graceful-shutdown assertions).
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("forum-e2e: server did not stop within 10 s of SIGTERM; killing it");
        let _ = child.kill();
        let _ = child.wait();
        None
    }
}

impl Drop for ForumServer {
    fn drop(&mut self) {
        self.stop();
    }
}
