//! Process and network helpers shared by the harness: locating the binary, free ports, secrets.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The repository root (the parent of the `tests/` package).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The `forum` binary: `$FORUM_BIN` if set, else `forum` in this test binary's profile dir
/// (`target/debug/deps/x` → `target/debug/forum`). Once per test process it runs
/// `cargo build -p forum-web --bin forum` (a sub-second no-op when up to date) so a
/// `cargo test -p forum-e2e` never exercises a stale server; `FORUM_E2E_SKIP_BUILD=1` skips
/// that when the binary exists (`make test` builds it first).
pub fn forum_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(bin) = std::env::var("FORUM_BIN") {
            return PathBuf::from(bin);
        }
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("current_exe: {e}"));
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .unwrap_or_else(|| panic!("unexpected test binary location {}", exe.display()));
        let bin = profile_dir.join("forum");
        if bin.exists() && std::env::var_os("FORUM_E2E_SKIP_BUILD").is_some() {
            return bin;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
        let mut cmd = Command::new(cargo);
        cmd.args(["build", "--quiet", "-p", "forum-web", "--bin", "forum"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        if let Some(target_dir) = profile_dir.parent() {
            cmd.env("CARGO_TARGET_DIR", target_dir);
        }
        let status = cmd
            .current_dir(repo_root())
            .status()
            .unwrap_or_else(|e| panic!("running cargo build: {e}"));
        assert!(
            status.success(),
            "cargo build -p forum-web --bin forum failed"
        );
        assert!(
            bin.exists(),
            "cargo build succeeded but {} is missing",
            bin.display()
        );
        bin
    })
    .clone()
}

/// Picks a port that was free a moment ago (bind :0, read the port, drop the listener).
pub fn free_port() -> u16 {
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind 127.0.0.1:0: {e}"));
    listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("local_addr: {e}"))
}

pub fn random_secret(len: usize) -> String {
    let mut s = String::new();
    while s.len() < len {
        s.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    s
}

/// A bare HTTP/1.0 GET over a TcpStream (no async runtime needed); returns the status code.
pub fn raw_get_status(port: u16, path: &str) -> Option<u16> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut buf = [0u8; 64];
    let n = stream.read(&mut buf).ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1)?.parse().ok()
}
