//! The object-store port on a local directory: the local server's default and the reference for S3's semantics.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use md5::{Digest, Md5};
use tokio::sync::Mutex;

use crate::ports::{ETag, ObjectStore, Precondition, StoreError, StoredObject};
use crate::ports::{KeyPrefix, ObjectKey};

/// Objects as files under a root directory, one file per key.
///
/// Writes go to a temporary file in the same directory, flushed to disk and renamed over the target, and the
/// directory is flushed after the rename: a reader, or the next start after a crash, sees the old or the new
/// content, never half of it. A full disk is [`StoreError::OutOfSpace`] and leaves the old content as it was. Conditional writes compare the content hash under a per-key lock; the
/// lock is in-process, so one directory belongs to one server process at a time.
pub struct FsObjectStore {
    root: PathBuf,
    locks: Vec<Mutex<()>>,
}

const LOCK_STRIPES: usize = 64;

/// Temporary files start with this, and listings skip them.
const TEMP_MARK: &str = ".tmp-";

impl FsObjectStore {
    /// Uses (and creates when needed) `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
        }
    }

    /// The directory objects live in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    fn lock_for(&self, key: &ObjectKey) -> &Mutex<()> {
        let hash = key
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        // The modulo keeps the index below LOCK_STRIPES, so the conversion cannot truncate.
        &self.locks[(hash % LOCK_STRIPES as u64) as usize]
    }

    /// Removes the temporary files writes that were cut short (a crash, a kill) left behind. Call it at start-up,
    /// before serving: the directory belongs to one process, so no write is in flight. Returns how many went.
    pub fn remove_leftover_temp_files(&self) -> std::io::Result<usize> {
        let mut removed = 0;
        let mut pending = vec![self.root.clone()];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in entries {
                let entry = entry?;
                if entry.file_type()?.is_dir() {
                    pending.push(entry.path());
                } else if entry.file_name().to_string_lossy().starts_with(TEMP_MARK) {
                    std::fs::remove_file(entry.path())?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    async fn read_current(&self, key: &ObjectKey) -> Result<Option<Bytes>, StoreError> {
        match tokio::fs::read(self.path(key)).await {
            Ok(body) => Ok(Some(Bytes::from(body))),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(backend(key, e)),
        }
    }
}

fn etag_of(body: &[u8]) -> ETag {
    ETag(format!("\"{}\"", hex::encode(Md5::digest(body))))
}

/// An I/O failure as the port names it: a full disk is [`StoreError::OutOfSpace`], anything else a backend failure.
fn io_error(key: &ObjectKey, e: std::io::Error) -> StoreError {
    if matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded) {
        StoreError::OutOfSpace {
            key: key.to_string(),
        }
    } else {
        backend(key, e)
    }
}

/// How many times a write starts again after a concurrent delete removed its folder under it; each retry follows
/// a delete that completed, so a handful suffice even under churn.
const MAX_FOLDER_RACES: u32 = 16;

/// Writes `body` at `path` so that a crash at any moment leaves the old content or the new, whole: a temporary
/// file in the same directory, written and flushed to disk, renamed over the target, then the directory flushed
/// so the rename itself survives a power cut. A failed write removes its temporary file, so a full disk leaves
/// nothing behind but what was there before.
fn write_durably(root: &Path, dir: &Path, path: &Path, body: &[u8]) -> std::io::Result<()> {
    let temp = dir.join(format!("{TEMP_MARK}{}", uuid::Uuid::new_v4().simple()));
    // A delete of the folder's last other object removes the folder and its empty parents; if that happens while
    // the folders are being created and flushed, or before the temporary file is in, start again (once the file is
    // in, the folder is not empty any more). Any step may see the folder vanish, so every NotFound is retried.
    let mut attempts = 0;
    let mut file = loop {
        let opened = ensure_dir(root, dir).and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
        });
        match opened {
            Ok(file) => break file,
            Err(e) if e.kind() == ErrorKind::NotFound && attempts < MAX_FOLDER_RACES => {
                attempts += 1
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(body)
        .and_then(|()| file.sync_data())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temp, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Creates `dir` (and its parents) when missing, flushing each parent that gained an entry, so a new folder is
/// as durable as the file written into it.
fn ensure_dir(root: &Path, dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    let mut at = dir.parent();
    while let Some(parent) = at {
        sync_dir(parent)?;
        if parent == root || !parent.starts_with(root) {
            break;
        }
        at = parent.parent();
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn backend(key: &ObjectKey, e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend {
        key: key.to_string(),
        message: e.to_string(),
    }
}

#[async_trait]
impl ObjectStore for FsObjectStore {
    async fn get(&self, key: &ObjectKey) -> Result<Option<StoredObject>, StoreError> {
        Ok(self.read_current(key).await?.map(|body| StoredObject {
            etag: etag_of(&body),
            body,
        }))
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Bytes,
        precondition: Precondition,
    ) -> Result<ETag, StoreError> {
        let _guard = self.lock_for(key).lock().await;
        let current = match precondition {
            Precondition::None => None,
            _ => self.read_current(key).await?,
        };
        let holds = match (&precondition, &current) {
            (Precondition::None, _) => true,
            (Precondition::IfAbsent, existing) => existing.is_none(),
            (Precondition::IfMatch(want), Some(existing)) => etag_of(existing) == *want,
            (Precondition::IfMatch(_), None) => false,
        };
        if !holds {
            return Err(StoreError::PreconditionFailed {
                key: key.to_string(),
            });
        }
        let path = self.path(key);
        let dir = path
            .parent()
            .ok_or_else(|| backend(key, "key has no parent directory"))?
            .to_owned();
        let root = self.root.clone();
        let etag = etag_of(&body);
        tokio::task::spawn_blocking(move || write_durably(&root, &dir, &path, &body))
            .await
            .map_err(|e| backend(key, e))?
            .map_err(|e| io_error(key, e))?;
        Ok(etag)
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        let _guard = self.lock_for(key).lock().await;
        let path = self.path(key);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(backend(key, e)),
        }
        // Tidy now-empty directories up to the root; a failure only means something else lives there.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.root.as_path()) {
            if tokio::fs::remove_dir(d).await.is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    async fn list(&self, prefix: &KeyPrefix) -> Result<Vec<ObjectKey>, StoreError> {
        let root = self.root.clone();
        let prefix = prefix.as_str().to_owned();
        tokio::task::spawn_blocking(move || list_blocking(&root, &prefix))
            .await
            .map_err(|e| StoreError::Backend {
                key: String::new(),
                message: e.to_string(),
            })?
    }
}

/// Walks only the directory the prefix names (not the whole tree), so listing one owner's index is cheap.
fn list_blocking(root: &Path, prefix: &str) -> Result<Vec<ObjectKey>, StoreError> {
    let dir_part = prefix.rfind('/').map_or("", |i| &prefix[..i]);
    let mut keys = Vec::new();
    let mut pending = vec![(root.join(dir_part), dir_part.to_owned())];
    while let Some((dir, rel)) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(StoreError::Backend {
                    key: prefix.to_owned(),
                    message: e.to_string(),
                });
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_MARK) {
                continue;
            }
            let key = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push((entry.path(), key)),
                Ok(_) if key.starts_with(prefix) => keys.push(ObjectKey::from_listing(key)),
                _ => {}
            }
        }
    }
    keys.sort();
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SessionId;

    #[tokio::test]
    async fn leftover_temporary_files_are_never_listed_and_are_swept_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsObjectStore::new(dir.path());
        let key = ObjectKey::session(&SessionId::new_random());
        store
            .put(&key, Bytes::from_static(b"{}"), Precondition::IfAbsent)
            .await
            .unwrap();
        // What a write killed between creating its temporary file and renaming it leaves behind.
        let folder = dir.path().join("sessions");
        std::fs::write(folder.join(format!("{TEMP_MARK}cut-short")), b"{\"half\":").unwrap();
        let listed = store
            .list(&crate::ports::KeyPrefix::all_sessions())
            .await
            .unwrap();
        assert_eq!(listed, std::slice::from_ref(&key));
        assert_eq!(store.remove_leftover_temp_files().unwrap(), 1);
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
        assert_eq!(&store.get(&key).await.unwrap().unwrap().body[..], b"{}");
    }
}
