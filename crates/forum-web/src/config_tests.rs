use std::collections::HashMap;
use std::path::Path;

use super::layers::{no_values, pinned_by};
use super::*;

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// A source answering from `pairs` of (key path or variable, value).
fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn shipped_config_parses_and_env_overrides() {
    let text = std::fs::read_to_string(repo_file("config/forum.toml")).unwrap();
    let mut s: Settings = toml::from_str(&text).unwrap();
    s.apply_env(|k| match k {
        "FORUM_BIND" => Some("0.0.0.0:9000".into()),
        "FORUM_LOGIN_PER_MINUTE" => Some("3".into()),
        "FORUM_COOKIE_SECURE" => Some("true".into()),
        "FORUM_ANON_CACHE_MAX_BYTES" => Some("1048576".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(s.server.bind.to_string(), "0.0.0.0:9000");
    assert_eq!(s.limits.login_per_minute, 3);
    assert!(s.server.cookie_secure);
    assert_eq!(s.server.anon_cache_max_bytes, 1024 * 1024);
    assert!(s.database_url().starts_with("sqlite://"));
    let shipped: Settings = toml::from_str(&text).unwrap();
    assert_eq!(shipped.toml_values(), Settings::default().toml_values());
}

#[test]
fn every_key_has_one_distinct_env_var_and_a_doc() {
    let mut envs: Vec<_> = KEYS.iter().map(|k| k.env).collect();
    envs.sort_unstable();
    envs.dedup();
    assert_eq!(
        envs.len(),
        KEYS.len(),
        "an environment variable is used twice"
    );
    for k in KEYS {
        assert!(k.env.starts_with("FORUM_"), "{}", k.path);
        assert!(!k.doc.is_empty() && !k.doc.contains('|'), "{}", k.path);
    }
    // The names deployments already use keep working.
    for name in [
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
    ] {
        assert!(envs.binary_search(&name).is_ok(), "{name} is gone");
    }
}

#[test]
fn every_key_is_overridable_from_every_layer() {
    // Feed each key its default's text back through the env layer: every type parses its own
    // rendering, and every key is reached (a key the overlay missed would keep a sentinel).
    let defaults = Settings::default().toml_values();
    let text: HashMap<&str, String> = KEYS
        .iter()
        .zip(&defaults)
        .map(|(k, v)| (k.env, v.trim_matches('"').to_string()))
        .collect();
    let mut s: Settings = toml::from_str("[server]\nworkers = 77\n").unwrap();
    s.apply_env(|name| text.get(name).cloned()).unwrap();
    assert_eq!(s.toml_values(), defaults);
    let asked = std::cell::RefCell::new(Vec::new());
    Settings::default()
        .apply_overrides(Layer::Stored, &|k| {
            asked.borrow_mut().push(*k);
            None
        })
        .unwrap();
    assert_eq!(asked.into_inner(), KEYS, "the overlay and KEYS differ");
    for layer in [Layer::Stored, Layer::Flags] {
        let mut s = Settings::default();
        s.apply_overrides(layer, &|k| {
            (k.path == "limits.member_window_secs").then(|| "5".into())
        })
        .unwrap();
        assert_eq!(s.posting_limits().member_window_secs, 5);
    }
}

#[test]
fn precedence_is_default_file_stored_env_flags() {
    let file = "[site]\nname = \"file\"\ndescription = \"file\"\n[theme]\nname = \"file\"\n\
                [limits]\nlogin_per_minute = 1\nregister_per_hour = 1\n";
    let stored = map(&[
        ("site.description", "stored"),
        ("theme.name", "stored"),
        ("limits.login_per_minute", "2"),
        ("limits.register_per_hour", "2"),
    ]);
    let env = map(&[
        ("FORUM_THEME", "env"),
        ("FORUM_LOGIN_PER_MINUTE", "3"),
        ("FORUM_REGISTER_PER_HOUR", "3"),
    ]);
    let flags = map(&[("limits.register_per_hour", "4")]);
    let s = Settings::load_layers(
        Some((Path::new("forum.toml"), file)),
        &|k| stored.get(k.path).cloned(),
        &|k| env.get(k.env).cloned(),
        &|k| flags.get(k.path).cloned(),
    )
    .unwrap();
    assert_eq!(s.site.name, "file");
    assert_eq!(s.site.description, "stored");
    assert_eq!(s.theme.name, "env");
    assert_eq!(s.limits.login_per_minute, 3);
    assert_eq!(s.limits.register_per_hour, 4);
    assert_eq!(s.server.workers, Settings::default().server.workers);
    assert_eq!(
        pinned_by(&|k| env.get(k.env).cloned()),
        [
            "theme.name",
            "limits.login_per_minute",
            "limits.register_per_hour"
        ]
    );
}

#[test]
fn bad_values_are_errors_naming_what_was_set() {
    let mut s = Settings::default();
    let e = s.apply_env(|k| (k == "FORUM_POOL_SIZE").then(|| "many".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_POOL_SIZE", _))));
    let e = s.apply_env(|k| (k == "FORUM_LOG_ACCESS").then(|| "some".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_LOG_ACCESS", _))));
    let e = s.apply_env(|k| (k == "FORUM_LOG_FORMAT").then(|| "jsno".to_string()));
    assert!(e.unwrap_err().to_string().contains("FORUM_LOG_FORMAT"));
    let e = s.apply_env(|k| (k == "FORUM_BIND").then(|| "nowhere".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_BIND", _))));
    let e = s.apply_env(|k| (k == "FORUM_BASE_URL").then(|| "forum.example.com".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_BASE_URL", _))));
    let e = s.apply_overrides(Layer::Flags, &|k| {
        (k.path == "server.bind").then(|| "x".into())
    });
    assert!(matches!(e, Err(ConfigError::Flag("server.bind", _))));
    let file = Some((Path::new("f.toml"), "[log]\nformat = \"jsno\"\n"));
    let e = Settings::load_layers(file, &no_values, &no_values, &no_values);
    assert!(matches!(e, Err(ConfigError::Parse(..))));
    let file = Some((Path::new("f.toml"), "[server]\nbase_url = \"ftp://x\"\n"));
    assert!(Settings::load_layers(file, &no_values, &no_values, &no_values).is_err());
}

#[test]
fn typed_values() {
    let s: Settings = toml::from_str(
        "[server]\nbase_url = \"https://forum.example.com/\"\n[log]\nformat = \"json\"\n",
    )
    .unwrap();
    assert_eq!(s.base_url(), "https://forum.example.com");
    assert_eq!(s.log.format, LogFormat::Json);
    assert_eq!(Settings::default().base_url(), "http://127.0.0.1:8080");
    assert_eq!(Settings::default().email.transport, EmailTransport::File);
    let smtp: Settings = toml::from_str("[email]\ntransport = \"smtp\"\n").unwrap();
    assert_eq!(smtp.email.transport, EmailTransport::Smtp);
    assert!(toml::from_str::<Settings>("[email]\ntransport = \"log\"\n").is_err());
    assert_eq!(
        Settings::default().email_file_dir(),
        Path::new("data").join("mail")
    );
    assert!(!Settings::default().webhooks.allow_private_targets);
    assert_eq!(
        Settings::default().posting_limits(),
        moderation::limits::PostingLimits::default()
    );
}

#[test]
fn access_log_settings() {
    assert_eq!(Settings::default().log.access, AccessLogMode::All);
    let s: Settings = toml::from_str("[log]\naccess = \"errors\"\naccess_sample = 10\n").unwrap();
    assert_eq!(
        (s.log.access, s.log.access_sample),
        (AccessLogMode::Errors, 10)
    );
    assert!(toml::from_str::<Settings>("[log]\naccess = \"some\"\n").is_err());
}

#[test]
fn unknown_keys_are_rejected() {
    assert!(toml::from_str::<Settings>("[server]\nbindd = \"x\"\n").is_err());
    assert!(toml::from_str::<Settings>("[serverr]\nbind = \"x\"\n").is_err());
}

/// With `FORUM_BLESS=1` the two documents are rewritten from the declaration instead.
fn check_generated(path: &Path, expected: &str) {
    let actual = std::fs::read_to_string(path).unwrap();
    if actual != expected && std::env::var_os("FORUM_BLESS").is_some() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    assert!(
        actual == expected,
        "{} is out of date with crates/forum-web/src/config.rs; \
         run `FORUM_BLESS=1 cargo test -p forum-web --lib config` and review the diff",
        path.display()
    );
}

#[test]
fn config_file_is_generated_from_the_declaration() {
    check_generated(&repo_file("config/forum.toml"), &toml_file());
}

#[test]
fn readme_table_is_generated_from_the_declaration() {
    let path = repo_file("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = readme.split_once(README_START).unwrap();
    let (_, tail) = rest.split_once(README_END).unwrap();
    let expected = format!("{head}{README_START}\n{}{README_END}{tail}", readme_table());
    check_generated(&path, &expected);
}

#[test]
fn bind_accepts_names_that_resolve() {
    use crate::config::ConfigValue;
    assert!(crate::config::BindAddress::parse_value("localhost:8080").is_ok());
    assert!(crate::config::BindAddress::parse_value("0.0.0.0:9000").is_ok());
    assert!(crate::config::BindAddress::parse_value("no-port").is_err());
}

#[test]
fn debug_output_never_shows_secrets_or_credentials() {
    let mut s = Settings::default();
    s.server.session_secret = "s3cr3t-session-value".into();
    s.server.jwt_secret = "s3cr3t-jwt-value".into();
    s.database.url = "postgres://forum:hunter2@db/forum".into();
    s.site.name = "Visible Name".into();
    let printed = format!("{s:?}");
    for hidden in ["s3cr3t-session-value", "s3cr3t-jwt-value", "hunter2"] {
        assert!(!printed.contains(hidden), "{hidden} printed: {printed}");
    }
    assert!(printed.contains("Visible Name") && printed.contains("<redacted>"));
}
