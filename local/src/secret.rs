//! The local signing secret: `PREPAI_JWT_SECRET`, or one generated once and kept in the data directory so tokens
//! survive restarts and `prepai-local token` signs with the same key as the running server.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Where a generated secret is kept.
pub fn secret_file(data_dir: &Path) -> PathBuf {
    data_dir.join(".local-jwt-secret")
}

/// Where the secret came from, for the start-up banner.
#[derive(Debug, PartialEq, Eq)]
pub enum SecretSource {
    Environment,
    File(PathBuf),
    Generated(PathBuf),
}

/// The secret to sign and verify local tokens with.
pub fn load_or_create(data_dir: &Path) -> std::io::Result<(Vec<u8>, SecretSource)> {
    if let Ok(secret) = std::env::var("PREPAI_JWT_SECRET")
        && !secret.is_empty()
    {
        return Ok((secret.into_bytes(), SecretSource::Environment));
    }
    let path = secret_file(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => {
            return Ok((text.trim().as_bytes().to_vec(), SecretSource::File(path)));
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
    let secret = hex_string(&raw);
    std::fs::create_dir_all(data_dir)?;
    write_private(&path, secret.as_bytes())?;
    Ok((secret.into_bytes(), SecretSource::Generated(path)))
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
