//! The README's configuration table and the shipped `config/forum.toml`, rendered from `KEYS`
//! and the defaults so neither can drift from the declaration (`config_tests` compares them).

use super::{Settings, KEYS};

/// Marks the start of the generated table in README.md.
pub const README_START: &str = "<!-- config-table:start -->";
/// Marks the end of the generated table in README.md.
pub const README_END: &str = "<!-- config-table:end -->";

/// The Markdown table of every key: path, environment variable, default, meaning.
pub fn readme_table() -> String {
    let values = Settings::default().toml_values();
    let mut out = String::from("| key | environment | default | meaning |\n|---|---|---|---|\n");
    for (key, value) in KEYS.iter().zip(values) {
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | {} |\n",
            key.path, key.env, value, key.doc
        ));
    }
    out
}

/// `config/forum.toml`: every key with its default, its documentation and variable as comments.
pub fn toml_file() -> String {
    let mut out = String::from(
        "# Forum server configuration: every key with its default. Generated from the declaration\n\
         # in crates/forum-web/src/config.rs (a test checks this file against it); edit values\n\
         # freely in a copy. Precedence, lowest first: default < this file < settings stored by\n\
         # admins < FORUM_* environment variables < `forum serve --bind/--database-url`.\n",
    );
    let values = Settings::default().toml_values();
    let mut section = "";
    for (key, value) in KEYS.iter().zip(values) {
        let (sec, field) = key.path.split_once('.').unwrap_or(("", key.path));
        if sec != section {
            section = sec;
            out.push_str(&format!("\n[{sec}]\n"));
        }
        for line in wrap(&format!("{} Environment: {}.", key.doc, key.env), 98) {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!("{field} = {value}\n"));
    }
    out
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
