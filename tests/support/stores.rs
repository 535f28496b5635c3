//! Both object stores the product runs on, for tests that must hold on each: a local directory, and S3 over the
//! real protocol (an s3s server on loopback, with S3's atomic conditional writes).

use std::sync::Arc;

use prepai::adapters::local::FsObjectStore;
use prepai::ports::ObjectStore;
use tempfile::TempDir;

use crate::s3_server::S3Server;

/// Which store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    Filesystem,
    S3OverHttp,
}

impl StoreKind {
    pub const ALL: [StoreKind; 2] = [StoreKind::Filesystem, StoreKind::S3OverHttp];
}

/// A fresh, empty store; dropping it removes its data.
pub struct TestStore {
    pub objects: Arc<dyn ObjectStore>,
    _dir: Option<TempDir>,
    _s3: Option<S3Server>,
}

impl TestStore {
    pub async fn new(kind: StoreKind) -> TestStore {
        match kind {
            StoreKind::Filesystem => {
                let dir = tempfile::tempdir().expect("temp dir");
                TestStore {
                    objects: Arc::new(FsObjectStore::new(dir.path())),
                    _dir: Some(dir),
                    _s3: None,
                }
            }
            StoreKind::S3OverHttp => {
                let server = S3Server::start().await;
                TestStore {
                    objects: server.object_store(),
                    _dir: None,
                    _s3: Some(server),
                }
            }
        }
    }
}
