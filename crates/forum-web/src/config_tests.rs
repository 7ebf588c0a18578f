use super::*;

#[test]
fn shipped_config_parses_and_env_overrides() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config/forum.toml"
    ))
    .unwrap();
    let mut s: Settings = toml::from_str(&text).unwrap();
    s.apply_env(|k| match k {
        "FORUM_BIND" => Some("0.0.0.0:9000".into()),
        "FORUM_LOGIN_PER_MINUTE" => Some("3".into()),
        "FORUM_COOKIE_SECURE" => Some("true".into()),
        "FORUM_ANON_CACHE_MAX_BYTES" => Some("1048576".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(s.server.bind, "0.0.0.0:9000");
    assert_eq!(s.limits.login_per_minute, 3);
    assert!(s.server.cookie_secure);
    assert_eq!(s.server.anon_cache_max_bytes, 1024 * 1024);
    let shipped: Settings = toml::from_str(&text).unwrap();
    let defaults = Settings::default();
    assert_eq!(
        shipped.server.anon_cache_max_bytes,
        defaults.server.anon_cache_max_bytes
    );
    assert!(s.database_url().starts_with("sqlite://"));
}

#[test]
fn bad_env_values_are_errors() {
    let mut s = Settings::default();
    let e = s.apply_env(|k| (k == "FORUM_POOL_SIZE").then(|| "many".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_POOL_SIZE", _))));
    let e = s.apply_env(|k| (k == "FORUM_LOG_ACCESS").then(|| "some".to_string()));
    assert!(matches!(e, Err(ConfigError::Env("FORUM_LOG_ACCESS", _))));
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
    let mut s = Settings::default();
    s.apply_env(|k| match k {
        "FORUM_LOG_ACCESS" => Some("off".into()),
        "FORUM_LOG_ACCESS_SAMPLE" => Some("100".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(
        (s.log.access, s.log.access_sample),
        (AccessLogMode::Off, 100)
    );
}

#[test]
fn unknown_keys_are_rejected() {
    assert!(toml::from_str::<Settings>("[server]\nbindd = \"x\"\n").is_err());
}
