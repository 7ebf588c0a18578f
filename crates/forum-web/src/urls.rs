//! Named paths for templates: `{{ url(name="ask") }}`, `{{ url(name="login", next=thread.url) }}`,
//! `{{ url(name="home", tab="solved") }}`. The paths live here, next to the routes, so a theme
//! never hard-codes one; a query value is percent-encoded, and an unknown name or argument is a
//! template error rather than a broken link.

use std::collections::HashMap;

use tera::{Function, Value};

/// Every named path: (name, path, the query arguments it takes).
const ROUTES: &[(&str, &str, &[&str])] = &[
    ("home", "/", &["tab"]),
    ("ask", "/ask", &[]),
    ("search", "/search", &["q"]),
    ("login", "/login", &["next"]),
    ("register", "/register", &["next"]),
    ("logout", "/logout", &[]),
    ("logout_everywhere", "/logout/everywhere", &[]),
    ("notifications", "/notifications", &["page"]),
    ("notifications_read", "/notifications/read", &[]),
    ("password_forgot", "/password/forgot", &[]),
    ("password_reset", "/password/reset", &[]),
    ("settings", "/settings", &[]),
    ("settings_profile", "/settings/profile", &[]),
    ("settings_password", "/settings/password", &[]),
    ("settings_email", "/settings/email", &[]),
    ("settings_notifications", "/settings/notifications", &[]),
    ("confirm_resend", "/account/confirm/resend", &[]),
];

/// The path for `name` with `args` as its query (empty values left out).
pub fn url_for(name: &str, args: &[(&str, &str)]) -> Result<String, String> {
    let (_, path, allowed) = ROUTES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| format!("url(): no path named '{name}'"))?;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (key, value) in args {
        if !allowed.contains(key) {
            return Err(format!("url(): '{name}' takes no argument '{key}'"));
        }
        // The home tab is the default; its URL stays canonical.
        if value.is_empty() || (name == "home" && *key == "tab" && *value == "latest") {
            continue;
        }
        query.append_pair(key, value);
        any = true;
    }
    Ok(if any {
        format!("{path}?{}", query.finish())
    } else {
        (*path).to_string()
    })
}

/// The tera function `url(name=..., ...)`.
#[derive(Debug, Clone, Copy)]
pub struct UrlFunction;

impl Function for UrlFunction {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let name = args
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("url() needs a name"))?;
        let mut pairs: Vec<(&str, String)> = args
            .iter()
            .filter(|(k, _)| k.as_str() != "name")
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.as_str(), text)
            })
            .collect();
        pairs.sort();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        url_for(name, &borrowed)
            .map(Value::String)
            .map_err(tera::Error::msg)
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::url_for;

    #[test]
    fn named_paths_and_queries() {
        assert_eq!(url_for("ask", &[]).as_deref(), Ok("/ask"));
        assert_eq!(url_for("home", &[("tab", "latest")]).as_deref(), Ok("/"));
        assert_eq!(
            url_for("home", &[("tab", "solved")]).as_deref(),
            Ok("/?tab=solved")
        );
        assert_eq!(
            url_for("login", &[("next", "/t/a b/1?x=1&y")]).as_deref(),
            Ok("/login?next=%2Ft%2Fa+b%2F1%3Fx%3D1%26y")
        );
        assert_eq!(
            url_for("register", &[("next", "")]).as_deref(),
            Ok("/register")
        );
        assert!(url_for("nowhere", &[]).is_err());
        assert!(url_for("ask", &[("next", "/")]).is_err());
    }
}
