//! A real S3 protocol server (s3s + s3s-fs) on 127.0.0.1, for testing the S3 adapter over HTTP.

use std::net::SocketAddr;
use std::sync::Arc;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use prepai::adapters::aws::S3ObjectStore;
use s3s::auth::SimpleAuth;
use s3s::dto::*;
use s3s::service::S3ServiceBuilder;
use s3s::{S3, S3Request, S3Response, S3Result};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::RwLock;

const ACCESS_KEY: &str = "AKIDPREPAITEST";
const SECRET_KEY: &str = "prepai-test-secret-key";
pub const BUCKET: &str = "prepai-user-data";

/// A running S3 server with one bucket, and a client configured for it. Dropping it stops nothing but the
/// directory; the server task ends with the test's runtime.
pub struct S3Server {
    pub endpoint: String,
    pub client: aws_sdk_s3::Client,
    _dir: TempDir,
}

impl S3Server {
    /// Starts the server on a free port and creates the bucket.
    pub async fn start() -> S3Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let fs = s3s_fs::FileSystem::new(dir.path()).expect("s3s-fs root");
        let mut builder = S3ServiceBuilder::new(AtomicConditionalWrites {
            inner: fs,
            lock: RwLock::new(()),
        });
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        let service = builder.build();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                // Small responses would otherwise wait for the client's delayed ACK (~40 ms each).
                let _ = socket.set_nodelay(true);
                let conn = http
                    .serve_connection(TokioIo::new(socket), service.clone())
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        let endpoint = format!("http://{addr}");
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(Credentials::new(
                ACCESS_KEY,
                SECRET_KEY,
                None,
                None,
                "prepai-tests",
            ))
            .region(Region::new("us-east-1"))
            .endpoint_url(&endpoint)
            .force_path_style(true)
            .build();
        let client = aws_sdk_s3::Client::from_conf(config);
        client
            .create_bucket()
            .bucket(BUCKET)
            .send()
            .await
            .expect("create bucket");
        S3Server {
            endpoint,
            client,
            _dir: dir,
        }
    }

    /// The adapter under test, talking HTTP to this server.
    pub fn object_store(&self) -> Arc<S3ObjectStore> {
        Arc::new(S3ObjectStore::new(self.client.clone(), BUCKET))
    }
}

/// s3s-fs checks `If-Match`/`If-None-Match` and then writes without holding a lock, so two conditional writers
/// can both pass the check; and it reads an object's body and its stored checksums in two steps, so a read racing a
/// write can pair old bytes with new checksums. Real S3 makes each PUT one atomic step and each GET a consistent
/// snapshot; this wrapper restores both (writes exclusive, reads shared), so the lost-update tests exercise our
/// retry logic against S3's real semantics.
struct AtomicConditionalWrites {
    inner: s3s_fs::FileSystem,
    lock: RwLock<()>,
}

#[async_trait::async_trait]
impl S3 for AtomicConditionalWrites {
    async fn create_bucket(
        &self,
        req: S3Request<CreateBucketInput>,
    ) -> S3Result<S3Response<CreateBucketOutput>> {
        self.inner.create_bucket(req).await
    }

    async fn get_object(
        &self,
        req: S3Request<GetObjectInput>,
    ) -> S3Result<S3Response<GetObjectOutput>> {
        let _shared = self.lock.read().await;
        self.inner.get_object(req).await
    }

    async fn head_object(
        &self,
        req: S3Request<HeadObjectInput>,
    ) -> S3Result<S3Response<HeadObjectOutput>> {
        self.inner.head_object(req).await
    }

    async fn put_object(
        &self,
        req: S3Request<PutObjectInput>,
    ) -> S3Result<S3Response<PutObjectOutput>> {
        let _exclusive = self.lock.write().await;
        self.inner.put_object(req).await
    }

    async fn delete_object(
        &self,
        req: S3Request<DeleteObjectInput>,
    ) -> S3Result<S3Response<DeleteObjectOutput>> {
        self.inner.delete_object(req).await
    }

    async fn delete_objects(
        &self,
        req: S3Request<DeleteObjectsInput>,
    ) -> S3Result<S3Response<DeleteObjectsOutput>> {
        self.inner.delete_objects(req).await
    }

    async fn list_objects_v2(
        &self,
        req: S3Request<ListObjectsV2Input>,
    ) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.inner.list_objects_v2(req).await
    }
}
