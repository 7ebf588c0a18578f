//! Settings: `config/forum.toml` (or `--config FILE` / `FORUM_CONFIG`), then `FORUM_*`
//! environment variables override single keys, then command-line flags. Built once in `main`
//! and passed down; no global.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::access_log::AccessLogMode;

/// Everything the server can be told.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub site: SiteSettings,
    pub theme: ThemeSettings,
    pub limits: LimitSettings,
    pub log: LogSettings,
}

/// Listening, secrets and cookies.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    /// Public URL, used for canonical links.
    pub base_url: String,
    /// Secrets (when generated), the search index and the SQLite file live here.
    pub data_dir: PathBuf,
    pub workers: usize,
    /// Signs session cookies; ≥ 64 characters. Empty: generated once and kept in `data_dir`.
    pub session_secret: String,
    /// Signs API tokens (HS256); ≥ 32 characters. Empty: generated once and kept in `data_dir`.
    pub jwt_secret: String,
    pub jwt_ttl_secs: u64,
    /// Send cookies only over HTTPS; turn on behind TLS.
    pub cookie_secure: bool,
    /// Take the client address from the right-most `X-Forwarded-For` entry, the one our own
    /// proxy appended (only behind a proxy you run).
    pub trust_proxy: bool,
    /// Seconds in-flight requests get to finish on shutdown.
    pub shutdown_timeout_secs: u64,
    /// Seconds an anonymous reader's page may be served from cache (writes on this node clear
    /// it at once); 0 turns the cache off.
    pub anon_cache_secs: u64,
    /// Most bytes the anonymous page cache may hold; beyond it stale, then oldest pages go.
    pub anon_cache_max_bytes: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            base_url: String::new(),
            data_dir: "data".into(),
            workers: 2,
            session_secret: String::new(),
            jwt_secret: String::new(),
            jwt_ttl_secs: 900,
            cookie_secure: false,
            trust_proxy: false,
            shutdown_timeout_secs: 30,
            anon_cache_secs: 10,
            anon_cache_max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Which database; the URL scheme picks the backend.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://PATH`, a bare path, or `postgres://...`. Empty: `sqlite://{data_dir}/forum.sqlite3`.
    pub url: String,
    pub pool_size: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: String::new(),
            pool_size: 8,
        }
    }
}

/// How the site names itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSettings {
    pub name: String,
    pub description: String,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "Support Community".into(),
            description: "Customers helping customers: ask, answer, and find solved questions."
                .into(),
        }
    }
}

/// Where themes live and which is active; the active theme overrides `default` file by file.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeSettings {
    pub dir: PathBuf,
    pub name: String,
}

impl Default for ThemeSettings {
    fn default() -> Self {
        Self {
            dir: "themes".into(),
            name: "default".into(),
        }
    }
}

/// Abuse limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitSettings {
    /// Sign-in attempts per client address per minute.
    pub login_per_minute: u32,
    /// Registrations per client address per hour.
    pub register_per_hour: u32,
    /// Posts a TL0 member may make per ten minutes.
    pub new_user_posts_per_window: u32,
    /// Links a TL0 member may put in one post.
    pub new_user_max_links: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            login_per_minute: 10,
            register_per_hour: 5,
            new_user_posts_per_window: 5,
            new_user_max_links: 2,
        }
    }
}

/// Log output.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: String,
    /// An `EnvFilter` directive, e.g. `info,forum_web=debug`; `RUST_LOG` wins when set.
    pub level: String,
    /// Which requests get an access log line: `all`, `errors` (4xx and 5xx) or `off`.
    pub access: AccessLogMode,
    /// With `all`: one line per this many successful requests (failures always); 1 = each.
    pub access_sample: u64,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: "text".into(),
            level: "info".into(),
            access: AccessLogMode::All,
            access_sample: 1,
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("invalid configuration in {0}: {1}")]
    Parse(PathBuf, toml::de::Error),
    #[error("invalid value for {0}: {1}")]
    Env(&'static str, String),
}

impl Settings {
    /// The social contract's posting limits in force (the rest keep moderation's defaults).
    pub fn posting_limits(&self) -> moderation::limits::PostingLimits {
        moderation::limits::PostingLimits {
            new_user_max_links: self.limits.new_user_max_links,
            new_user_posts_per_window: self.limits.new_user_posts_per_window,
            ..Default::default()
        }
    }

    /// Loads the file (an explicit path must exist; the default path may be absent), then env.
    pub fn load(explicit: Option<&Path>) -> Result<Settings, ConfigError> {
        let default_path = PathBuf::from("config/forum.toml");
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (default_path, false),
        };
        let mut s = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::Parse(path.clone(), e))?,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => return Err(ConfigError::Read(path, e)),
        };
        s.apply_env(|k| std::env::var(k).ok())?;
        Ok(s)
    }

    /// Applies `FORUM_*` overrides from `get` (the environment, or a map in tests).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn num<T>(k: &'static str, v: &str) -> Result<T, ConfigError>
        where
            T: std::str::FromStr,
            T::Err: std::fmt::Display,
        {
            v.trim()
                .parse()
                .map_err(|e| ConfigError::Env(k, format!("'{v}' is not a number ({e})")))
        }
        fn flag(k: &'static str, v: &str) -> Result<bool, ConfigError> {
            match v.trim() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::Env(k, format!("'{v}' is not true/false"))),
            }
        }
        for key in ENV_KEYS {
            let Some(v) = get(key) else { continue };
            match *key {
                "FORUM_BIND" => self.server.bind = v,
                "FORUM_BASE_URL" => self.server.base_url = v,
                "FORUM_DATA_DIR" => self.server.data_dir = v.into(),
                "FORUM_WORKERS" => self.server.workers = num(key, &v)?,
                "FORUM_SESSION_SECRET" => self.server.session_secret = v,
                "FORUM_JWT_SECRET" => self.server.jwt_secret = v,
                "FORUM_JWT_TTL_SECS" => self.server.jwt_ttl_secs = num(key, &v)?,
                "FORUM_COOKIE_SECURE" => self.server.cookie_secure = flag(key, &v)?,
                "FORUM_TRUST_PROXY" => self.server.trust_proxy = flag(key, &v)?,
                "FORUM_ANON_CACHE_SECS" => self.server.anon_cache_secs = num(key, &v)?,
                "FORUM_ANON_CACHE_MAX_BYTES" => self.server.anon_cache_max_bytes = num(key, &v)?,
                "FORUM_DATABASE_URL" => self.database.url = v,
                "FORUM_POOL_SIZE" => self.database.pool_size = num(key, &v)?,
                "FORUM_SITE_NAME" => self.site.name = v,
                "FORUM_THEME_DIR" => self.theme.dir = v.into(),
                "FORUM_THEME" => self.theme.name = v,
                "FORUM_LOGIN_PER_MINUTE" => self.limits.login_per_minute = num(key, &v)?,
                "FORUM_REGISTER_PER_HOUR" => self.limits.register_per_hour = num(key, &v)?,
                "FORUM_NEW_USER_POSTS_PER_WINDOW" => {
                    self.limits.new_user_posts_per_window = num(key, &v)?
                }
                "FORUM_LOG_FORMAT" => self.log.format = v,
                "FORUM_LOG_LEVEL" => self.log.level = v,
                "FORUM_LOG_ACCESS" => {
                    self.log.access = AccessLogMode::parse(&v).ok_or_else(|| {
                        ConfigError::Env(key, format!("'{v}' is not all, errors or off"))
                    })?
                }
                "FORUM_LOG_ACCESS_SAMPLE" => self.log.access_sample = num(key, &v)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("forum.sqlite3").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    /// The public base URL, defaulting to the bind address.
    pub fn base_url(&self) -> String {
        if self.server.base_url.is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server.base_url.trim_end_matches('/').to_string()
        }
    }
}

/// Every environment variable the server reads (documented in the README).
pub const ENV_KEYS: &[&str] = &[
    "FORUM_BIND",
    "FORUM_BASE_URL",
    "FORUM_DATA_DIR",
    "FORUM_WORKERS",
    "FORUM_SESSION_SECRET",
    "FORUM_JWT_SECRET",
    "FORUM_JWT_TTL_SECS",
    "FORUM_COOKIE_SECURE",
    "FORUM_TRUST_PROXY",
    "FORUM_ANON_CACHE_SECS",
    "FORUM_ANON_CACHE_MAX_BYTES",
    "FORUM_DATABASE_URL",
    "FORUM_POOL_SIZE",
    "FORUM_SITE_NAME",
    "FORUM_THEME_DIR",
    "FORUM_THEME",
    "FORUM_LOGIN_PER_MINUTE",
    "FORUM_REGISTER_PER_HOUR",
    "FORUM_NEW_USER_POSTS_PER_WINDOW",
    "FORUM_LOG_FORMAT",
    "FORUM_LOG_LEVEL",
    "FORUM_LOG_ACCESS",
    "FORUM_LOG_ACCESS_SAMPLE",
];

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
