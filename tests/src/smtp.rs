//! A real SMTP server for the tests: `tests/fixtures/smtp_sink.py` (aiosmtpd) on a free port,
//! storing each message it accepts as a file; [`SmtpSink::messages`] reads them back with the
//! headers and the decoded plain-text part. The interpreter comes from `FORUM_SMTP_PYTHON`
//! (`make test` sets it up with `scripts/ensure-smtp-sink.sh`), else the virtualenv that script
//! makes, else `python3`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;

use crate::support::{free_port, repo_root};

/// The running sink; killed when dropped.
pub struct SmtpSink {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("FORUM_SMTP_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(std::env::var("HOME").unwrap_or_default())
        .join(".cache/forum-smtp-venv/bin/python");
    if venv.is_file() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

impl SmtpSink {
    /// Starts the sink and waits until it listens.
    pub fn start() -> SmtpSink {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let port = free_port();
        let script = repo_root().join("tests/fixtures/smtp_sink.py");
        let mut child = Command::new(python())
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start the SMTP sink ({e}); run scripts/ensure-smtp-sink.sh")
            });
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("sink stdout"));
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink did not start (is aiosmtpd installed? run scripts/ensure-smtp-sink.sh)"
        );
        SmtpSink { child, dir, port }
    }

    /// `smtp://127.0.0.1:PORT`, for `FORUM_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Mail> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        names.sort();
        names
            .iter()
            .map(|p| Mail::parse(&std::fs::read_to_string(p).unwrap_or_default()))
            .collect()
    }

    /// Messages to `to` (case-insensitive) so far.
    pub fn messages_to(&self, to: &str) -> Vec<Mail> {
        let to = to.to_lowercase();
        self.messages()
            .into_iter()
            .filter(|m| m.envelope_to.to_lowercase().contains(&to))
            .collect()
    }

    /// Waits up to `timeout` until a message to `to` whose subject contains `subject` arrives.
    pub fn wait_for(&self, to: &str, subject: &str, timeout: Duration) -> Mail {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(m) = self
                .messages_to(to)
                .into_iter()
                .find(|m| m.subject.contains(subject))
            {
                return m;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = self
                    .messages()
                    .iter()
                    .map(|m| format!("{} / {}", m.envelope_to, m.subject))
                    .collect();
                panic!("no email to {to} about '{subject}' within {timeout:?}; received: {seen:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One received message.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The envelope recipients, as the server saw them.
    pub envelope_to: String,
    /// Header lines, unfolded, in order.
    pub headers: Vec<(String, String)>,
    pub subject: String,
    /// The decoded `text/plain` part.
    pub text: String,
    /// The decoded `text/html` part.
    pub html: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let headers = unfold(head);
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let content_type = get("Content-Type");
        let boundary = content_type
            .split("boundary=")
            .nth(1)
            .map(|b| b.trim_matches('"').to_string())
            .unwrap_or_default();
        let mut text = String::new();
        let mut html = String::new();
        for part in body.split(&format!("--{boundary}")) {
            let part = part.trim_start_matches('\n');
            let (phead, pbody) = part.split_once("\n\n").unwrap_or((part, ""));
            let ph = unfold(phead);
            let pget = |name: &str| {
                ph.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_lowercase())
                    .unwrap_or_default()
            };
            let decoded = decode(pbody, &pget("Content-Transfer-Encoding"));
            if pget("Content-Type").starts_with("text/plain") {
                text = decoded;
            } else if pget("Content-Type").starts_with("text/html") {
                html = decoded;
            }
        }
        Mail {
            envelope_to: get("X-Envelope-To"),
            subject: get("Subject"),
            headers,
            text,
            html,
        }
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// The first link in the text part that contains `path`.
    pub fn link(&self, path: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(path))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no link with {path} in:\n{}", self.text))
    }
}

fn unfold(head: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn decode(body: &str, encoding: &str) -> String {
    match encoding {
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact.trim_end_matches('-'))
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "quoted-printable" => {
            let joined = body.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        }
        _ => body.to_string(),
    }
}
