//! Secrets: taken from settings, or generated once and kept in the data directory so a
//! single-node install works with zero setup and sessions survive restarts.

use std::path::Path;

use rand::RngCore;

/// Returns `configured` when set (checking its length), else the contents of `data_dir/file`,
/// creating it with `len` random bytes (hex) on first use.
pub fn load_or_create(
    configured: &str,
    min_len: usize,
    data_dir: &Path,
    file: &str,
    len: usize,
) -> Result<Vec<u8>, String> {
    if !configured.is_empty() {
        if configured.len() < min_len {
            return Err(format!(
                "{file}: the configured secret must be at least {min_len} characters"
            ));
        }
        return Ok(configured.as_bytes().to_vec());
    }
    let path = data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let s = existing.trim();
        if s.len() >= min_len {
            return Ok(s.as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let mut bytes = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(secret.into_bytes())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(contents.as_bytes())
}
