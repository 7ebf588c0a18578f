//! How a setting's value is read from text (an environment variable, a stored setting, a flag)
//! and written back as TOML (the shipped `config/forum.toml` and the README table are rendered
//! from the defaults). One trait, so every key of a type parses and errs the same way.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use crate::access_log::AccessLogMode;

/// A type a setting can have.
pub trait ConfigValue: Sized {
    /// The value written as `text`, or why it is not one (the caller names the variable).
    fn parse_value(text: &str) -> Result<Self, String>;
    /// The value as a TOML literal.
    fn to_toml(&self) -> String;
}

/// `s` as a TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl ConfigValue for String {
    fn parse_value(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
    fn to_toml(&self) -> String {
        toml_string(self)
    }
}

impl ConfigValue for PathBuf {
    fn parse_value(text: &str) -> Result<Self, String> {
        Ok(PathBuf::from(text))
    }
    fn to_toml(&self) -> String {
        toml_string(&self.display().to_string())
    }
}

impl ConfigValue for bool {
    fn parse_value(text: &str) -> Result<Self, String> {
        match text.trim() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(format!("'{text}' is not true/false")),
        }
    }
    fn to_toml(&self) -> String {
        self.to_string()
    }
}

/// Numbers parse with `FromStr` and print bare.
macro_rules! numeric_config_value {
    ($($t:ty),*) => {$(
        impl ConfigValue for $t {
            fn parse_value(text: &str) -> Result<Self, String> {
                text.trim()
                    .parse()
                    .map_err(|e| format!("'{text}' is not a number ({e})"))
            }
            fn to_toml(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
numeric_config_value!(u32, u64, usize);

impl ConfigValue for SocketAddr {
    fn parse_value(text: &str) -> Result<Self, String> {
        text.trim()
            .parse()
            .map_err(|e| format!("'{text}' is not an address like 127.0.0.1:8080 ({e})"))
    }
    fn to_toml(&self) -> String {
        toml_string(&self.to_string())
    }
}

impl ConfigValue for AccessLogMode {
    fn parse_value(text: &str) -> Result<Self, String> {
        AccessLogMode::parse(text).ok_or_else(|| format!("'{text}' is not all, errors or off"))
    }
    fn to_toml(&self) -> String {
        toml_string(match self {
            AccessLogMode::All => "all",
            AccessLogMode::Errors => "errors",
            AccessLogMode::Off => "off",
        })
    }
}

/// Declares a lower-case-named enum setting: serde, text parsing with an error listing the
/// names, and TOML output, from one list of variants.
macro_rules! named_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($(#[doc = $vdoc])* $variant),+
        }

        impl ConfigValue for $name {
            fn parse_value(text: &str) -> Result<Self, String> {
                match text.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "'{text}' is not one of: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
            fn to_toml(&self) -> String {
                toml_string(match self {
                    $($name::$variant => $text),+
                })
            }
        }
    };
}

named_enum! {
    /// How log lines are written: for people, or for a log collector.
    LogFormat {
        /// Human-readable lines.
        Text = "text",
        /// One JSON object per line.
        Json = "json",
    }
}

named_enum! {
    /// How the forum's email leaves: through an SMTP server, into files, or nowhere.
    EmailTransport {
        /// Messages are sent through `email.smtp_url`.
        Smtp = "smtp",
        /// Messages are written as `.eml` files into `email.file_dir` (development).
        File = "file",
        /// Nothing is sent; queued emails are dropped as they come due.
        Off = "off",
    }
}

/// An absolute `http(s)` URL, or empty for "not set"; checked when read so a typo fails at
/// start-up rather than in every canonical link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct OptionalUrl(String);

impl OptionalUrl {
    /// The URL as written (empty when not set).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether no URL was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<String> for OptionalUrl {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(OptionalUrl::default());
        }
        let url = url::Url::parse(text).map_err(|e| format!("'{text}' is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("'{text}' is not an http:// or https:// URL"));
        }
        Ok(OptionalUrl(text.to_string()))
    }
}

impl ConfigValue for OptionalUrl {
    fn parse_value(text: &str) -> Result<Self, String> {
        OptionalUrl::try_from(text.to_string())
    }
    fn to_toml(&self) -> String {
        toml_string(&self.0)
    }
}

/// Where the server listens: `host:port`, an IP address or a name that resolves (`localhost:8080`
/// stays valid), checked when the settings load rather than at bind time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddress(String);

impl BindAddress {
    /// The address as written, for `HttpServer::bind`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for BindAddress {
    fn default() -> Self {
        BindAddress("127.0.0.1:8080".into())
    }
}

impl std::fmt::Display for BindAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl ConfigValue for BindAddress {
    fn parse_value(text: &str) -> Result<Self, String> {
        use std::net::ToSocketAddrs;
        let text = text.trim();
        if text.parse::<SocketAddr>().is_ok() {
            return Ok(BindAddress(text.to_string()));
        }
        match text
            .to_socket_addrs()
            .map(|mut addrs| addrs.next().is_some())
        {
            Ok(true) => Ok(BindAddress(text.to_string())),
            Ok(false) => Err(format!("'{text}' resolves to no address")),
            Err(e) => Err(format!(
                "'{text}' is not an address like 127.0.0.1:8080 or localhost:8080 ({e})"
            )),
        }
    }
    fn to_toml(&self) -> String {
        toml_string(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for BindAddress {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        BindAddress::parse_value(&text).map_err(serde::de::Error::custom)
    }
}
