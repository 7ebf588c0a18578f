//! Themes: the active theme's templates and static files override `default`'s file by file.
//! Default templates are also registered as `default/<name>` so an override can extend them.

use std::path::{Path, PathBuf};

use tera::Tera;

/// Loaded templates plus where static files are looked up.
#[derive(Debug)]
pub struct Theme {
    pub tera: Tera,
    /// Active theme's static dir first, then default's.
    static_dirs: Vec<PathBuf>,
    /// Changes when any static file changes, for `?v=` cache busting.
    pub asset_version: String,
}

/// Why a theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme directory {0} has no templates")]
    Missing(PathBuf),
    #[error("cannot read theme file {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("template error: {0}")]
    Template(#[from] tera::Error),
}

impl Theme {
    /// Loads `dir/default` and, when `name` is not `default`, `dir/name` over it.
    pub fn load(dir: &Path, name: &str) -> Result<Theme, ThemeError> {
        let default_dir = dir.join("default");
        let default_templates = read_templates(&default_dir.join("templates"))?;
        if default_templates.is_empty() {
            return Err(ThemeError::Missing(default_dir));
        }
        let mut all: Vec<(String, String)> = Vec::new();
        for (n, body) in &default_templates {
            all.push((format!("default/{n}"), body.clone()));
        }
        let mut static_dirs = Vec::new();
        let active: Vec<(String, String)> = if name != "default" {
            let active_dir = dir.join(name);
            if !active_dir.is_dir() {
                return Err(ThemeError::Missing(active_dir));
            }
            static_dirs.push(active_dir.join("static"));
            read_templates(&active_dir.join("templates"))?
        } else {
            Vec::new()
        };
        static_dirs.push(default_dir.join("static"));
        for (n, body) in &default_templates {
            if !active.iter().any(|(a, _)| a == n) {
                all.push((n.clone(), body.clone()));
            }
        }
        all.extend(active);
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_function("url", crate::urls::UrlFunction);
        tera.add_raw_templates(all)?;
        let asset_version = hash_static(&static_dirs);
        Ok(Theme {
            tera,
            static_dirs,
            asset_version,
        })
    }

    /// Finds a static file, refusing any path that tries to leave the theme.
    pub fn static_file(&self, rel: &str) -> Option<PathBuf> {
        if rel
            .split('/')
            .any(|seg| seg == ".." || seg.is_empty() || seg.starts_with('.'))
            || rel.contains('\\')
        {
            return None;
        }
        self.static_dirs
            .iter()
            .map(|d| d.join(rel))
            .find(|p| p.is_file())
    }
}

fn read_templates(root: &Path) -> Result<Vec<(String, String)>, ThemeError> {
    let mut out = Vec::new();
    if root.is_dir() {
        walk(root, root, &mut out)?;
    }
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), ThemeError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ThemeError::Io(dir.to_path_buf(), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| ThemeError::Io(dir.to_path_buf(), e))?
            .path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
        {
            let body =
                std::fs::read_to_string(&path).map_err(|e| ThemeError::Io(path.clone(), e))?;
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, body));
        }
    }
    Ok(())
}

/// A short hash of every static file of the theme, nested folders included (by path relative
/// to its static dir, then content), for `?v=` cache busting of immutable asset URLs.
fn hash_static(dirs: &[PathBuf]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for d in dirs {
        let mut files = Vec::new();
        collect_files(d, &mut files);
        files.sort();
        for f in files {
            if let Ok(bytes) = std::fs::read(&f) {
                let rel = f.strip_prefix(d).unwrap_or(&f);
                h.update(rel.to_string_lossy().as_bytes());
                h.update([0]);
                h.update(&bytes);
            }
        }
    }
    hex::encode(&h.finalize()[..6])
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// HTML escaping for attribute values and text (`& < > " '`); unlike tera's default it leaves
/// `/` alone (harmless inside quoted attributes and text), so URLs read naturally in source.
fn escape_html(input: &str) -> String {
    htmlescape::encode_minimal(input)
}

#[cfg(test)]
#[path = "theme_tests.rs"]
mod tests;
