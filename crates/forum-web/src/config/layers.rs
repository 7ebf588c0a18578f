//! The layers settings come from and their order, kept in one function so the precedence
//! cannot differ between the server, the other subcommands and the tests:
//! default < file < stored by admins < environment < flags.

use std::path::{Path, PathBuf};

use super::{KeyInfo, Settings, KEYS};

/// Looks a key up in one layer: its text, or `None` when the layer leaves it alone.
pub type Source<'a> = &'a dyn Fn(&KeyInfo) -> Option<String>;

/// The layers above the file, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Settings admins stored in the database.
    Stored,
    /// `FORUM_*` environment variables.
    Env,
    /// Command-line flags.
    Flags,
}

impl Layer {
    /// The error for `key` holding a value its type refuses, naming what the operator set.
    pub fn error(self, key: &'static KeyInfo, message: String) -> ConfigError {
        match self {
            Layer::Stored => ConfigError::Stored(key.path, message),
            Layer::Env => ConfigError::Env(key.env, message),
            Layer::Flags => ConfigError::Flag(key.path, message),
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
    #[error("invalid stored setting {0}: {1}")]
    Stored(&'static str, String),
    #[error("invalid command-line value for {0}: {1}")]
    Flag(&'static str, String),
}

/// A source with nothing in it (no stored settings yet, no flags).
pub fn no_values(_: &KeyInfo) -> Option<String> {
    None
}

impl Settings {
    /// Builds settings from every layer in precedence order. `file` is the config file's path
    /// and text, if one was read. `stored` is the hook for settings admins keep in the database:
    /// the database's URL comes from the layers, so a caller loads once with `no_values`,
    /// opens the database, then loads again with the stored values (which therefore cannot
    /// move the database itself: the admin page should not offer `database.*`).
    pub fn load_layers(
        file: Option<(&Path, &str)>,
        stored: Source<'_>,
        env: Source<'_>,
        flags: Source<'_>,
    ) -> Result<Settings, ConfigError> {
        let mut s = match file {
            Some((path, text)) => {
                toml::from_str(text).map_err(|e| ConfigError::Parse(path.to_path_buf(), e))?
            }
            None => Settings::default(),
        };
        s.apply_overrides(Layer::Stored, stored)?;
        s.apply_overrides(Layer::Env, env)?;
        s.apply_overrides(Layer::Flags, flags)?;
        Ok(s)
    }

    /// Loads the file (an explicit path must exist; the default `config/forum.toml` may be
    /// absent), the process environment and `flags`; no stored settings yet.
    pub fn load(explicit: Option<&Path>, flags: Source<'_>) -> Result<Settings, ConfigError> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("config/forum.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(ConfigError::Read(path, e)),
        };
        let file = text.as_deref().map(|t| (path.as_path(), t));
        Settings::load_layers(file, &no_values, &process_env, flags)
    }

    /// Applies `FORUM_*` overrides from `get`, which maps a variable name to its value.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        self.apply_overrides(Layer::Env, &|k: &KeyInfo| get(k.env))
    }

    /// The keys (`section.field`) the process environment sets: the admin view shows them as
    /// pinned, since a value stored there would not take effect.
    pub fn pinned_by_env() -> Vec<&'static str> {
        pinned_by(&process_env)
    }
}

/// The keys `env` has a value for.
pub fn pinned_by(env: Source<'_>) -> Vec<&'static str> {
    KEYS.iter()
        .filter(|k| env(k).is_some())
        .map(|k| k.path)
        .collect()
}

/// A key's environment variable in this process (unset or not Unicode: no override).
fn process_env(key: &KeyInfo) -> Option<String> {
    std::env::var(key.env).ok()
}
