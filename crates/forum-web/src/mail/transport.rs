//! Where email goes: an SMTP server (STARTTLS or TLS through rustls), `.eml` files in a
//! directory (development: `make run` writes there and logs the path), or nowhere.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::SmtpTransport;
use lettre::{Message, Transport};

use crate::config::{EmailTransport, Settings};

/// How long one SMTP conversation may take before it counts as a failed attempt.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a message was not handed over.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server refused for good (a 5xx reply): retrying will not help.
    #[error("refused by the mail server: {0}")]
    Permanent(String),
    /// Anything else (connection refused, timeout, 4xx, a full disk): try again later.
    #[error("{0}")]
    Transient(String),
}

/// The configured way out.
#[derive(Clone)]
pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    File(PathBuf),
    Off,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
            Mailer::File(dir) => write!(f, "Mailer::File({})", dir.display()),
            Mailer::Off => f.write_str("Mailer::Off"),
        }
    }
}

impl Mailer {
    /// The mailer the settings ask for; a bad SMTP URL or an unwritable directory is an error
    /// at start-up, not at the first email.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        match settings.email.transport {
            EmailTransport::Smtp => {
                if settings.email.smtp_url.is_empty() {
                    anyhow::bail!("email.transport is smtp but email.smtp_url is empty");
                }
                let transport = SmtpTransport::from_url(&settings.email.smtp_url)
                    .map_err(|e| anyhow::anyhow!("email.smtp_url: {e}"))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Mailer::Smtp(Box::new(transport)))
            }
            EmailTransport::File => {
                let dir = settings.email_file_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
                Ok(Mailer::File(dir))
            }
            EmailTransport::Off => Ok(Mailer::Off),
        }
    }

    /// Where this mailer delivers, for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(_) => "sent through the configured SMTP server".into(),
            Mailer::File(dir) => format!("written as .eml files into {}", dir.display()),
            Mailer::Off => "not sent (email.transport = off)".into(),
        }
    }

    /// Hands `message` over. `delivery_id` names the file of the file transport, so a repeated
    /// delivery overwrites the same file.
    pub fn send(&self, message: &Message, delivery_id: &str) -> Result<(), SendError> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(message).map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Mailer::File(dir) => write_file(dir, delivery_id, &message.formatted())
                .map_err(|e| SendError::Transient(format!("cannot write the message: {e}"))),
            Mailer::Off => Ok(()),
        }
    }
}

fn write_file(dir: &std::path::Path, delivery_id: &str, bytes: &[u8]) -> std::io::Result<()> {
    let name: String = delivery_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(format!("{name}.eml")))
}
